using System.Globalization;
using System.Net;

namespace CreditRecovery.Mailbox.Imap;

/// <summary>How the connection to the IMAP server is secured.</summary>
public enum ImapSecurity
{
    /// <summary>TLS from the first byte (IMAPS, port 993): what PEC providers offer.</summary>
    SslOnConnect,

    /// <summary>Plain connection upgraded with STARTTLS (port 143); the upgrade is required, never skipped.</summary>
    StartTls,

    /// <summary>No encryption at all: accepted only towards a loopback address (tests, a local relay).</summary>
    None,
}

/// <summary>
/// Where the IMAP mailbox is, how to log in, how read mails are acknowledged and where their evidence goes. Validated at
/// start by <see cref="ImapMailboxServiceCollectionExtensions.AddImapMailbox"/>.
/// </summary>
/// <remarks>
/// <para>
/// Acknowledging a mail sets the keyword <see cref="AcknowledgeKeyword"/> on it; a read returns the mails without it.
/// Servers whose folder accepts no custom keywords fall back to the <c>\Seen</c> flag (a warning is logged): then a
/// person opening the mailbox with a mail client marks mails as read and the SDK skips them, so prefer a server with
/// keywords, or set <see cref="ProcessedFolder"/> to move acknowledged mails out of <see cref="Folder"/> instead.
/// </para>
/// <para>The password is a secret: it is never logged and never put in an exception or validation message.</para>
/// </remarks>
public sealed class ImapMailboxOptions
{
    /// <summary>The default keyword that marks an acknowledged mail.</summary>
    public const string DefaultAcknowledgeKeyword = "$CreditRecoveryDone";

    /// <summary>The IMAP server's host name, e.g. <c>imaps.pec.aruba.it</c>. Required.</summary>
    public string Host { get; set; } = string.Empty;

    /// <summary>The TCP port; <see langword="null"/> means 993 with <see cref="ImapSecurity.SslOnConnect"/>, otherwise 143.</summary>
    public int? Port { get; set; }

    /// <summary>How the connection is secured. Default <see cref="ImapSecurity.SslOnConnect"/>.</summary>
    public ImapSecurity Security { get; set; } = ImapSecurity.SslOnConnect;

    /// <summary>
    /// Whether a server certificate that does not validate (self-signed, wrong name, expired) is accepted. Default
    /// <see langword="false"/>; set it only for a test server or a relay you control — a warning is logged on every connection.
    /// </summary>
    public bool AcceptUntrustedCertificate { get; set; }

    /// <summary>The login name (for PEC, usually the whole address). Required.</summary>
    public string UserName { get; set; } = string.Empty;

    /// <summary>The password. Required; never logged.</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>The folder read, e.g. <c>INBOX</c> (the default) or <c>INBOX/Ricevute</c>.</summary>
    public string Folder { get; set; } = "INBOX";

    /// <summary>The keyword set on acknowledged mails. Default <see cref="DefaultAcknowledgeKeyword"/>.</summary>
    public string AcknowledgeKeyword { get; set; } = DefaultAcknowledgeKeyword;

    /// <summary>
    /// When set, acknowledged mails are moved to this folder (created when missing) instead of getting
    /// <see cref="AcknowledgeKeyword"/>, and a read returns every mail left in <see cref="Folder"/>.
    /// </summary>
    public string? ProcessedFolder { get; set; }

    /// <summary>
    /// The folder where the raw <c>.eml</c> of every mail read is kept, write-once, as <c>yyyy/MM/yyyyMMddTHHmmssZ-hash.eml</c>.
    /// Required: PEC receipts are legal evidence and the provider keeps them only for a limited time.
    /// </summary>
    public string EvidenceFolder { get; set; } = string.Empty;

    /// <summary>The network timeout of each IMAP command. Default 2 minutes.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The port actually used: <see cref="Port"/> or the default of <see cref="Security"/>.</summary>
    public int EffectivePort => Port ?? (Security == ImapSecurity.SslOnConnect ? 993 : 143);

    /// <summary>Checks the options; every problem is described in one message, the password never appears.</summary>
    /// <returns>The problems; empty when the options are valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(Host))
        {
            errors.Add("ImapMailboxOptions.Host is required (the IMAP server's host name).");
        }

        if (Port is < 1 or > 65535)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"ImapMailboxOptions.Port must be between 1 and 65535, not {Port}."));
        }

        if (!Enum.IsDefined(Security))
        {
            errors.Add($"ImapMailboxOptions.Security '{Security}' is not one of SslOnConnect, StartTls, None.");
        }
        else if (Security == ImapSecurity.None && !string.IsNullOrWhiteSpace(Host) && !IsLoopback(Host))
        {
            errors.Add($"ImapMailboxOptions.Security is None but Host '{Host}' is not a loopback address: the password and the mails would travel in clear. Use SslOnConnect or StartTls.");
        }

        if (string.IsNullOrWhiteSpace(UserName))
        {
            errors.Add("ImapMailboxOptions.UserName is required (the login name, for PEC usually the whole address).");
        }

        if (string.IsNullOrEmpty(Password))
        {
            errors.Add("ImapMailboxOptions.Password is required.");
        }

        if (string.IsNullOrWhiteSpace(Folder))
        {
            errors.Add("ImapMailboxOptions.Folder is required (e.g. INBOX).");
        }

        if (ProcessedFolder is not null)
        {
            if (string.IsNullOrWhiteSpace(ProcessedFolder))
            {
                errors.Add("ImapMailboxOptions.ProcessedFolder is blank: leave it null to acknowledge with a keyword, or name a folder.");
            }
            else if (string.Equals(ProcessedFolder.Trim(), Folder?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"ImapMailboxOptions.ProcessedFolder '{ProcessedFolder}' is the folder read: acknowledged mails would be read again.");
            }
        }
        else if (!IsAtom(AcknowledgeKeyword))
        {
            errors.Add($"ImapMailboxOptions.AcknowledgeKeyword '{AcknowledgeKeyword}' is not a valid IMAP keyword: use letters, digits and $._- only, not starting with a backslash.");
        }

        if (string.IsNullOrWhiteSpace(EvidenceFolder))
        {
            errors.Add("ImapMailboxOptions.EvidenceFolder is required: the raw .eml of every receipt and reply is kept there as evidence.");
        }
        else if (EvidenceFolder.IndexOfAny(Path.GetInvalidPathChars()) >= 0)
        {
            errors.Add($"ImapMailboxOptions.EvidenceFolder '{EvidenceFolder}' is not a valid path.");
        }

        if (Timeout <= TimeSpan.Zero || Timeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add($"ImapMailboxOptions.Timeout must be positive and under 24 days, not {Timeout}.");
        }

        return errors;
    }

    internal static bool IsLoopback(string host)
    {
        var name = host.Trim().TrimStart('[').TrimEnd(']');
        return string.Equals(name, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(name, out var address) && IPAddress.IsLoopback(address));
    }

    private static bool IsAtom(string? keyword) =>
        !string.IsNullOrEmpty(keyword)
        && keyword.Length <= 100
        && keyword.All(c => char.IsAsciiLetterOrDigit(c) || c is '$' or '.' or '_' or '-');
}
