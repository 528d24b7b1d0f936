using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CreditRecovery.Delivery.Sms;

/// <summary>
/// The SMS channel (<see cref="DeliveryChannel.Sms"/>) through a generic HTTP gateway (see <see cref="SmsGatewayOptions"/>).
/// </summary>
/// <remarks>
/// <para>The recipient is normalised to E.164 (<see cref="SmsNumber"/>), the text body is fitted to
/// <see cref="SmsGatewayOptions.MaxSegments"/> (<see cref="SmsText"/>), and the outbox id goes with it as the client
/// reference, so a gateway that de-duplicates on it never delivers a retried message twice.</para>
/// <para>Outcome: 2xx → accepted (the provider id read at <see cref="SmsGatewayOptions.MessageIdPath"/>); 400, 404 and
/// 422 → permanent, with the gateway's message; 401 and 403 → transient, reported as a credentials problem (an operator
/// can fix the configuration and the messages still go); 408, 429, 5xx, timeouts and network errors → transient, quoting
/// <c>Retry-After</c> when the gateway sends one; any other status → permanent. A number that is not a mobile number or
/// an empty text fails permanently before any request, naming the outbox message and the field.</para>
/// </remarks>
public sealed class SmsGatewayChannel : IMessageChannel
{
    private const int MaxBodyQuote = 300;

    private readonly SmsGatewayOptions _options;
    private readonly IHttpClientFactory _clients;
    private readonly ILogger _logger;

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The options.</param>
    /// <param name="clients">Makes the <see cref="SmsGatewayOptions.HttpClientName"/> client.</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentException">The options are not usable (the message says why, without secrets).</exception>
    public SmsGatewayChannel(SmsGatewayOptions options, IHttpClientFactory clients, ILogger<SmsGatewayChannel>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clients);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _clients = clients;
        _logger = logger ?? NullLogger<SmsGatewayChannel>.Instance;
    }

    /// <inheritdoc />
    public DeliveryChannel Channel => DeliveryChannel.Sms;

    /// <summary>The text that would be sent for a rendered body: whitespace tidied, transliterated and fitted.</summary>
    /// <param name="body">The rendered text body.</param>
    public string PrepareText(string body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var text = body.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Trim();
        while (text.Contains("\n\n\n", StringComparison.Ordinal))
        {
            text = text.Replace("\n\n\n", "\n\n", StringComparison.Ordinal);
        }

        if (_options.TransliterateToGsm)
        {
            text = SmsText.Transliterate(text);
        }

        return SmsText.Fit(text, _options.MaxSegments);
    }

    /// <summary>The client reference sent for an outbox message.</summary>
    /// <param name="outboxId">The outbox message's id.</param>
    public string ClientReferenceFor(string outboxId)
    {
        ArgumentNullException.ThrowIfNull(outboxId);
        return _options.ClientReference == SmsClientReference.OutboxIdHash
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(outboxId)))[..32]
            : outboxId;
    }

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outbox = message.Message;
        var what = $"Outbox message '{outbox.Id}' (customer {outbox.CustomerCode})";
        if (outbox.Channel != DeliveryChannel.Sms)
        {
            return DeliveryResult.PermanentFailure($"{what}: channel is {outbox.Channel}, not Sms.");
        }

        if (!SmsNumber.TryNormalize(outbox.Recipient, out var number, out var numberError))
        {
            return DeliveryResult.PermanentFailure($"{what}: Recipient '{outbox.Recipient}' is not a mobile number: {numberError}.");
        }

        var text = PrepareText(message.Content.TextBody ?? "");
        if (text.Length == 0)
        {
            return DeliveryResult.PermanentFailure($"{what}: the rendered text body is empty.");
        }

        using var request = BuildRequest(_options.OmitPlus ? number.TrimStart('+') : number, text, ClientReferenceFor(outbox.Id));
        var client = _clients.CreateClient(SmsGatewayOptions.HttpClientName);
        HttpResponseMessage response;
        try
        {
            response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _logger.LogWarning("SMS for outbox message {OutboxId}: the gateway did not answer within {Timeout}.", outbox.Id, client.Timeout);
            return DeliveryResult.TransientFailure($"{what}: the SMS gateway did not answer within {client.Timeout.TotalSeconds:0} s.");
        }
        catch (HttpRequestException e)
        {
            _logger.LogWarning("SMS for outbox message {OutboxId}: the gateway could not be reached ({Error}).", outbox.Id, e.HttpRequestError);
            return DeliveryResult.TransientFailure($"{what}: the SMS gateway could not be reached ({e.HttpRequestError}): {e.Message}");
        }

        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            var result = Classify(response, body, what);
            if (result.Accepted)
            {
                _logger.LogInformation("SMS for outbox message {OutboxId} accepted by the gateway (HTTP {Status}), provider id {ProviderId}, {Segments} segment(s).",
                    outbox.Id, (int)response.StatusCode, result.ProviderMessageId, SmsText.Segments(text));
            }
            else
            {
                _logger.LogWarning("SMS for outbox message {OutboxId} refused by the gateway (HTTP {Status}, {Kind}).",
                    outbox.Id, (int)response.StatusCode, result.Permanent ? "permanent" : "transient");
            }

            return result;
        }
    }

    private HttpRequestMessage BuildRequest(string number, string text, string reference)
    {
        var fields = new List<KeyValuePair<string, string>> { new(_options.TextField, text) };
        if (_options.SenderField is { } senderField && !string.IsNullOrWhiteSpace(_options.Sender))
        {
            fields.Add(new(senderField, _options.Sender));
        }

        if (_options.ClientReferenceField is { } referenceField)
        {
            fields.Add(new(referenceField, reference));
        }

        fields.AddRange(_options.ExtraFields);

        var request = new HttpRequestMessage(HttpMethod.Post, _options.Endpoint);
        if (_options.Format == SmsBodyFormat.Form)
        {
            request.Content = new FormUrlEncodedContent(fields.Prepend(new(_options.ToField, number)));
        }
        else
        {
            using var buffer = new MemoryStream();
            using (var json = new Utf8JsonWriter(buffer))
            {
                json.WriteStartObject();
                if (_options.RecipientAsArray)
                {
                    json.WriteStartArray(_options.ToField);
                    json.WriteStringValue(number);
                    json.WriteEndArray();
                }
                else
                {
                    json.WriteString(_options.ToField, number);
                }

                foreach (var (name, value) in fields)
                {
                    json.WriteString(name, value);
                }

                json.WriteEndObject();
            }

            request.Content = new ByteArrayContent(buffer.ToArray());
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        request.Headers.Accept.ParseAdd("application/json");
        switch (_options.Authentication)
        {
            case SmsAuthentication.Bearer:
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.BearerToken);
                break;
            case SmsAuthentication.Basic:
                request.Headers.Authorization = new AuthenticationHeaderValue(
                    "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(_options.UserName + ":" + _options.Password)));
                break;
            case SmsAuthentication.Header:
                request.Headers.TryAddWithoutValidation(_options.HeaderName!, _options.HeaderValue);
                break;
            case SmsAuthentication.None:
            default:
                break;
        }

        return request;
    }

    private DeliveryResult Classify(HttpResponseMessage response, string body, string what)
    {
        var status = (int)response.StatusCode;
        var json = ParseJson(body);
        if (status is >= 200 and < 300)
        {
            var id = json is { } root && _options.MessageIdPath is { } path ? JsonPath.Find(root, path) : null;
            return DeliveryResult.Success(string.IsNullOrWhiteSpace(id) ? null : id);
        }

        var reason = $"HTTP {status} {response.ReasonPhrase}".TrimEnd();
        var detail = ErrorText(json, body);
        return response.StatusCode switch
        {
            HttpStatusCode.BadRequest or HttpStatusCode.NotFound or HttpStatusCode.UnprocessableEntity =>
                DeliveryResult.PermanentFailure($"{what}: the SMS gateway refused the message ({reason}){detail}"),
            HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden =>
                DeliveryResult.TransientFailure(
                    $"{what}: the SMS gateway refused our credentials ({reason}): check SmsGatewayOptions.Authentication and its secret{detail}"),
            HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests =>
                DeliveryResult.TransientFailure($"{what}: the SMS gateway asked to try later ({reason}){RetryAfter(response)}{detail}"),
            _ when status >= 500 =>
                DeliveryResult.TransientFailure($"{what}: the SMS gateway failed ({reason}){RetryAfter(response)}{detail}"),
            _ => DeliveryResult.PermanentFailure($"{what}: unexpected answer from the SMS gateway ({reason}){detail}"),
        };
    }

    private string ErrorText(JsonElement? json, string body)
    {
        if (json is { } root)
        {
            foreach (var path in _options.ErrorMessagePaths)
            {
                if (JsonPath.Find(root, path) is { Length: > 0 } message)
                {
                    return ": " + Quote(message);
                }
            }
        }

        return string.IsNullOrWhiteSpace(body) ? "." : ": " + Quote(body);
    }

    private static string Quote(string text)
    {
        var t = text.ReplaceLineEndings(" ").Trim();
        return t.Length > MaxBodyQuote ? t[..MaxBodyQuote] + "..." : t;
    }

    private static string RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => string.Create(CultureInfo.InvariantCulture, $"; Retry-After: {delta.TotalSeconds:0} s"),
        { Date: { } date } => "; Retry-After: " + date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        _ => "",
    };

    private static JsonElement? ParseJson(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.Clone();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
