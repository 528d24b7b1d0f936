using System.Globalization;
using CreditRecovery.Documents.Pdf;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;
using NodaTime.Text;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Tokens;
using UglyToad.PdfPig.Writer;

namespace CreditRecovery.Delivery.Letters;

/// <summary>
/// Gathers a business date's letters into one PDF for printing (*lotto di stampa*): a summary page listing every letter
/// (customer, addressee, pages, first page in the batch, residual), then the letters in customer-code order.
/// </summary>
/// <remarks>
/// The batch is written to <c>&lt;OutputFolder&gt;/&lt;business date&gt;-batch.pdf</c>, atomically, and rebuilt from the
/// letters on disk each time it is asked for, so a batch made after more letters arrived includes them. A file that is
/// not a readable PDF is left out and named in <see cref="LetterBatchResult.Skipped"/>; the rest goes on.
/// </remarks>
public sealed class LetterBatch
{
    private readonly PrintedLetterOptions _options;
    private readonly LetterDocument _document;
    private readonly PdfFonts _fonts;
    private readonly ILogger _logger;

    /// <summary>Creates the batcher.</summary>
    /// <param name="options">The same options as the <see cref="PrintedLetterChannel"/>.</param>
    /// <param name="logger">The logger.</param>
    public LetterBatch(PrintedLetterOptions options, ILogger<LetterBatch>? logger = null)
    {
        _document = LetterDocument.Create(options);
        _options = options;
        _fonts = _document.Fonts;
        _logger = logger ?? NullLogger<LetterBatch>.Instance;
    }

    /// <summary>Where the batch of a business date is written.</summary>
    /// <param name="businessDate">The business date.</param>
    public string PathFor(LocalDate businessDate) =>
        Path.Combine(Path.GetFullPath(_options.OutputFolder), LocalDatePattern.Iso.Format(businessDate) + "-batch.pdf");

    /// <summary>Builds (or rebuilds) the batch of a business date.</summary>
    /// <param name="businessDate">The business date whose letters to gather.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What went into the batch; <see cref="LetterBatchResult.Path"/> is <see langword="null"/> when there were no letters.</returns>
    public async Task<LetterBatchResult> CreateAsync(LocalDate businessDate, CancellationToken cancellationToken = default)
    {
        var folder = LetterDocument.DayFolder(_options.OutputFolder, businessDate);
        var files = Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.pdf").Where(f => !Path.GetFileName(f).StartsWith('.')).Order(StringComparer.Ordinal).ToList()
            : [];

        var letters = new List<(byte[] Pdf, int Pages, string File, LetterInfo? Info)>();
        var skipped = new List<string>();
        foreach (var file in files)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            try
            {
                using var pdf = PdfDocument.Open(bytes);
                var info = pdf.Information.DocumentInformationDictionary?.Data.TryGetValue(LetterDocument.InfoKey, out var token) == true
                    && token is StringToken text
                    ? LetterInfo.Decode(text.Data)
                    : null;
                letters.Add((bytes, pdf.NumberOfPages, file, info));
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                _logger.LogWarning(e, "Letter file {File} is not a readable PDF; left out of the batch of {Date}.", file, businessDate);
                skipped.Add($"{Path.GetFileName(file)}: {e.Message}");
            }
        }

        if (letters.Count == 0)
        {
            return new LetterBatchResult(null, [], 0, skipped);
        }

        var blank = _options.PadBatchForDuplex ? BlankPage() : null;
        var summaryPages = 1;
        byte[] summary;
        List<BatchedLetter> entries;
        while (true)
        {
            entries = [];
            var next = summaryPages + Pad(summaryPages) + 1;
            foreach (var (_, pages, file, info) in letters)
            {
                entries.Add(new BatchedLetter(
                    Path.GetFileName(file),
                    info?.CustomerCode ?? Path.GetFileNameWithoutExtension(file),
                    info?.Addressee ?? "",
                    info?.Total ?? "",
                    next,
                    pages));
                next += pages + Pad(pages);
            }

            summary = Summary(businessDate, entries, skipped, next - 1 - summaryPages - Pad(summaryPages), out var actual);
            if (actual == summaryPages)
            {
                break;
            }

            summaryPages = actual;
        }

        var parts = new List<byte[]> { summary };
        if (Pad(summaryPages) > 0)
        {
            parts.Add(blank!);
        }

        foreach (var (pdf, pages, _, _) in letters)
        {
            parts.Add(pdf);
            if (Pad(pages) > 0)
            {
                parts.Add(blank!);
            }
        }

        var merged = PdfMerger.Merge(parts);
        var path = PathFor(businessDate);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        try
        {
            await File.WriteAllBytesAsync(temp, merged, cancellationToken).ConfigureAwait(false);
            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }

        var total = summaryPages + Pad(summaryPages) + entries.Sum(e => e.Pages + Pad(e.Pages));
        _logger.LogInformation("Batch of {Date}: {Letters} letters, {Pages} pages, written to {Path}.", businessDate, entries.Count, total, path);
        return new LetterBatchResult(path, entries, total, skipped);
    }

    private int Pad(int pages) => _options.PadBatchForDuplex && pages % 2 == 1 ? 1 : 0;

    private byte[] Summary(LocalDate date, List<BatchedLetter> entries, List<string> skipped, int letterPages, out int pageCount)
    {
        var labels = _options.Labels;
        var culture = CultureInfo.GetCultureInfo(_options.Culture);
        using var pdf = new PdfComposer(_fonts, PdfPageSetup.A4 with { PageNumberFormat = labels.PageNumber });
        var title = string.Format(culture, labels.BatchTitle, _document.FormatDate(date));
        pdf.Title = title;
        pdf.Heading(title);
        pdf.Paragraph(string.Format(culture, labels.BatchSummary, entries.Count, letterPages));
        var table = new PdfTable(
            new PdfTableColumn(labels.BatchNumber, 0.5, PdfAlign.Right),
            new PdfTableColumn(labels.BatchCustomer, 1.3),
            new PdfTableColumn(labels.BatchRecipient, 3),
            new PdfTableColumn(labels.BatchPages, 0.8, PdfAlign.Right),
            new PdfTableColumn(labels.BatchFirstPage, 0.8, PdfAlign.Right),
            new PdfTableColumn(labels.Residual, 1.6, PdfAlign.Right));
        for (var i = 0; i < entries.Count; i++)
        {
            var e = entries[i];
            table.AddRow((i + 1).ToString(culture), e.CustomerCode, e.Addressee, e.Pages.ToString(culture), e.FirstPage.ToString(culture), e.Total);
        }

        table.AddTotalRow("", labels.Total, "", letterPages.ToString(culture), "", "");
        pdf.Table(table);
        if (skipped.Count > 0)
        {
            pdf.Heading(labels.BatchSkipped, 2);
            foreach (var s in skipped)
            {
                pdf.Text("• " + s);
            }
        }

        var bytes = pdf.Build();
        pageCount = pdf.PageCount;
        return bytes;
    }

    private static byte[] BlankPage()
    {
        using var builder = new PdfDocumentBuilder();
        builder.AddPage(PdfPageSetup.A4.Width, PdfPageSetup.A4.Height);
        return builder.Build();
    }
}

/// <summary>What went into a batch.</summary>
/// <param name="Path">The batch PDF, or <see langword="null"/> when the date had no letters.</param>
/// <param name="Letters">The letters, in print order.</param>
/// <param name="Pages">Pages in the batch, the summary and any blank duplex pages included.</param>
/// <param name="Skipped">Files left out because they could not be read, each with the reason.</param>
public sealed record LetterBatchResult(string? Path, IReadOnlyList<BatchedLetter> Letters, int Pages, IReadOnlyList<string> Skipped);

/// <summary>One letter in a batch.</summary>
/// <param name="File">The letter's file name.</param>
/// <param name="CustomerCode">The customer.</param>
/// <param name="Addressee">The addressee's name.</param>
/// <param name="Total">The residual total as printed (e.g. <c>1.234,56 EUR</c>).</param>
/// <param name="FirstPage">The letter's first page in the batch (1-based).</param>
/// <param name="Pages">The letter's pages.</param>
public sealed record BatchedLetter(string File, string CustomerCode, string Addressee, string Total, int FirstPage, int Pages);
