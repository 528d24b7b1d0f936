using System.Globalization;
using CreditRecovery.Documents.Pdf;
using CreditRecovery.Reporting;
using NodaTime.Text;

namespace CreditRecovery.Reports;

/// <summary>The printable reports as PDF (A4 landscape, through <see cref="PdfComposer"/>, the letters' PDF layer).</summary>
public static class ReportPdf
{
    private static readonly PdfPageSetup Landscape = PdfPageSetup.A4 with { Width = PdfPageSetup.A4.Height, Height = PdfPageSetup.A4.Width };

    /// <summary>
    /// A printable credit report: the aging with its totals per currency, then, when given, the credit by customer and
    /// the parking areas.
    /// </summary>
    /// <param name="title">The title (company name...).</param>
    /// <param name="aging">The aging.</param>
    /// <param name="byCustomer">The credit report by total, or <see langword="null"/>.</param>
    /// <param name="parking">The parking areas, or <see langword="null"/>.</param>
    /// <param name="fonts">The fonts; default the system's DejaVu Sans (Debian <c>fonts-dejavu-core</c>).</param>
    /// <param name="culture">The culture of numbers; default Italian.</param>
    /// <returns>The PDF file's bytes.</returns>
    /// <exception cref="PdfFontException">No usable font was found.</exception>
    public static byte[] CreditReport(
        string title,
        AgingReport aging,
        IEnumerable<CustomerCreditLine>? byCustomer = null,
        IEnumerable<ParkingGroup>? parking = null,
        PdfFonts? fonts = null,
        CultureInfo? culture = null)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(aging);
        culture ??= CultureInfo.GetCultureInfo("it-IT");
        string N(decimal v) => v.ToString("N2", culture);

        using var pdf = new PdfComposer(fonts ?? PdfFonts.FindSystemFonts(), Landscape) { Title = title };
        pdf.Heading(title);
        pdf.Paragraph($"Aging by {aging.GroupBy} as of {LocalDatePattern.Iso.Format(aging.AsOf)}");
        var columns = new List<PdfTableColumn> { new(aging.GroupBy.ToString(), 1.2), new("Name", 3), new("Cur.", 0.6) };
        columns.AddRange(Enumerable.Range(0, aging.Buckets.Count).Select(i => new PdfTableColumn(aging.Buckets.Label(i), 1.3, PdfAlign.Right)));
        columns.Add(new PdfTableColumn("Total", 1.4, PdfAlign.Right));
        var table = new PdfTable(columns) { FontSize = 8 };
        foreach (var row in aging.Rows)
        {
            table.AddRow([row.GroupKey, row.GroupLabel, row.Currency, .. row.Amounts.Select(N), N(row.Total)]);
        }

        foreach (var currency in aging.Currencies)
        {
            var total = aging.Total(currency);
            table.AddTotalRow(["Total", "", currency, .. total.Amounts.Select(N), N(total.Total)]);
        }

        pdf.Table(table);

        if (byCustomer is not null)
        {
            pdf.Heading("Credit by customer", 2);
            var credit = new PdfTable(new("Customer", 1.2), new("Name", 4), new("Cur.", 0.6), new("Open", 1.5, PdfAlign.Right), new("Not yet due", 1.5, PdfAlign.Right), new("Overdue", 1.5, PdfAlign.Right), new("Inst.", 0.7, PdfAlign.Right)) { FontSize = 8 };
            foreach (var l in byCustomer)
            {
                credit.AddRow(l.CustomerCode, l.CustomerName, l.Currency, N(l.OpenResidual), N(l.NotYetDue), N(l.Overdue), l.Installments.ToString(culture));
            }

            pdf.Table(credit);
        }

        if (parking is not null)
        {
            pdf.Heading("Parking areas and hand-overs", 2);
            var areas = new PdfTable(new("Area", 3), new("Cases", 1, PdfAlign.Right), new("Open residual", 3, PdfAlign.Right)) { FontSize = 8 };
            foreach (var g in parking)
            {
                areas.AddRow(g.Title, g.Cases.Count.ToString(culture), string.Join("  ", g.Totals.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => N(kv.Value) + " " + kv.Key)));
            }

            pdf.Table(areas);
        }

        return pdf.Build();
    }
}
