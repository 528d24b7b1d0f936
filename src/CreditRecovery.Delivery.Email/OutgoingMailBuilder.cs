using System.Globalization;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>How a channel wants its messages built.</summary>
public sealed record MailBuildSettings
{
    /// <summary>The channel the messages belong to; a message for another channel is refused.</summary>
    public required DeliveryChannel Channel { get; init; }

    /// <summary>The sender used when the message carries none (or always, with <see cref="ForceFrom"/>).</summary>
    public string? From { get; init; }

    /// <summary>The sender's name used when the message carries none.</summary>
    public string? FromName { get; init; }

    /// <summary>Whether <see cref="From"/> replaces the message's sender (PEC: only the mailbox itself may send).</summary>
    public bool ForceFrom { get; init; }

    /// <summary>The right-hand side of the Message-ID; default: the sender's domain.</summary>
    public string? MessageIdDomain { get; init; }

    /// <summary>The recipient address to use instead of the outbox record's (a fax gateway's address).</summary>
    public string? RecipientAddress { get; init; }

    /// <summary>Whether the HTML body is sent (as multipart/alternative with the text). Default <see langword="true"/>.</summary>
    public bool IncludeHtml { get; init; } = true;

    /// <summary>The attachment types sent; <see langword="null"/> sends all. Others are left out and reported.</summary>
    public IReadOnlySet<string>? AttachmentContentTypes { get; init; }

    /// <summary>Settings from a channel's options.</summary>
    /// <param name="channel">The channel.</param>
    /// <param name="options">The options.</param>
    public static MailBuildSettings For(DeliveryChannel channel, MailChannelOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new MailBuildSettings
        {
            Channel = channel,
            From = options.From,
            FromName = options.FromName,
            MessageIdDomain = options.MessageIdDomain,
        };
    }
}

/// <summary>A message built for sending: the MIME message and its SMTP envelope.</summary>
public sealed record OutgoingMail
{
    /// <summary>The MIME message.</summary>
    public required MimeMessage Message { get; init; }

    /// <summary>Its Message-ID (without angle brackets), stable for one outbox record.</summary>
    public required string MessageId { get; init; }

    /// <summary>The envelope sender.</summary>
    public required MailboxAddress Sender { get; init; }

    /// <summary>The customer's addresses: a rejection of any of them fails the message.</summary>
    public required IReadOnlyList<MailboxAddress> To { get; init; }

    /// <summary>Internal copies: a rejection is reported but does not fail the message.</summary>
    public required IReadOnlyList<MailboxAddress> Cc { get; init; }

    /// <summary>What was left out while building (an invalid Cc, an attachment the channel cannot send).</summary>
    public required IReadOnlyList<string> Notes { get; init; }

    /// <summary>To then Cc: the envelope recipients.</summary>
    public IEnumerable<MailboxAddress> Recipients => To.Concat(Cc);
}

/// <summary>The outcome of <see cref="OutgoingMailBuilder.Build"/>: a message, or why there is none.</summary>
/// <param name="Mail">The message, when it could be built.</param>
/// <param name="Failure">Why not: permanent for the customer's data (an invalid address), transient for configuration.</param>
public sealed record MailBuildResult(OutgoingMail? Mail, DeliveryResult? Failure);

/// <summary>
/// The one MIME builder every mail channel uses (MimeKit): From (with name), To, Cc (the internal manager copy, M2),
/// Reply-To, Subject, the text body with the optional HTML body as multipart/alternative, attachments, the stable
/// Message-ID of <see cref="OutboxMessageIds"/>, the header <c>X-CreditRecovery-Outbox-Id</c>, and the Date from the
/// injected clock.
/// </summary>
/// <remarks>
/// A problem with the customer's data (an invalid recipient address) is a permanent failure naming the outbox record and
/// the field; a problem with the configuration (no or an invalid sender) is a transient one, so that the queued messages
/// go out once the configuration is fixed. An invalid Cc is left out and reported in <see cref="OutgoingMail.Notes"/>.
/// </remarks>
/// <param name="clock">The clock the Date header comes from.</param>
public sealed class OutgoingMailBuilder(IClock clock)
{
    /// <summary>The header carrying the outbox record's id.</summary>
    public const string OutboxIdHeader = "X-CreditRecovery-Outbox-Id";

    /// <summary>The header carrying the delivery channel (Email, Pec, Fax).</summary>
    public const string ChannelHeader = "X-CreditRecovery-Channel";

    private static readonly char[] AddressSeparators = [',', ';'];

    private readonly IClock _clock = clock ?? throw new ArgumentNullException(nameof(clock));

    /// <summary>Builds the MIME message of an outgoing message.</summary>
    /// <param name="message">The message and its rendered content.</param>
    /// <param name="settings">The channel's settings.</param>
    public MailBuildResult Build(OutgoingMessage message, MailBuildSettings settings)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(settings);
        var outbox = message.Message;
        var what = $"outbox message '{outbox.Id}' (customer {outbox.CustomerCode})";
        if (string.IsNullOrWhiteSpace(outbox.Id))
        {
            return Permanent($"{what} has no id (field Id): no stable Message-ID can be made for it.");
        }

        if (outbox.Channel != settings.Channel)
        {
            return Permanent($"{what} is for the {outbox.Channel} channel, not {settings.Channel}.");
        }

        var notes = new List<string>();

        // Sender: configuration, never the customer's fault.
        var fromText = settings.ForceFrom ? settings.From : (string.IsNullOrWhiteSpace(message.From) ? settings.From : message.From);
        if (string.IsNullOrWhiteSpace(fromText))
        {
            return Transient($"{what} has no sender: set the company's e-mail address (CompanyProfile.Email/Pec) or the channel's From option.");
        }

        var fromName = string.IsNullOrWhiteSpace(message.FromName) ? settings.FromName : message.FromName;
        var from = MailAddresses.ParseMailbox(fromText, fromName);
        if (from is null)
        {
            return Transient($"{what}: the sender address '{fromText}' is not a valid e-mail address; fix the company profile or the channel's From option.");
        }

        var domain = settings.MessageIdDomain ?? MailAddresses.DomainOf(from);
        if (!MailAddresses.IsValidDomain(domain))
        {
            return Transient($"{what}: '{domain}' cannot be the domain of a Message-ID; set the channel's MessageIdDomain option.");
        }

        // The customer's address: invalid syntax is permanent.
        var recipientText = settings.RecipientAddress ?? outbox.Recipient;
        var to = new List<MailboxAddress>();
        foreach (var part in Split(recipientText))
        {
            var mailbox = MailAddresses.ParseMailbox(part);
            if (mailbox is null)
            {
                return Permanent($"{what}: the recipient address '{part}' (field Recipient) is not a valid e-mail address.");
            }

            if (!to.Any(m => SameAddress(m, mailbox)))
            {
                to.Add(mailbox);
            }
        }

        if (to.Count == 0)
        {
            return Permanent($"{what} has no recipient address (field Recipient is empty).");
        }

        var cc = new List<MailboxAddress>();
        foreach (var part in outbox.Cc.SelectMany(Split))
        {
            var mailbox = MailAddresses.ParseMailbox(part);
            if (mailbox is null)
            {
                notes.Add($"Cc '{part}' left out: not a valid e-mail address.");
            }
            else if (!to.Concat(cc).Any(m => SameAddress(m, mailbox)))
            {
                cc.Add(mailbox);
            }
        }

        var mime = new MimeMessage();
        mime.From.Add(from);
        mime.To.AddRange(to);
        mime.Cc.AddRange(cc);
        if (!string.IsNullOrWhiteSpace(message.ReplyTo))
        {
            var replyTo = Split(message.ReplyTo).Select(r => MailAddresses.ParseMailbox(r)).ToList();
            if (replyTo.Count == 0 || replyTo.Any(r => r is null))
            {
                return Transient($"{what}: the Reply-To '{message.ReplyTo}' is not a valid e-mail address; fix the company profile (CompanyProfile.ReplyTo).");
            }

            mime.ReplyTo.AddRange(replyTo!);
        }

        var messageId = OutboxMessageIds.For(outbox, domain);
        mime.MessageId = messageId;
        mime.Date = _clock.GetCurrentInstant().ToDateTimeOffset();
        mime.Subject = OneLine(outbox.OperatorSubject ?? message.Content.Subject);
        mime.Headers.Add(OutboxIdHeader, OneLine(outbox.Id));
        mime.Headers.Add(ChannelHeader, outbox.Channel.ToString());

        var body = new BodyBuilder { TextBody = message.Content.TextBody ?? string.Empty };
        if (settings.IncludeHtml && !string.IsNullOrWhiteSpace(message.Content.HtmlBody))
        {
            body.HtmlBody = message.Content.HtmlBody;
        }

        var index = 0;
        foreach (var attachment in message.Attachments)
        {
            index++;
            var fileName = SafeFileName(attachment.FileName, index);
            if (!ContentType.TryParse(attachment.ContentType ?? string.Empty, out var contentType))
            {
                contentType = new ContentType("application", "octet-stream");
            }

            if (settings.AttachmentContentTypes is { } allowed && !allowed.Contains(contentType.MimeType))
            {
                notes.Add($"Attachment '{fileName}' ({contentType.MimeType}) left out: the {settings.Channel} channel sends only {string.Join(", ", allowed.Order(StringComparer.Ordinal))}.");
                continue;
            }

            body.Attachments.Add(fileName, attachment.Content.ToArray(), contentType);
        }

        mime.Body = body.ToMessageBody();
        return new MailBuildResult(
            new OutgoingMail { Message = mime, MessageId = messageId, Sender = from, To = to, Cc = cc, Notes = notes },
            null);
    }

    private static MailBuildResult Permanent(string error) => new(null, DeliveryResult.PermanentFailure(error));

    private static MailBuildResult Transient(string error) => new(null, DeliveryResult.TransientFailure(error));

    private static IEnumerable<string> Split(string? addresses) =>
        (addresses ?? string.Empty).Split(AddressSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static bool SameAddress(MailboxAddress a, MailboxAddress b) => string.Equals(a.Address, b.Address, StringComparison.OrdinalIgnoreCase);

    /// <summary>Header text on one line: line breaks in a subject would end the header.</summary>
    private static string OneLine(string? text) =>
        string.Join(' ', (text ?? string.Empty).Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static string SafeFileName(string? fileName, int index)
    {
        var name = Path.GetFileName((fileName ?? string.Empty).Replace('\\', '/'));
        name = OneLine(name);
        return string.IsNullOrWhiteSpace(name) ? string.Create(CultureInfo.InvariantCulture, $"attachment-{index}") : name;
    }
}
