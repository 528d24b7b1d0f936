using System.Globalization;
using CreditRecovery.Documents.Pdf;
using CreditRecovery.Ports;

namespace CreditRecovery.Delivery.Letters;

/// <summary>
/// Where printed letters (*lettere*) go and how they look. Validated at start by
/// <see cref="PrintedLetterServiceCollectionExtensions.AddPrintedLetters"/>: <see cref="OutputFolder"/> is required and a
/// TrueType font must be found.
/// </summary>
public sealed class PrintedLetterOptions
{
    /// <summary>
    /// The folder letters are written to, as <c>&lt;folder&gt;/&lt;business date&gt;/&lt;customer&gt;-&lt;hash&gt;.pdf</c>; the
    /// day's batch goes to <c>&lt;folder&gt;/&lt;business date&gt;-batch.pdf</c>. Required; created when missing.
    /// </summary>
    public string OutputFolder { get; set; } = string.Empty;

    /// <summary>
    /// The regular TrueType font file (<c>.ttf</c>); <see langword="null"/> looks for an installed one
    /// (<see cref="PdfFonts.SystemFontCandidates"/>: DejaVu Sans from the Debian package <c>fonts-dejavu-core</c>, Liberation
    /// Sans, Arial).
    /// </summary>
    public string? RegularFontPath { get; set; }

    /// <summary>The bold TrueType font file; <see langword="null"/> uses the regular one's bold sibling, or the regular one.</summary>
    public string? BoldFontPath { get; set; }

    /// <summary>
    /// The letterhead of each company, by company code: name, address, VAT number, phone, e-mail, PEC. A company without
    /// one gets the sender's name and address from the message (<see cref="OutgoingMessage.FromName"/>,
    /// <see cref="OutgoingMessage.From"/>).
    /// </summary>
    public Dictionary<string, CompanyProfile> Letterheads { get; } = new(StringComparer.Ordinal);

    /// <summary>The place printed before the date (e.g. <c>Milano</c>); default the letterhead's city.</summary>
    public string? Place { get; set; }

    /// <summary>The culture for amounts (<c>1.234,56</c>) and dates (<c>24 novembre 2026</c>). Default <c>it-IT</c>.</summary>
    public string Culture { get; set; } = "it-IT";

    /// <summary>Whether the letter lists the installments in a table after the body. Default <see langword="true"/>.</summary>
    public bool IncludeInstallmentTable { get; set; } = true;

    /// <summary>
    /// Whether the batch adds a blank page after each letter (and the summary) with an odd page count, so that every letter
    /// starts on a new sheet when printed on both sides. Default <see langword="false"/>.
    /// </summary>
    public bool PadBatchForDuplex { get; set; }

    /// <summary>The fixed texts printed on letters and batches; Italian by default.</summary>
    public LetterLabels Labels { get; set; } = new();

    /// <summary>Returns every problem with the options; empty when they are usable.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(OutputFolder))
        {
            errors.Add("PrintedLetterOptions.OutputFolder is required.");
        }
        else
        {
            try
            {
                _ = Path.GetFullPath(OutputFolder);
            }
            catch (Exception e) when (e is ArgumentException or NotSupportedException or PathTooLongException)
            {
                errors.Add($"PrintedLetterOptions.OutputFolder '{OutputFolder}' is not a valid path: {e.Message}");
            }
        }

        try
        {
            _ = LoadFonts();
        }
        catch (PdfFontException e)
        {
            errors.Add("PrintedLetterOptions fonts: " + e.Message);
        }

        try
        {
            _ = CultureInfo.GetCultureInfo(Culture);
        }
        catch (CultureNotFoundException)
        {
            errors.Add($"PrintedLetterOptions.Culture '{Culture}' is not a known culture.");
        }

        foreach (var (company, profile) in Letterheads)
        {
            if (string.IsNullOrWhiteSpace(company) || profile is null || string.IsNullOrWhiteSpace(profile.Name))
            {
                errors.Add($"PrintedLetterOptions.Letterheads['{company}'] needs a company code and a Name.");
            }
        }

        if (Labels is null)
        {
            errors.Add("PrintedLetterOptions.Labels is required.");
        }

        return errors;
    }

    /// <summary>The fonts named by the options, or the installed ones.</summary>
    internal PdfFonts LoadFonts()
    {
        if (RegularFontPath is not null)
        {
            return PdfFonts.FromFiles(RegularFontPath, BoldFontPath);
        }

        if (BoldFontPath is not null)
        {
            throw new PdfFontException("BoldFontPath is set without RegularFontPath.");
        }

        return PdfFonts.FindSystemFonts();
    }
}

/// <summary>The fixed texts of letters and batches. Defaults are Italian; set English (or any) texts per deployment.</summary>
public sealed record LetterLabels
{
    /// <summary>Before the addressee's name. Default <c>Spett.le</c>.</summary>
    public string AddresseePrefix { get; init; } = "Spett.le";

    /// <summary>Before the subject. Default <c>Oggetto:</c>.</summary>
    public string Subject { get; init; } = "Oggetto:";

    /// <summary>Before the customer code. Default <c>Codice cliente:</c>.</summary>
    public string CustomerCode { get; init; } = "Codice cliente:";

    /// <summary>Document column. Default <c>Documento</c>.</summary>
    public string Document { get; init; } = "Documento";

    /// <summary>Document date column. Default <c>Data doc.</c>.</summary>
    public string DocumentDate { get; init; } = "Data doc.";

    /// <summary>Installment number column. Default <c>Rata</c>.</summary>
    public string Installment { get; init; } = "Rata";

    /// <summary>Due date column. Default <c>Scadenza</c>.</summary>
    public string DueDate { get; init; } = "Scadenza";

    /// <summary>Original amount column. Default <c>Importo</c>.</summary>
    public string OriginalAmount { get; init; } = "Importo";

    /// <summary>Residual column. Default <c>Residuo</c>.</summary>
    public string Residual { get; init; } = "Residuo";

    /// <summary>Total row. Default <c>Totale</c>.</summary>
    public string Total { get; init; } = "Totale";

    /// <summary>Page numbers: <c>{0}</c> page, <c>{1}</c> pages. Default <c>Pagina {0} di {1}</c>.</summary>
    public string PageNumber { get; init; } = "Pagina {0} di {1}";

    /// <summary>The batch summary's title: <c>{0}</c> is the business date. Default <c>Lotto di stampa lettere del {0}</c>.</summary>
    public string BatchTitle { get; init; } = "Lotto di stampa lettere del {0}";

    /// <summary>The batch summary's line under the title: <c>{0}</c> letters, <c>{1}</c> pages.</summary>
    public string BatchSummary { get; init; } = "{0} lettere, {1} pagine (questo riepilogo escluso).";

    /// <summary>Batch column: sequence number. Default <c>N.</c>.</summary>
    public string BatchNumber { get; init; } = "N.";

    /// <summary>Batch column: customer. Default <c>Cliente</c>.</summary>
    public string BatchCustomer { get; init; } = "Cliente";

    /// <summary>Batch column: addressee. Default <c>Destinatario</c>.</summary>
    public string BatchRecipient { get; init; } = "Destinatario";

    /// <summary>Batch column: pages of the letter. Default <c>Pagine</c>.</summary>
    public string BatchPages { get; init; } = "Pagine";

    /// <summary>Batch column: the letter's first page in the batch. Default <c>Da pag.</c>.</summary>
    public string BatchFirstPage { get; init; } = "Da pag.";

    /// <summary>Batch: files that could not be read. Default <c>File non inclusi</c>.</summary>
    public string BatchSkipped { get; init; } = "File non inclusi";
}
