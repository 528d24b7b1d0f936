using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace CreditRecovery.Adapters.Mexal;

/// <summary>
/// What every client of one Mexal WebAPI user shares: the limit on concurrent calls and the authentication latch (after a
/// 401/403 no further call is made: repeated failures lock the user).
/// </summary>
internal sealed class MexalCallGate(int maxConcurrentCalls) : IDisposable
{
    public SemaphoreSlim Slots { get; } = new(maxConcurrentCalls, maxConcurrentCalls);

    public MexalAuthenticationException? AuthenticationFailure { get; set; }

    public void Dispose() => Slots.Dispose();
}

/// <summary>A filter of <c>POST …/ricerca</c>: field, condition (<c>=</c>, <c>&gt;=</c>, <c>inizia_per</c>…) and value (an array means OR).</summary>
internal sealed record MexalFilter(string Field, string Condition, JsonNode Value);

/// <summary>One page of a listing: its records, the processing timestamp (<c>data_ric_elab</c>) and the <c>next</c> token.</summary>
internal sealed class MexalPage(JsonDocument document, IReadOnlyList<JsonElement> records, string? stamp, string? next, int number) : IDisposable
{
    public IReadOnlyList<JsonElement> Records { get; } = records;

    public string? Stamp { get; } = stamp;

    public string? Next { get; } = next;

    public int Number { get; } = number;

    public void Dispose() => document.Dispose();
}

/// <summary>
/// The Passepartout Mexal WebAPI, as published: <c>Authorization: Passepartout base64(user:password)</c> (plus
/// <c> Dominio=</c> on the cloud), <c>Coordinate-Gestionale: Azienda=… Anno=…</c>, listings paged with <c>max</c> and the
/// opaque <c>next</c> token, <c>fields=</c>, <c>POST …/ricerca</c> filters, keys with <c>/</c> hex-encoded, the JSON error
/// body. Never more than <see cref="MexalLedgerOptions.MaxConcurrentCalls"/> calls at once; 503 and network errors are
/// retried with jittered exponential backoff, bounded; 401/403 stop everything at once.
/// </summary>
internal sealed partial class MexalWebApiClient
{
    private readonly HttpClient _http;
    private readonly MexalLedgerOptions _options;
    private readonly MexalCallGate _gate;
    private readonly ILogger _logger;
    private readonly Uri _root;
    private readonly string _authorization;
    private readonly string _coordinates;

    public MexalWebApiClient(HttpClient http, MexalLedgerOptions options, MexalCallGate gate, ILogger logger)
    {
        _http = http;
        _options = options;
        _gate = gate;
        _logger = logger;
        var root = options.BaseAddress!.AbsoluteUri;
        _root = new Uri(root.EndsWith('/') ? root : root + "/", UriKind.Absolute);
        _authorization = BuildAuthorization(options.User, options.Password, options.Domain);
        _coordinates = BuildCoordinates(options.Company, options.SubCompany, options.Year);
    }

    /// <summary>The <c>Authorization</c> header value. It holds the password: never log it.</summary>
    internal static string BuildAuthorization(string user, string password, string? domain)
    {
        var token = Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));
        return domain is null ? "Passepartout " + token : "Passepartout " + token + " Dominio=" + domain;
    }

    /// <summary>The <c>Coordinate-Gestionale</c> header value.</summary>
    internal static string BuildCoordinates(string company, string? subCompany, int year) =>
        subCompany is null
            ? string.Create(CultureInfo.InvariantCulture, $"Azienda={company} Anno={year}")
            : string.Create(CultureInfo.InvariantCulture, $"Azienda={company} SottoAzienda={subCompany} Anno={year}");

    /// <summary>
    /// A key part as it goes in a path: as is (escaped) when plain, hex-encoded with <c>encoding=hex</c> when it holds
    /// <c>/</c> or <c>\</c> (e.g. <c>ARTI/S</c> → <c>415254492f53</c>).
    /// </summary>
    internal static (string Segment, bool Hex) EncodeKey(string key) =>
        key.Contains('/', StringComparison.Ordinal) || key.Contains('\\', StringComparison.Ordinal)
            ? (Convert.ToHexStringLower(Encoding.UTF8.GetBytes(key)), true)
            : (Uri.EscapeDataString(key), false);

    /// <summary>Pages through a resource (<c>GET</c>, or <c>POST …/ricerca</c> with filters), reading the next page while the caller works on this one.</summary>
    public async IAsyncEnumerable<MexalPage> ListAsync(
        string resource, IReadOnlyCollection<string> fields, IReadOnlyList<MexalFilter>? filters, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pending = FetchPageAsync(resource, fields, filters, next: null, number: 1, cancellationToken);
        try
        {
            while (pending is not null)
            {
                var page = await pending.ConfigureAwait(false);
                pending = page.Next is { Length: > 0 } next ? FetchPageAsync(resource, fields, filters, next, page.Number + 1, cancellationToken) : null;
                using (page)
                {
                    yield return page;
                }
            }
        }
        finally
        {
            if (pending is not null)
            {
                // The caller stopped early: let the prefetch finish, and drop it.
                try
                {
                    (await pending.ConfigureAwait(false)).Dispose();
                }
                catch (Exception ex) when (ex is MexalWebApiException or OperationCanceledException)
                {
                    // Nobody wants this page any more.
                }
            }
        }
    }

    /// <summary>Reads one record by key (<c>GET /risorse/{resource}/{key}</c>), hex-encoding the key when needed; <see langword="null"/> when Mexal answers 404.</summary>
    public async Task<JsonDocument?> GetAsync(string resource, string key, IReadOnlyCollection<string> fields, CancellationToken cancellationToken)
    {
        var (segment, hex) = EncodeKey(key);
        var query = new List<string> { "fields=" + string.Join(',', fields.Select(Uri.EscapeDataString)) };
        if (hex)
        {
            query.Add("encoding=hex");
        }

        var uri = new Uri(_root, "risorse/" + resource + "/" + segment + "?" + string.Join('&', query));
        var response = await SendAsync(HttpMethod.Get, uri, body: null, $"GET {resource}/{key}", pageToken: false, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <summary>Runs a services command (<c>POST /servizi</c>), following the <c>next</c> token, which travels in the body next to <c>cmd</c>.</summary>
    public async IAsyncEnumerable<MexalPage> ServiceAsync(string command, JsonObject data, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? next = null;
        for (var number = 1; ; number++)
        {
            var body = new JsonObject { ["cmd"] = command, ["dati"] = data.DeepClone() };
            if (next is not null)
            {
                body["next"] = next;
            }

            var document = await SendAsync(HttpMethod.Post, new Uri(_root, "servizi"), body, $"servizi {command} page {number}", pageToken: next is not null, cancellationToken).ConfigureAwait(false)
                ?? throw new MexalWebApiException($"Mexal WebAPI: the service '{command}' does not exist on this installation (404).", HttpStatusCode.NotFound);
            var page = ToPage(document, $"servizi {command}", number);
            next = page.Next;
            using (page)
            {
                yield return page;
            }

            if (next is not { Length: > 0 })
            {
                yield break;
            }
        }
    }

    private async Task<MexalPage> FetchPageAsync(string resource, IReadOnlyCollection<string> fields, IReadOnlyList<MexalFilter>? filters, string? next, int number, CancellationToken cancellationToken)
    {
        var query = new List<string>
        {
            "fields=" + string.Join(',', fields.Select(Uri.EscapeDataString)),
            "max=" + _options.PageSize.ToString(CultureInfo.InvariantCulture),
        };
        if (next is not null)
        {
            query.Add("next=" + Uri.EscapeDataString(next));
        }

        JsonObject? body = null;
        var path = "risorse/" + resource;
        if (filters is { Count: > 0 })
        {
            path += "/ricerca";
            var array = new JsonArray();
            foreach (var f in filters)
            {
                array.Add(new JsonObject { ["campo"] = f.Field, ["condizione"] = f.Condition, ["valore"] = f.Value.DeepClone() });
            }

            body = new JsonObject { ["filtri"] = array };
        }

        var what = $"/{resource} page {number}";
        var uri = new Uri(_root, path + "?" + string.Join('&', query));
        var document = await SendAsync(body is null ? HttpMethod.Get : HttpMethod.Post, uri, body, what, pageToken: next is not null, cancellationToken).ConfigureAwait(false)
            ?? throw new MexalWebApiException($"Mexal WebAPI: {what} answered 404: the resource does not exist on this installation (or the path is wrong).", HttpStatusCode.NotFound);
        LogPage(_logger, what, document.RootElement.TryGetProperty("dati", out var d) && d.ValueKind == JsonValueKind.Array ? d.GetArrayLength() : 0);
        return ToPage(document, what, number);
    }

    private static MexalPage ToPage(JsonDocument document, string what, int number)
    {
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("dati", out var dati) || dati.ValueKind != JsonValueKind.Array)
        {
            document.Dispose();
            throw new MexalPagingException($"Mexal WebAPI: {what} has no 'dati' array; the read stopped.");
        }

        var records = new List<JsonElement>(dati.GetArrayLength());
        foreach (var record in dati.EnumerateArray())
        {
            records.Add(record);
        }

        return new MexalPage(document, records, Text(root, "data_ric_elab"), Text(root, "next"), number);

        static string? Text(JsonElement root, string name) =>
            root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;
    }

    /// <summary>One call with the retry policy; <see langword="null"/> on 404.</summary>
    private async Task<JsonDocument?> SendAsync(HttpMethod method, Uri uri, JsonObject? body, string what, bool pageToken, CancellationToken cancellationToken)
    {
        var malformedRetried = false;
        for (var attempt = 0; ; attempt++)
        {
            if (_gate.AuthenticationFailure is { } failed)
            {
                throw new MexalAuthenticationException(
                    "Mexal WebAPI: not calling again after an authentication failure (it would lock the WebAPI user): " + failed.Message,
                    failed.Status, failed.Detail, failed.RequestId);
            }

            HttpStatusCode status;
            byte[] content;
            TimeSpan? retryAfter;
            await _gate.Slots.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(_options.RequestTimeout);
                using var request = new HttpRequestMessage(method, uri);
                request.Headers.TryAddWithoutValidation("Authorization", _authorization);
                request.Headers.TryAddWithoutValidation("Coordinate-Gestionale", _coordinates);
                request.Headers.Accept.ParseAdd("application/json");
                if (body is not null)
                {
                    request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
                }

                using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
                status = response.StatusCode;
                retryAfter = response.Headers.RetryAfter?.Delta;
                content = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (HttpRequestException ex) when (ex.InnerException is System.Security.Authentication.AuthenticationException)
            {
                throw new MexalWebApiException(
                    $"Mexal WebAPI: {what}: the server's TLS certificate is not trusted ({ex.InnerException.Message}). An on-premises Mexal often has a " +
                    "self-signed certificate: trust it on this machine, or set MexalLedgerOptions.AcceptUntrustedCertificate and pin CertificateThumbprint.",
                    innerException: ex);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or OperationCanceledException or IOException)
            {
                var reason = ex is OperationCanceledException ? $"no answer within {_options.RequestTimeout}" : ex.Message;
                if (attempt < _options.MaxRetries)
                {
                    var delay = Backoff(attempt, null);
                    LogRetry(_logger, what, reason, attempt + 1, delay.TotalMilliseconds);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw new MexalWebApiException($"Mexal WebAPI: {what} failed after {attempt + 1} attempts: {reason}.", innerException: ex);
            }
            finally
            {
                _gate.Slots.Release();
            }

            if (status is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var (detail, requestId) = ReadError(content);
                var failure = new MexalAuthenticationException(
                    $"Mexal WebAPI refused the credentials of user '{_options.User}'{(_options.Domain is null ? string.Empty : $" in domain '{_options.Domain}'")} " +
                    $"({(int)status}{(detail is null ? string.Empty : ": " + detail)}). No retry: repeated failures lock the WebAPI user. " +
                    "Check user, password and domain (and that the user is in the group 'Servizi WebAPI'), then start again.",
                    status, detail, requestId);
                _gate.AuthenticationFailure = failure;
                LogAuthenticationFailed(_logger, what, (int)status, _options.User);
                throw failure;
            }

            if (status == HttpStatusCode.ServiceUnavailable)
            {
                if (attempt < _options.MaxRetries)
                {
                    var delay = Backoff(attempt, retryAfter);
                    LogRetry(_logger, what, "503, the WebAPI user's pool of services is exhausted", attempt + 1, delay.TotalMilliseconds);
                    await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                var (detail, requestId) = ReadError(content);
                throw new MexalWebApiException(
                    $"Mexal WebAPI: {what} still answered 503 (pool of services exhausted) after {attempt + 1} attempts; other clients may be using the same WebAPI user.",
                    status, detail, requestId);
            }

            if (status == HttpStatusCode.NotFound && !pageToken)
            {
                return null;
            }

            if ((int)status is < 200 or > 299)
            {
                var (detail, requestId) = ReadError(content);
                var text = $"Mexal WebAPI: {what} answered {(int)status}{(detail is null ? string.Empty : ": " + detail)}{(requestId is null ? string.Empty : $" (request-id {requestId})")}";
                if (pageToken && (int)status is >= 400 and < 500)
                {
                    throw new MexalPagingException(
                        text + ". The 'next' token of the previous page was refused: Mexal's tokens are short-lived and must be used at once. " +
                        "The read stopped here; what was aligned before stays, and the next sync reads again from the same cursor.",
                        status, detail, requestId);
                }

                throw new MexalWebApiException(text + ".", status, detail, requestId);
            }

            try
            {
                return JsonDocument.Parse(content);
            }
            catch (JsonException ex) when (!malformedRetried)
            {
                malformedRetried = true;
                LogMalformed(_logger, what, ex.Message);
                attempt--;
            }
            catch (JsonException ex)
            {
                throw new MexalPagingException($"Mexal WebAPI: {what} is not valid JSON, twice ({ex.Message}); the read stopped.", status, innerException: ex);
            }
        }
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var ceiling = Math.Min(_options.RetryMaxDelay.TotalMilliseconds, _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt));
        var jittered = (ceiling / 2) + (Random.Shared.NextDouble() * ceiling / 2); // "Equal jitter": never zero, never in lockstep.
        if (retryAfter is { } ra && ra.TotalMilliseconds > jittered)
        {
            jittered = Math.Min(ra.TotalMilliseconds, _options.RetryMaxDelay.TotalMilliseconds);
        }

        return TimeSpan.FromMilliseconds(jittered);
    }

    /// <summary>Reads Mexal's error body <c>{"error": {"response-detail", "request-id", …}}</c>, when there is one.</summary>
    internal static (string? Detail, string? RequestId) ReadError(byte[] content)
    {
        try
        {
            using var document = JsonDocument.Parse(content);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                string? Read(string name) => error.TryGetProperty(name, out var v) ? v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText() : null;
                return (Read("response-detail") ?? Read("response-message"), Read("request-id"));
            }
        }
        catch (JsonException)
        {
            // No JSON error body: the status says it all.
        }

        return (null, null);
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Mexal WebAPI: read {What}, {Records} records")]
    private static partial void LogPage(ILogger logger, string what, int records);

    [LoggerMessage(EventId = 11, Level = LogLevel.Warning, Message = "Mexal WebAPI: {What}: {Reason}; retry {Attempt} in {DelayMs:0} ms")]
    private static partial void LogRetry(ILogger logger, string what, string reason, int attempt, double delayMs);

    [LoggerMessage(EventId = 12, Level = LogLevel.Error, Message = "Mexal WebAPI: {What}: credentials of user {User} refused ({Status}); no further call will be made")]
    private static partial void LogAuthenticationFailed(ILogger logger, string what, int status, string user);

    [LoggerMessage(EventId = 13, Level = LogLevel.Warning, Message = "Mexal WebAPI: {What} is not valid JSON ({Error}); reading it once more")]
    private static partial void LogMalformed(ILogger logger, string what, string error);
}
