using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CreditRecovery.Documents.Pdf;
using CreditRecovery.Ports;
using CreditRecovery.Work;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Delivery.Letters;

/// <summary>Lays out one customer letter as a PDF, and names its file.</summary>
internal sealed class LetterDocument
{
    /// <summary>The PDF document-information key holding <see cref="LetterInfo"/> (base64 JSON) for the batch.</summary>
    internal const string InfoKey = "CreditRecoveryLetter";

    private readonly PrintedLetterOptions _options;
    private readonly PdfFonts _fonts;
    private readonly CultureInfo _culture;
    private readonly LocalDatePattern _shortDate;
    private readonly LocalDatePattern _longDate;

    private LetterDocument(PrintedLetterOptions options, PdfFonts fonts)
    {
        _options = options;
        _fonts = fonts;
        _culture = CultureInfo.GetCultureInfo(options.Culture);
        _shortDate = LocalDatePattern.Create("dd/MM/yyyy", _culture);
        _longDate = LocalDatePattern.Create("d MMMM yyyy", _culture);
    }

    public PdfFonts Fonts => _fonts;

    /// <summary>Validates the options and loads their fonts.</summary>
    /// <exception cref="ArgumentException">The options are not usable (the message lists every problem).</exception>
    public static LetterDocument Create(PrintedLetterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        return new LetterDocument(options, options.LoadFonts());
    }

    /// <summary>Where the letter of an outbox message is written: <c>&lt;folder&gt;/&lt;date&gt;/&lt;customer&gt;-&lt;hash&gt;.pdf</c>.</summary>
    public static string PathFor(string folder, OutboxMessage message) =>
        Path.Combine(DayFolder(folder, message.BusinessDate), SafeName(message.CustomerCode) + "-" + Hash(message.Id) + ".pdf");

    /// <summary>The folder of a business date's letters.</summary>
    public static string DayFolder(string folder, LocalDate date) =>
        Path.Combine(Path.GetFullPath(folder), LocalDatePattern.Iso.Format(date));

    /// <summary>The first 16 hex digits of the SHA-256 of the outbox id: unique per message, safe in a file name.</summary>
    public static string Hash(string outboxId) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(outboxId)))[..16];

    public string FormatAmount(decimal amount) => amount.ToString("N2", _culture);

    public string FormatDate(LocalDate date) => _shortDate.Format(date);

    public string FormatLongDate(LocalDate date) => _longDate.Format(date);

    /// <summary>Renders the letter.</summary>
    public byte[] Render(OutgoingMessage outgoing)
    {
        var message = outgoing.Message;
        var labels = _options.Labels;
        var profile = _options.Letterheads.GetValueOrDefault(message.Company.Value);
        var senderName = FirstNonBlank(profile?.Name, outgoing.FromName, outgoing.From, message.Company.Value)!;
        var address = LetterAddress.Lines(message.Recipient);

        var setup = PdfPageSetup.A4 with
        {
            MarginTop = PdfUnits.Mm(15),
            MarginBottom = PdfUnits.Mm(18),
            PageNumberFormat = labels.PageNumber,
            FooterText = senderName,
        };
        using var pdf = new PdfComposer(_fonts, setup)
        {
            Title = outgoing.Content.Subject,
            Author = senderName,
            Subject = message.CustomerCode + " " + message.StepName,
        };

        // Letterhead, top left.
        var left = setup.MarginLeft;
        var headBottom = pdf.PlaceText(senderName, left, setup.MarginTop, PdfUnits.Mm(90), new PdfTextStyle(14, Bold: true));
        var headLines = LetterheadLines(profile, outgoing, senderName);
        if (headLines.Count > 0)
        {
            headBottom = pdf.PlaceText(string.Join('\n', headLines), left, headBottom + 2, PdfUnits.Mm(90), new PdfTextStyle(8));
        }

        // The addressee, where a right-hand window envelope (DL, 110 mm from the left, 50 mm from the top) shows it.
        var block = new List<string> { labels.AddresseePrefix };
        block.AddRange(address);
        var addressBottom = pdf.PlaceText(string.Join('\n', block), PdfUnits.Mm(110), PdfUnits.Mm(50), PdfUnits.Mm(85), new PdfTextStyle(10.5));

        pdf.MoveTo(Math.Max(headBottom, addressBottom) + PdfUnits.Mm(12));
        var place = FirstNonBlank(_options.Place, profile?.Address?.City);
        var date = FormatLongDate(message.BusinessDate);
        pdf.Text(place is null ? date : place + ", " + date);
        pdf.Text(labels.CustomerCode + " " + message.CustomerCode, new PdfTextStyle(8.5));
        pdf.Space(PdfUnits.Mm(6));
        pdf.Paragraph(labels.Subject + " " + outgoing.Content.Subject, PdfTextStyle.Strong);

        foreach (var paragraph in Paragraphs(outgoing.Content.TextBody))
        {
            pdf.Paragraph(paragraph);
        }

        if (_options.IncludeInstallmentTable && message.Lines.Count > 0)
        {
            pdf.Table(InstallmentTable(message));
        }

        pdf.Metadata[InfoKey] = LetterInfo.From(message, address.FirstOrDefault() ?? message.Recipient, this).Encode();
        return pdf.Build();
    }

    private PdfTable InstallmentTable(OutboxMessage message)
    {
        var labels = _options.Labels;
        var currencies = message.Lines.Select(l => l.Residual.Currency).Distinct(StringComparer.Ordinal).ToList();
        var single = currencies.Count == 1 ? currencies[0] : null;
        string Amount(Money m) => single is null ? FormatAmount(m.Amount) + " " + m.Currency : FormatAmount(m.Amount);
        var suffix = single is null ? "" : " (" + single + ")";

        var table = new PdfTable(
            new PdfTableColumn(labels.Document, 2.2),
            new PdfTableColumn(labels.DocumentDate, 1.3),
            new PdfTableColumn(labels.Installment, 0.7, PdfAlign.Right),
            new PdfTableColumn(labels.DueDate, 1.3),
            new PdfTableColumn(labels.OriginalAmount + suffix, 1.6, PdfAlign.Right),
            new PdfTableColumn(labels.Residual + suffix, 1.6, PdfAlign.Right));
        foreach (var line in message.Lines.OrderBy(l => l.DueDate).ThenBy(l => l.DocumentNumber, StringComparer.Ordinal))
        {
            table.AddRow(
                line.DocumentNumber,
                FormatDate(line.DocumentDate),
                line.InstallmentNumber.ToString(_culture),
                FormatDate(line.DueDate),
                Amount(line.OriginalAmount),
                Amount(line.Residual));
        }

        foreach (var currency in currencies)
        {
            var lines = message.Lines.Where(l => l.Residual.Currency == currency).ToList();
            var original = lines.Aggregate(Money.Zero(currency), (s, l) => s + l.OriginalAmount);
            var residual = lines.Aggregate(Money.Zero(currency), (s, l) => s + l.Residual);
            table.AddTotalRow(labels.Total, "", "", "", Amount(original), Amount(residual));
        }

        return table;
    }

    private static List<string> LetterheadLines(CompanyProfile? profile, OutgoingMessage outgoing, string senderName)
    {
        var lines = new List<string>();
        if (profile?.Address is { } a)
        {
            lines.Add(a.Street);
            lines.Add($"{a.PostalCode} {a.City}{(a.Province is null ? "" : $" ({a.Province})")}".Trim());
        }

        if (profile?.VatNumber is { Length: > 0 } vat)
        {
            lines.Add("P.IVA " + vat);
        }

        if (profile?.Phone is { Length: > 0 } phone)
        {
            lines.Add("Tel. " + phone);
        }

        var email = FirstNonBlank(profile?.Email, outgoing.From);
        if (email is not null && !string.Equals(email, senderName, StringComparison.Ordinal))
        {
            lines.Add(email);
        }

        if (profile?.Pec is { Length: > 0 } pec)
        {
            lines.Add("PEC " + pec);
        }

        return lines;
    }

    /// <summary>The body's paragraphs: blank lines separate them, single line breaks stay.</summary>
    private static IEnumerable<string> Paragraphs(string body) =>
        body.Replace("\r\n", "\n", StringComparison.Ordinal)
            .Split("\n\n")
            .Select(p => p.Trim('\n'))
            .Where(p => p.Trim().Length > 0);

    private static string? FirstNonBlank(params string?[] values) => values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim();

    private static string SafeName(string customerCode)
    {
        var sb = new StringBuilder(customerCode.Length);
        foreach (var c in customerCode.Trim())
        {
            sb.Append(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_');
        }

        var name = sb.ToString().TrimStart('.');
        return name.Length == 0 ? "customer" : name.Length > 60 ? name[..60] : name;
    }
}

/// <summary>What the batch needs to know about a letter, stored in the letter's PDF so that the PDF is self-describing.</summary>
internal sealed record LetterInfo(string OutboxId, string Company, string CustomerCode, string Addressee, string Total)
{
    public static LetterInfo From(OutboxMessage message, string addressee, LetterDocument format)
    {
        var totals = message.Lines
            .GroupBy(l => l.Residual.Currency, StringComparer.Ordinal)
            .Select(g => format.FormatAmount(g.Sum(l => l.Residual.Amount)) + " " + g.Key);
        return new LetterInfo(message.Id, message.Company.Value, message.CustomerCode, addressee, string.Join(" + ", totals));
    }

    public string Encode() => Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(this));

    public static LetterInfo? Decode(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<LetterInfo>(Convert.FromBase64String(value));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
