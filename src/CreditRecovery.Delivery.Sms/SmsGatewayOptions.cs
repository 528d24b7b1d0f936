namespace CreditRecovery.Delivery.Sms;

/// <summary>
/// How to reach an HTTP SMS gateway. One generic client covers the usual providers: a POST of a JSON object or an HTML
/// form with configurable field names, an authentication header, and the provider's message id read from the JSON
/// response. Validated at start by <see cref="SmsGatewayServiceCollectionExtensions.AddSmsGateway"/>.
/// </summary>
/// <remarks>
/// Secrets (<see cref="BearerToken"/>, <see cref="Password"/>, <see cref="HeaderValue"/>) are never logged and never
/// appear in validation or delivery errors. Do not put secrets in <see cref="Endpoint"/>'s query string: URLs appear in
/// errors; the HTTP client's own request logging is switched off for the same reason.
/// </remarks>
public sealed class SmsGatewayOptions
{
    /// <summary>The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client the channel uses.</summary>
    public const string HttpClientName = "CreditRecovery.Sms";

    /// <summary>The gateway's send URL (http or https). Required.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>JSON object or HTML form body. Default <see cref="SmsBodyFormat.Json"/>.</summary>
    public SmsBodyFormat Format { get; set; } = SmsBodyFormat.Json;

    /// <summary>The field holding the recipient's number. Default <c>to</c>. Required.</summary>
    public string ToField { get; set; } = "to";

    /// <summary>Send the recipient as a one-element JSON array (e.g. <c>"recipients": ["+39..."]</c>). JSON only.</summary>
    public bool RecipientAsArray { get; set; }

    /// <summary>Send the number without the leading <c>+</c> (<c>393331234567</c>), as some gateways want.</summary>
    public bool OmitPlus { get; set; }

    /// <summary>The field holding the text. Default <c>text</c>. Required.</summary>
    public string TextField { get; set; } = "text";

    /// <summary>The field holding the sender; <see langword="null"/> sends none. Default <c>from</c>.</summary>
    public string? SenderField { get; set; } = "from";

    /// <summary>
    /// The sender shown on the phone: an alphanumeric id of at most 11 characters (e.g. <c>ACME</c>) or a number;
    /// <see langword="null"/> lets the gateway choose.
    /// </summary>
    public string? Sender { get; set; }

    /// <summary>
    /// The field holding the client reference (the outbox message's id, or its hash, see <see cref="ClientReference"/>):
    /// gateways that de-duplicate on it make a retried send harmless. <see langword="null"/> sends none. Default
    /// <c>reference</c>.
    /// </summary>
    public string? ClientReferenceField { get; set; } = "reference";

    /// <summary>What goes in <see cref="ClientReferenceField"/>. Default the outbox id as it is.</summary>
    public SmsClientReference ClientReference { get; set; } = SmsClientReference.OutboxId;

    /// <summary>Constant fields added to every request (account id, message type, ...); not secret: they may be logged.</summary>
    public Dictionary<string, string> ExtraFields { get; } = new(StringComparer.Ordinal);

    /// <summary>How the gateway authenticates us. Default <see cref="SmsAuthentication.None"/>.</summary>
    public SmsAuthentication Authentication { get; set; } = SmsAuthentication.None;

    /// <summary>The token for <see cref="SmsAuthentication.Bearer"/>. Secret.</summary>
    public string? BearerToken { get; set; }

    /// <summary>The user for <see cref="SmsAuthentication.Basic"/>.</summary>
    public string? UserName { get; set; }

    /// <summary>The password for <see cref="SmsAuthentication.Basic"/>. Secret.</summary>
    public string? Password { get; set; }

    /// <summary>The header name for <see cref="SmsAuthentication.Header"/>, e.g. <c>X-Api-Key</c>.</summary>
    public string? HeaderName { get; set; }

    /// <summary>The header value for <see cref="SmsAuthentication.Header"/>. Secret.</summary>
    public string? HeaderValue { get; set; }

    /// <summary>
    /// Where the provider's message id is in a JSON response: property names separated by dots, with <c>[n]</c> for array
    /// items, e.g. <c>id</c>, <c>data.message_id</c>, <c>messages[0].id</c>. <see langword="null"/> keeps none. Default
    /// <c>id</c>.
    /// </summary>
    public string? MessageIdPath { get; set; } = "id";

    /// <summary>
    /// Where an error response's message is, tried in order (same syntax as <see cref="MessageIdPath"/>); when none
    /// matches, the start of the body is quoted.
    /// </summary>
    public IList<string> ErrorMessagePaths { get; } = ["message", "error.message", "error_description", "error", "errors[0].message", "detail", "title", "description"];

    /// <summary>The most GSM segments a message may take; longer texts are cut (see <see cref="SmsText"/>). Default 3.</summary>
    public int MaxSegments { get; set; } = 3;

    /// <summary>Replace typographic characters with GSM-7 ones before counting (see <see cref="SmsText.Transliterate"/>). Default on.</summary>
    public bool TransliterateToGsm { get; set; } = true;

    /// <summary>How long one request may take. Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns every problem with the options; empty when they are usable. Never echoes a secret.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Endpoint is null)
        {
            errors.Add("SmsGatewayOptions.Endpoint is required (the gateway's send URL).");
        }
        else if (!Endpoint.IsAbsoluteUri || (Endpoint.Scheme != Uri.UriSchemeHttp && Endpoint.Scheme != Uri.UriSchemeHttps))
        {
            errors.Add("SmsGatewayOptions.Endpoint must be an absolute http or https URL.");
        }

        if (string.IsNullOrWhiteSpace(ToField))
        {
            errors.Add("SmsGatewayOptions.ToField is required.");
        }

        if (string.IsNullOrWhiteSpace(TextField))
        {
            errors.Add("SmsGatewayOptions.TextField is required.");
        }

        if (SenderField is not null && string.IsNullOrWhiteSpace(SenderField))
        {
            errors.Add("SmsGatewayOptions.SenderField cannot be blank: set it to null to send no sender.");
        }

        if (ClientReferenceField is not null && string.IsNullOrWhiteSpace(ClientReferenceField))
        {
            errors.Add("SmsGatewayOptions.ClientReferenceField cannot be blank: set it to null to send no reference.");
        }

        var names = new[] { ToField, TextField, SenderField, ClientReferenceField }.Where(n => !string.IsNullOrWhiteSpace(n)).Concat(ExtraFields.Keys).ToList();
        foreach (var duplicate in names.GroupBy(n => n, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"SmsGatewayOptions: the field '{duplicate.Key}' is used twice.");
        }

        if (Sender is { Length: > 0 } sender)
        {
            var numeric = sender.TrimStart('+').All(char.IsAsciiDigit);
            if (numeric ? sender.TrimStart('+').Length > 16 : sender.Length > 11 || !sender.All(c => char.IsAsciiLetterOrDigit(c) || c == ' '))
            {
                errors.Add($"SmsGatewayOptions.Sender '{sender}' must be at most 11 letters, digits or spaces, or a number of at most 16 digits.");
            }
        }

        if (RecipientAsArray && Format == SmsBodyFormat.Form)
        {
            errors.Add("SmsGatewayOptions.RecipientAsArray needs Format = Json.");
        }

        switch (Authentication)
        {
            case SmsAuthentication.None:
                break;
            case SmsAuthentication.Bearer when string.IsNullOrWhiteSpace(BearerToken):
                errors.Add("SmsGatewayOptions.BearerToken is required with Authentication = Bearer.");
                break;
            case SmsAuthentication.Basic when string.IsNullOrWhiteSpace(UserName) || Password is null:
                errors.Add("SmsGatewayOptions.UserName and Password are required with Authentication = Basic.");
                break;
            case SmsAuthentication.Basic when UserName!.Contains(':', StringComparison.Ordinal):
                errors.Add("SmsGatewayOptions.UserName cannot contain ':' with Basic authentication.");
                break;
            case SmsAuthentication.Header when string.IsNullOrWhiteSpace(HeaderName) || string.IsNullOrWhiteSpace(HeaderValue):
                errors.Add("SmsGatewayOptions.HeaderName and HeaderValue are required with Authentication = Header.");
                break;
            case SmsAuthentication.Bearer or SmsAuthentication.Basic or SmsAuthentication.Header:
                break;
            default:
                errors.Add($"SmsGatewayOptions.Authentication {(int)Authentication} is not a known value.");
                break;
        }

        if (MessageIdPath is not null && !JsonPath.IsValid(MessageIdPath))
        {
            errors.Add($"SmsGatewayOptions.MessageIdPath '{MessageIdPath}' is not a property path such as 'id' or 'messages[0].id'.");
        }

        foreach (var path in ErrorMessagePaths.Where(p => !JsonPath.IsValid(p)))
        {
            errors.Add($"SmsGatewayOptions.ErrorMessagePaths: '{path}' is not a property path such as 'error.message'.");
        }

        if (MaxSegments is < 1 or > 10)
        {
            errors.Add($"SmsGatewayOptions.MaxSegments must be between 1 and 10 (is {MaxSegments}).");
        }

        if (Timeout <= TimeSpan.Zero || Timeout > TimeSpan.FromMinutes(10))
        {
            errors.Add($"SmsGatewayOptions.Timeout must be positive and at most 10 minutes (is {Timeout}).");
        }

        return errors;
    }
}

/// <summary>How the request body is encoded.</summary>
public enum SmsBodyFormat
{
    /// <summary>A JSON object (<c>application/json</c>).</summary>
    Json,

    /// <summary>An HTML form (<c>application/x-www-form-urlencoded</c>).</summary>
    Form,
}

/// <summary>How the gateway authenticates the sender.</summary>
public enum SmsAuthentication
{
    /// <summary>No authentication header (e.g. a key in <see cref="SmsGatewayOptions.ExtraFields"/> or the network).</summary>
    None,

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    Bearer,

    /// <summary><c>Authorization: Basic base64(user:password)</c>.</summary>
    Basic,

    /// <summary>A custom header, e.g. <c>X-Api-Key: &lt;key&gt;</c>.</summary>
    Header,
}

/// <summary>What the client reference sent with each message is.</summary>
public enum SmsClientReference
{
    /// <summary>The outbox message's id as it is (company/customer/step/date...).</summary>
    OutboxId,

    /// <summary>The first 32 hex digits of the SHA-256 of the outbox id: for gateways that limit length or characters.</summary>
    OutboxIdHash,
}
