using System.Globalization;
using CreditRecovery.Procedures;
using MimeKit;

namespace CreditRecovery.Delivery.Email;

/// <summary>What every outgoing mail channel needs to build a message: the sender fallback and the Message-ID domain.</summary>
public abstract class MailChannelOptions
{
    /// <summary>
    /// The sender address used when the outgoing message carries none (normally the company profile supplies it).
    /// For PEC it is the PEC mailbox and always used.
    /// </summary>
    public string? From { get; set; }

    /// <summary>The sender's display name used when the outgoing message carries none.</summary>
    public string? FromName { get; set; }

    /// <summary>
    /// The right-hand side of the Message-IDs (<c>cr.…@domain</c>); default: the domain of the sender address.
    /// </summary>
    public string? MessageIdDomain { get; set; }

    /// <summary>The options' name in messages, e.g. <c>SmtpEmailOptions</c>.</summary>
    private protected string Name => GetType().Name;

    /// <summary>Returns every problem with the options; empty when they are usable. Never echoes a password.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        AddErrors(errors);
        return errors;
    }

    /// <summary>Adds the problems of these options to <paramref name="errors"/>.</summary>
    /// <param name="errors">The list to add to.</param>
    private protected virtual void AddErrors(List<string> errors)
    {
        if (From is not null && !MailAddresses.IsValidMailbox(From))
        {
            errors.Add($"{Name}.From '{From}' is not a valid e-mail address.");
        }

        if (MessageIdDomain is not null && !MailAddresses.IsValidDomain(MessageIdDomain))
        {
            errors.Add($"{Name}.MessageIdDomain '{MessageIdDomain}' is not a valid domain name (e.g. 'acme.example').");
        }
    }
}

/// <summary>How the connection to the SMTP server is secured.</summary>
public enum SmtpSecurity
{
    /// <summary>Plain connection upgraded with STARTTLS, which the server must offer (submission port 587).</summary>
    StartTls,

    /// <summary>TLS from the first byte (implicit TLS, "SMTPS", port 465).</summary>
    SslOnConnect,

    /// <summary>No encryption at all: only for a relay on the same machine or a trusted network.</summary>
    None,
}

/// <summary>The SMTP server a channel sends through. Validated at start; the password is never logged nor shown.</summary>
public abstract class SmtpServerOptions : MailChannelOptions
{
    /// <summary>The SMTP server's host name or IP address. Required.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The port; 0 (default) picks the usual one for <see cref="Security"/>: 587, 465 or 25.</summary>
    public int Port { get; set; }

    /// <summary>How the connection is secured. Default <see cref="SmtpSecurity.StartTls"/>.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>The user to authenticate as; <see langword="null"/> sends without authentication.</summary>
    public string? UserName { get; set; }

    /// <summary>The password of <see cref="UserName"/>. A secret: never logged, never in <see cref="ToString"/> or in an error.</summary>
    public string? Password { get; set; }

    /// <summary>The time allowed to each network operation (connect, command, upload). Default 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Accept a server certificate whose only problem is that nobody trusted vouches for it (self-signed, private CA).
    /// The host name must still match. Default <see langword="false"/>: the certificate is fully validated.
    /// </summary>
    public bool AllowSelfSignedCertificate { get; set; }

    /// <summary>
    /// How long an open connection is kept for the next message (connection reuse within a batch); zero closes it after
    /// each message. Default 30 seconds. A reused connection is checked with NOOP before sending.
    /// </summary>
    public TimeSpan ConnectionIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The name the client gives in EHLO; default: MailKit's (the machine's name).</summary>
    public string? LocalDomain { get; set; }

    /// <summary>The port actually used: <see cref="Port"/>, or the usual port for <see cref="Security"/>.</summary>
    public int EffectivePort => Port != 0 ? Port : Security switch
    {
        SmtpSecurity.SslOnConnect => 465,
        SmtpSecurity.None => 25,
        _ => 587,
    };

    /// <summary>The user name actually sent; PEC falls back to its address.</summary>
    internal virtual string? EffectiveUserName => UserName;

    /// <summary>Describes the server without the password.</summary>
    /// <returns>E.g. <c>SmtpEmailOptions smtp.acme.example:587 StartTls user=mailer password=***</c>.</returns>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name} {Host}:{EffectivePort} {Security} user={EffectiveUserName ?? "(none)"} password={(string.IsNullOrEmpty(Password) ? "(none)" : "***")}");

    /// <inheritdoc />
    private protected override void AddErrors(List<string> errors)
    {
        base.AddErrors(errors);
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add($"{Name}.Host is required (the SMTP server's name or address).");
        }
        else if (Uri.CheckHostName(Host.Trim()) == UriHostNameType.Unknown)
        {
            errors.Add($"{Name}.Host '{Host}' is not a valid host name or IP address.");
        }

        if (Port is < 0 or > 65535)
        {
            errors.Add($"{Name}.Port {Port.ToString(CultureInfo.InvariantCulture)} is out of range: use 1-65535, or 0 for the usual port.");
        }

        if (!Enum.IsDefined(Security))
        {
            errors.Add($"{Name}.Security has an unknown value.");
        }

        if (!string.IsNullOrEmpty(Password) && string.IsNullOrWhiteSpace(EffectiveUserName))
        {
            errors.Add($"{Name}.Password is set but {Name}.UserName is not: set both, or neither to send without authentication.");
        }

        if (!string.IsNullOrWhiteSpace(UserName) && string.IsNullOrEmpty(Password))
        {
            errors.Add($"{Name}.Password is required when {Name}.UserName is set (its value is never shown).");
        }

        if (Timeout <= TimeSpan.Zero || Timeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"{Name}.Timeout must be positive (e.g. 30 seconds).");
        }

        if (ConnectionIdleTimeout < TimeSpan.Zero)
        {
            errors.Add($"{Name}.ConnectionIdleTimeout cannot be negative (zero closes the connection after each message).");
        }
    }
}

/// <summary>The e-mail channel's SMTP server (<see cref="SmtpEmailChannel"/>).</summary>
public sealed class SmtpEmailOptions : SmtpServerOptions
{
}

/// <summary>
/// The company's PEC mailbox (*posta elettronica certificata*) that <see cref="PecChannel"/> sends through: SMTP over
/// TLS, default SSL on connect at port 465. <see cref="MailChannelOptions.From"/> is the PEC address (required): PEC
/// providers only accept messages whose sender is the authenticated mailbox.
/// </summary>
public sealed class PecMailOptions : SmtpServerOptions
{
    /// <summary>Creates the options with PEC's usual security, SSL on connect.</summary>
    public PecMailOptions() => Security = SmtpSecurity.SslOnConnect;

    /// <summary>PEC providers log in with the mailbox address: the user name defaults to <see cref="MailChannelOptions.From"/>.</summary>
    internal override string? EffectiveUserName => string.IsNullOrWhiteSpace(UserName) ? From : UserName;

    /// <inheritdoc />
    private protected override void AddErrors(List<string> errors)
    {
        base.AddErrors(errors);
        if (string.IsNullOrWhiteSpace(From))
        {
            errors.Add("PecMailOptions.From is required: the company's PEC address, the only sender a PEC provider accepts.");
        }

        if (Security == SmtpSecurity.None)
        {
            errors.Add("PecMailOptions.Security cannot be None: PEC providers require TLS (SslOnConnect on 465, or StartTls).");
        }

        if (string.IsNullOrEmpty(Password))
        {
            errors.Add("PecMailOptions.Password is required: a PEC mailbox always needs authentication (its value is never shown).");
        }
    }
}

/// <summary>How a fax number is written into the gateway's address.</summary>
public enum FaxNumberFormat
{
    /// <summary>As dialled in the country of <see cref="FaxGatewayOptions.CountryCode"/>: <c>0212345678</c>; other countries get <c>00</c> and their code.</summary>
    National,

    /// <summary>International with a plus: <c>+390212345678</c>.</summary>
    InternationalPlus,

    /// <summary>International with 00: <c>00390212345678</c>.</summary>
    InternationalZeroZero,

    /// <summary>International digits only: <c>390212345678</c>.</summary>
    InternationalDigits,
}

/// <summary>
/// The e-mail-to-fax gateway that <see cref="FaxGatewayChannel"/> sends through: an SMTP server, and the address pattern
/// that turns a fax number into the gateway's recipient address.
/// </summary>
public sealed class FaxGatewayOptions : SmtpServerOptions
{
    /// <summary>The gateway's address pattern with a <c>{number}</c> placeholder, e.g. <c>{number}@fax.provider.example</c>. Required.</summary>
    public string AddressPattern { get; set; } = string.Empty;

    /// <summary>The country code of numbers written without one (default <c>39</c>, Italy).</summary>
    public string CountryCode { get; set; } = "39";

    /// <summary>How the number is written into <see cref="AddressPattern"/>. Default <see cref="FaxNumberFormat.InternationalPlus"/>.</summary>
    public FaxNumberFormat NumberFormat { get; set; } = FaxNumberFormat.InternationalPlus;

    /// <summary>The attachment types the gateway transmits (default <c>application/pdf</c>); other attachments are left out and reported.</summary>
    public ISet<string> AttachmentContentTypes { get; set; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "application/pdf" };

    /// <inheritdoc />
    private protected override void AddErrors(List<string> errors)
    {
        base.AddErrors(errors);
        errors.AddRange(FaxNumbers.ValidatePattern(Name, AddressPattern, CountryCode));
        if (!Enum.IsDefined(NumberFormat))
        {
            errors.Add("FaxGatewayOptions.NumberFormat has an unknown value.");
        }

        if (AttachmentContentTypes is null)
        {
            errors.Add("FaxGatewayOptions.AttachmentContentTypes is required (it may be empty).");
        }
    }

    /// <summary>The number rules.</summary>
    internal FaxNumbers Numbers => new(CountryCode, NumberFormat);
}

/// <summary>
/// The pickup folder that <see cref="PickupFolderChannel"/> writes <c>.eml</c> files into: the embedded default, with no
/// mail server at all (a relay, a mail client or a person picks the files up).
/// </summary>
public sealed class PickupFolderOptions : MailChannelOptions
{
    /// <summary>The folder the <c>.eml</c> files go to; created when missing. Required.</summary>
    public string Folder { get; set; } = string.Empty;

    /// <summary>
    /// The channels the folder stands in for; one <see cref="PickupFolderChannel"/> is registered per channel. Read when
    /// <see cref="EmailDeliveryServiceCollectionExtensions.AddPickupFolder"/> runs. Default e-mail, PEC and fax.
    /// </summary>
    public ISet<DeliveryChannel> Channels { get; set; } = new HashSet<DeliveryChannel> { DeliveryChannel.Email, DeliveryChannel.Pec, DeliveryChannel.Fax };

    /// <summary>The address a fax number is written to in the file, as a fax gateway would receive it. Default <c>{number}@fax.invalid</c>.</summary>
    public string FaxAddressPattern { get; set; } = "{number}@fax.invalid";

    /// <summary>The country code of fax numbers written without one (default <c>39</c>).</summary>
    public string FaxCountryCode { get; set; } = "39";

    /// <inheritdoc />
    private protected override void AddErrors(List<string> errors)
    {
        base.AddErrors(errors);
        if (string.IsNullOrWhiteSpace(Folder))
        {
            errors.Add("PickupFolderOptions.Folder is required (where the .eml files are written).");
        }
        else if (Folder.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"PickupFolderOptions.Folder '{Folder}' is not a valid path.");
        }

        if (Channels is null || Channels.Count == 0)
        {
            errors.Add("PickupFolderOptions.Channels must name at least one channel (Email, Pec, Fax).");
        }
        else
        {
            foreach (var channel in Channels.Where(c => c is not (DeliveryChannel.Email or DeliveryChannel.Pec or DeliveryChannel.Fax)))
            {
                errors.Add($"PickupFolderOptions.Channels contains {channel}: the pickup folder writes e-mails, so it stands in for Email, Pec and Fax only.");
            }
        }

        if (Channels?.Contains(DeliveryChannel.Fax) == true)
        {
            errors.AddRange(FaxNumbers.ValidatePattern(Name, FaxAddressPattern, FaxCountryCode, "FaxAddressPattern", "FaxCountryCode"));
        }
    }
}

/// <summary>Address checks shared by the options and the builder.</summary>
internal static class MailAddresses
{
    /// <summary>Parses one mailbox with a user and a domain; <see langword="null"/> when it is not one.</summary>
    public static MailboxAddress? ParseMailbox(string? text, string? name = null)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Contains('\r', StringComparison.Ordinal) || text.Contains('\n', StringComparison.Ordinal))
        {
            return null;
        }

        if (!MailboxAddress.TryParse(ParserOptions.Default, text.Trim(), out var mailbox) || mailbox is null)
        {
            return null;
        }

        var address = mailbox.Address;
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || !IsValidDomain(address[(at + 1)..]) || address.Contains(' ', StringComparison.Ordinal))
        {
            return null;
        }

        return string.IsNullOrWhiteSpace(name) ? mailbox : new MailboxAddress(name.Trim(), mailbox.Address);
    }

    /// <summary>Whether the text is one valid mailbox.</summary>
    public static bool IsValidMailbox(string? text) => ParseMailbox(text) is not null;

    /// <summary>Whether the text is a domain name with at least one dot, or an IP literal.</summary>
    public static bool IsValidDomain(string? domain)
    {
        if (string.IsNullOrWhiteSpace(domain))
        {
            return false;
        }

        var d = domain.Trim().TrimStart('@');
        if (d.StartsWith('[') && d.EndsWith(']'))
        {
            return true;
        }

        return Uri.CheckHostName(d) == UriHostNameType.Dns && d.Contains('.', StringComparison.Ordinal) && !d.StartsWith('.') && !d.EndsWith('.');
    }

    /// <summary>The domain of an address.</summary>
    public static string DomainOf(MailboxAddress mailbox) => mailbox.Address[(mailbox.Address.LastIndexOf('@') + 1)..];
}
