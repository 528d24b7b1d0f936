using System.Xml;
using System.Xml.Linq;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Mailbox.Imap;

/// <summary>
/// The certification data (*dati di certificazione*) of a PEC message, read from its <c>daticert.xml</c> attachment as the
/// technical rules of DM 2 November 2005 lay it out:
/// <c>/postacert[@tipo,@errore]/intestazione/{mittente,destinatari,oggetto}</c> and
/// <c>/postacert/dati/{gestore-emittente,data[@zona]/{giorno,ora},identificativo,msgid,ricevuta[@tipo],consegna,errore-esteso}</c>.
/// </summary>
/// <remarks>Parsed with <see cref="XDocument"/>; a document type declaration is ignored and never resolved.</remarks>
internal sealed record PecCertificate
{
    private static readonly LocalDatePattern DayPattern = LocalDatePattern.CreateWithInvariantCulture("dd'/'MM'/'uuuu");
    private static readonly LocalTimePattern[] TimePatterns =
    [
        LocalTimePattern.CreateWithInvariantCulture("HH':'mm':'ss"),
        LocalTimePattern.CreateWithInvariantCulture("HH':'mm"),
    ];

    private static readonly OffsetPattern ZonePattern = OffsetPattern.CreateWithInvariantCulture("+HHmm");
    private static readonly OffsetPattern ZonePatternWithColon = OffsetPattern.CreateWithInvariantCulture("+HH':'mm");

    /// <summary>The <c>tipo</c> attribute of <c>postacert</c>, e.g. <c>avvenuta-consegna</c>.</summary>
    public string? Type { get; init; }

    /// <summary>The <c>errore</c> attribute of <c>postacert</c>: <c>nessuno</c>, <c>no-dest</c>, <c>no-dominio</c>, <c>virus</c>, <c>altro</c>.</summary>
    public string? ErrorCode { get; init; }

    /// <summary>The certified sender (<c>mittente</c>).</summary>
    public string? Sender { get; init; }

    /// <summary>The recipients (<c>destinatari</c>).</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>The original subject (<c>oggetto</c>).</summary>
    public string? Subject { get; init; }

    /// <summary>The provider that issued it (<c>gestore-emittente</c>).</summary>
    public string? Provider { get; init; }

    /// <summary>The certified time (<c>data</c>: <c>giorno</c>, <c>ora</c>, <c>zona</c>).</summary>
    public Instant? CertifiedAt { get; init; }

    /// <summary>The provider's identifier of the message (<c>identificativo</c>).</summary>
    public string? Identifier { get; init; }

    /// <summary>The Message-ID of the original message (<c>msgid</c>), without angle brackets.</summary>
    public string? MessageId { get; init; }

    /// <summary>The receipt form (<c>ricevuta/@tipo</c>): <c>completa</c>, <c>breve</c>, <c>sintetica</c>.</summary>
    public string? ReceiptForm { get; init; }

    /// <summary>The address the receipt concerns (<c>consegna</c>).</summary>
    public string? Delivery { get; init; }

    /// <summary>The provider's explanation of an error (<c>errore-esteso</c>).</summary>
    public string? ExtendedError { get; init; }

    /// <summary>What was missing or unreadable, each naming the element; empty when the document is complete.</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Reads a <c>daticert.xml</c>. Never throws on bad content: what cannot be read is in <see cref="Problems"/>.</summary>
    /// <param name="content">The decoded attachment.</param>
    public static PecCertificate Parse(Stream content)
    {
        ArgumentNullException.ThrowIfNull(content);
        XDocument document;
        try
        {
            var settings = new XmlReaderSettings
            {
                // Providers declare <!DOCTYPE postacert SYSTEM "Postacert.dtd">: skip it, never fetch or expand anything.
                DtdProcessing = DtdProcessing.Ignore,
                XmlResolver = null,
                CloseInput = false,
            };
            using var reader = XmlReader.Create(content, settings);
            document = XDocument.Load(reader, LoadOptions.None);
        }
        catch (XmlException ex)
        {
            return new PecCertificate { Problems = [$"daticert.xml is not well-formed XML ({ex.Message})"] };
        }

        var root = document.Root;
        if (root is null || root.Name.LocalName != "postacert")
        {
            return new PecCertificate { Problems = [$"daticert.xml has root element '{root?.Name.LocalName}', not 'postacert'"] };
        }

        var problems = new List<string>();
        var header = Child(root, "intestazione");
        var data = Child(root, "dati");
        if (data is null)
        {
            problems.Add("daticert.xml has no 'dati' element");
        }

        var type = Text(root.Attribute("tipo")?.Value);
        if (type is null)
        {
            problems.Add("daticert.xml has no 'tipo' attribute on 'postacert'");
        }

        return new PecCertificate
        {
            Type = type?.ToLowerInvariant(),
            ErrorCode = Text(root.Attribute("errore")?.Value)?.ToLowerInvariant(),
            Sender = Text(Child(header, "mittente")?.Value),
            Recipients = header?.Elements().Where(e => e.Name.LocalName == "destinatari").Select(e => Text(e.Value)).OfType<string>().ToArray() ?? [],
            Subject = Text(Child(header, "oggetto")?.Value),
            Provider = Text(Child(data, "gestore-emittente")?.Value),
            CertifiedAt = data is null ? null : ReadTime(Child(data, "data"), problems),
            Identifier = Text(Child(data, "identificativo")?.Value),
            MessageId = MessageIds.Normalize(Child(data, "msgid")?.Value),
            ReceiptForm = Text(Child(data, "ricevuta")?.Attribute("tipo")?.Value),
            Delivery = Text(Child(data, "consegna")?.Value),
            ExtendedError = Text(Child(data, "errore-esteso")?.Value),
            Problems = problems,
        };
    }

    private static Instant? ReadTime(XElement? date, List<string> problems)
    {
        if (date is null)
        {
            problems.Add("daticert.xml has no 'dati/data' element (the certified time)");
            return null;
        }

        var dayText = Text(Child(date, "giorno")?.Value);
        var timeText = Text(Child(date, "ora")?.Value);
        var zoneText = Text(date.Attribute("zona")?.Value);
        var day = dayText is null ? null : DayPattern.Parse(dayText);
        if (day is not { Success: true })
        {
            problems.Add($"daticert.xml 'dati/data/giorno' is '{dayText}', not a day as dd/MM/yyyy");
            return null;
        }

        var time = timeText is null ? null : TimePatterns.Select(p => p.Parse(timeText)).FirstOrDefault(r => r.Success);
        if (time is null)
        {
            problems.Add($"daticert.xml 'dati/data/ora' is '{timeText}', not a time as HH:mm:ss");
            return null;
        }

        var local = day.Value + time.Value;
        var zone = zoneText is null ? null : new[] { ZonePattern.Parse(zoneText), ZonePatternWithColon.Parse(zoneText) }.FirstOrDefault(r => r.Success);
        if (zone is null)
        {
            // Italian providers certify in Italian time: read the day and hour there, and say the offset was missing.
            problems.Add($"daticert.xml 'dati/data/@zona' is '{zoneText}', not an offset as +hhmm: the time was read as Europe/Rome");
            return DateTimeZoneProviders.Tzdb["Europe/Rome"].AtLeniently(local).ToInstant();
        }

        return local.WithOffset(zone.Value).ToInstant();
    }

    private static XElement? Child(XElement? parent, string name) =>
        parent?.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static string? Text(string? value)
    {
        var trimmed = value?.Trim();
        return string.IsNullOrEmpty(trimmed) ? null : trimmed;
    }
}

/// <summary>Message-IDs as the port carries them: trimmed, without angle brackets.</summary>
internal static class MessageIds
{
    /// <summary>Trims a Message-ID and removes its angle brackets; <see langword="null"/> when nothing is left.</summary>
    /// <param name="value">A header value or XML text such as <c>&lt;id@host&gt;</c>.</param>
    public static string? Normalize(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var id = value.Trim();
        var open = id.IndexOf('<', StringComparison.Ordinal);
        var close = id.LastIndexOf('>');
        if (open >= 0 && close > open)
        {
            id = id[(open + 1)..close];
        }

        id = id.Trim();
        return id.Length == 0 ? null : id;
    }
}
