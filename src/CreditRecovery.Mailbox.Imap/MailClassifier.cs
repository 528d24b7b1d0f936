using CreditRecovery.Ports;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Mailbox.Imap;

/// <summary>What a mail is, read from its headers and its <c>daticert.xml</c>: everything of an <see cref="InboundMail"/> but its id and evidence.</summary>
internal sealed record ClassifiedMail(
    InboundMailKind Kind,
    Instant ReceivedAt,
    string? From,
    string? Subject,
    string? TextBody,
    IReadOnlyList<string> References,
    string? Recipient,
    string? Error);

/// <summary>
/// Tells PEC receipts (*ricevute*), PEC transport envelopes (*buste di trasporto*) and ordinary mails apart, and reads
/// what the engine needs from each. Never throws on bad content: what is missing goes to <see cref="ClassifiedMail.Error"/>.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A receipt has an <c>X-Ricevuta</c> header (or, failing that, a <c>daticert.xml</c> whose <c>tipo</c> is a receipt):
/// <c>accettazione</c>, <c>non-accettazione</c>, <c>avvenuta-consegna</c>, <c>errore-consegna</c> map to their kinds,
/// every other value (<c>presa-in-carico</c>, <c>preavviso-errore-consegna</c>, <c>rilevazione-virus</c>, unknown ones) to
/// <see cref="InboundMailKind.PecOther"/>.</item>
/// <item>A transport envelope (<c>X-Trasporto: posta-certificata</c>) carries a PEC message from someone, normally a
/// customer's reply, as <c>postacert.eml</c>: it becomes a <see cref="InboundMailKind.Reply"/> read from that inner message.
/// An anomaly envelope (<c>X-Trasporto: errore</c>) likewise, with an error saying the provider could not certify it.</item>
/// <item>Everything else is a <see cref="InboundMailKind.Reply"/>.</item>
/// </list>
/// </remarks>
internal static class MailClassifier
{
    private const string DaticertName = "daticert.xml";
    private const string PostacertName = "postacert.eml";

    /// <summary>Classifies a parsed message.</summary>
    /// <param name="message">The message.</param>
    /// <param name="mailboxReceivedAt">When the mailbox received it (IMAP INTERNALDATE): the time of replies, and of receipts without a certified time.</param>
    public static ClassifiedMail Classify(MimeMessage message, Instant mailboxReceivedAt)
    {
        ArgumentNullException.ThrowIfNull(message);
        var receiptHeader = HeaderValue(message, "X-Ricevuta");
        var transport = HeaderValue(message, "X-Trasporto");
        var daticertPart = FindDaticert(message);
        var certificate = daticertPart is null ? null : ReadCertificate(daticertPart);

        if (receiptHeader is not null)
        {
            return Receipt(message, receiptHeader, certificate, mailboxReceivedAt);
        }

        if (transport is not null || certificate?.Type is "posta-certificata" or "errore")
        {
            return Envelope(message, transport ?? certificate!.Type!, certificate, mailboxReceivedAt);
        }

        if (certificate?.Type is { } type)
        {
            // No X-Ricevuta, but the certification data says it is a receipt: trust the certified data.
            return Receipt(message, type, certificate, mailboxReceivedAt, headerMissing: true);
        }

        return Reply(message, mailboxReceivedAt, error: certificate is null ? null : "a daticert.xml without a 'tipo' was ignored: " + string.Join("; ", certificate.Problems));
    }

    /// <summary>The kind of a receipt type (<c>X-Ricevuta</c> or <c>daticert.xml</c> <c>tipo</c>).</summary>
    /// <param name="type">The type, e.g. <c>avvenuta-consegna</c>.</param>
    public static InboundMailKind KindOf(string type) => type.Trim().ToLowerInvariant() switch
    {
        "accettazione" => InboundMailKind.PecAcceptance,
        "non-accettazione" => InboundMailKind.PecNonAcceptance,
        "avvenuta-consegna" => InboundMailKind.PecDelivery,
        "errore-consegna" => InboundMailKind.PecNonDelivery,
        _ => InboundMailKind.PecOther,
    };

    private static ClassifiedMail Receipt(MimeMessage message, string type, PecCertificate? certificate, Instant mailboxReceivedAt, bool headerMissing = false)
    {
        var kind = KindOf(type);
        var problems = new List<string>();
        if (headerMissing)
        {
            problems.Add($"the receipt has no X-Ricevuta header; its kind was read from daticert.xml ('{type}')");
        }

        if (certificate is null)
        {
            problems.Add("the receipt has no daticert.xml attachment: no certified time, recipient or error details");
        }
        else
        {
            problems.AddRange(certificate.Problems);
            if (certificate.Type is { } certifiedType && !string.Equals(certifiedType, type.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                problems.Add($"X-Ricevuta says '{type.Trim()}' but daticert.xml says '{certifiedType}'");
            }
        }

        var headerReference = MessageIds.Normalize(HeaderValue(message, "X-Riferimento-Message-ID"));
        var certifiedReference = certificate?.MessageId;
        var references = new[] { headerReference, certifiedReference }.OfType<string>().Distinct(StringComparer.Ordinal).ToArray();
        if (references.Length == 0)
        {
            problems.Add("the receipt names no original message: X-Riferimento-Message-ID and daticert.xml 'msgid' are both missing, so it cannot be matched to a sent message");
        }
        else if (references.Length > 1)
        {
            problems.Add($"X-Riferimento-Message-ID <{headerReference}> and daticert.xml msgid <{certifiedReference}> differ");
        }

        // Without a certified time (its absence is among the certificate's problems) the provider's Date header is the next best.
        var receivedAt = certificate?.CertifiedAt;
        var recipient = certificate?.Delivery ?? (certificate?.Recipients is [var only] ? only : null);
        string? reason = null;
        if (kind is InboundMailKind.PecNonAcceptance or InboundMailKind.PecNonDelivery or InboundMailKind.PecOther)
        {
            reason = certificate?.ExtendedError
                ?? (certificate?.ErrorCode is { } code && code != "nessuno" ? "errore: " + code : null);
            if (reason is null && kind != InboundMailKind.PecOther)
            {
                problems.Add("the notice gives no reason (no 'errore-esteso' in daticert.xml)");
            }
        }

        var error = string.Join("; ", new[] { reason }.Concat(problems).OfType<string>());
        return new ClassifiedMail(
            kind,
            receivedAt ?? HeaderDate(message) ?? mailboxReceivedAt,
            Address(message.From) ?? Address(message.Sender),
            message.Subject,
            BodyText(message),
            references,
            recipient,
            error.Length == 0 ? null : error);
    }

    private static ClassifiedMail Envelope(MimeMessage envelope, string transport, PecCertificate? certificate, Instant mailboxReceivedAt)
    {
        var problems = new List<string>();
        if (string.Equals(transport.Trim(), "errore", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add("PEC anomaly envelope (X-Trasporto: errore): the provider could not certify this message");
        }
        else if (!string.Equals(transport.Trim(), "posta-certificata", StringComparison.OrdinalIgnoreCase))
        {
            problems.Add($"unknown X-Trasporto '{transport.Trim()}', read as a PEC transport envelope");
        }

        var inner = FindOriginal(envelope);
        if (inner is null)
        {
            problems.Add("the PEC envelope carries no postacert.eml: read from the envelope itself");
            var outer = Reply(envelope, mailboxReceivedAt, null);
            return outer with
            {
                From = certificate?.Sender ?? Address(envelope.ReplyTo) ?? outer.From,
                Error = string.Join("; ", problems),
            };
        }

        var reply = Reply(inner, mailboxReceivedAt, null);
        return reply with
        {
            From = reply.From ?? certificate?.Sender ?? Address(envelope.ReplyTo),
            Subject = reply.Subject ?? certificate?.Subject ?? envelope.Subject,
            Error = problems.Count == 0 ? null : string.Join("; ", problems),
        };
    }

    private static ClassifiedMail Reply(MimeMessage message, Instant mailboxReceivedAt, string? error)
    {
        var references = new List<string>();
        if (MessageIds.Normalize(message.InReplyTo) is { } inReplyTo)
        {
            references.Add(inReplyTo);
        }

        // References lists the thread oldest first: the nearest ancestors are the likeliest matches.
        for (var i = message.References.Count - 1; i >= 0; i--)
        {
            if (MessageIds.Normalize(message.References[i]) is { } reference && !references.Contains(reference, StringComparer.Ordinal))
            {
                references.Add(reference);
            }
        }

        return new ClassifiedMail(
            InboundMailKind.Reply,
            mailboxReceivedAt,
            Address(message.From) ?? Address(message.Sender),
            message.Subject,
            BodyText(message),
            references,
            null,
            error);
    }

    private static PecCertificate ReadCertificate(MimePart part)
    {
        if (part.Content is null)
        {
            return new PecCertificate { Problems = ["daticert.xml is empty"] };
        }

        using var decoded = new MemoryStream();
        part.Content.DecodeTo(decoded);
        decoded.Position = 0;
        return PecCertificate.Parse(decoded);
    }

    /// <summary>The <c>daticert.xml</c> of the message itself, never one inside an attached message.</summary>
    private static MimePart? FindDaticert(MimeMessage message) =>
        message.BodyParts.OfType<MimePart>().FirstOrDefault(p =>
            string.Equals(p.FileName, DaticertName, StringComparison.OrdinalIgnoreCase)
            || string.Equals(p.ContentType.Name, DaticertName, StringComparison.OrdinalIgnoreCase));

    private static MimeMessage? FindOriginal(MimeMessage envelope)
    {
        var attached = envelope.BodyParts.OfType<MessagePart>().Where(p => p.Message is not null).ToList();
        return (attached.FirstOrDefault(p =>
                    string.Equals(p.ContentDisposition?.FileName, PostacertName, StringComparison.OrdinalIgnoreCase)
                    || string.Equals(p.ContentType.Name, PostacertName, StringComparison.OrdinalIgnoreCase))
                ?? attached.FirstOrDefault())?.Message;
    }

    private static string? BodyText(MimeMessage message)
    {
        if (message.TextBody is { } text)
        {
            // Serializing adds a final line break (and mail clients trailing blanks): they are not part of what was written.
            return text.TrimEnd();
        }

        return message.HtmlBody is { } html ? HtmlText.ToPlainText(html) : null;
    }

    private static string? HeaderValue(MimeMessage message, string name)
    {
        var value = message.Headers[name]?.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static Instant? HeaderDate(MimeMessage message) =>
        message.Headers.Contains(HeaderId.Date) && message.Date != DateTimeOffset.MinValue ? Instant.FromDateTimeOffset(message.Date) : null;

    private static string? Address(InternetAddressList list) =>
        list.Mailboxes.Select(m => m.Address).FirstOrDefault(a => !string.IsNullOrWhiteSpace(a));

    private static string? Address(MailboxAddress? mailbox) =>
        string.IsNullOrWhiteSpace(mailbox?.Address) ? null : mailbox.Address;
}
