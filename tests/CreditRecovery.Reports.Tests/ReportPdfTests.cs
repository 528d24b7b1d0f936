using System.Globalization;
using CreditRecovery.Documents.Pdf;
using CreditRecovery.Ports;
using CreditRecovery.Reporting;
using CreditRecovery.Testing.Reporting;
using UglyToad.PdfPig;
using static CreditRecovery.Reports.Tests.ReportEngine;

namespace CreditRecovery.Reports.Tests;

/// <summary>The printable credit report is a PDF whose text holds the aging's figures.</summary>
public sealed class ReportPdfTests
{
    [Fact]
    public async Task The_credit_report_pdf_holds_the_aging_totals_and_the_customers()
    {
        if (!PdfFonts.TryFindSystemFonts(out var fonts))
        {
            Assert.Fail(PdfFonts.NotFoundMessage() + " (.ci/run installs fonts-dejavu-core)");
        }

        var book = ReportBook.Build(Company, AsOf, ReportBook.Random(seed: 31, count: 200, customers: 30));
        await using var harness = await CreateAsync("sqlite", book);
        var aging = await harness.Engine.Reports.GetAgingAsync(Admin, Company, new AgingRequest { AsOf = AsOf });
        var byCustomer = await harness.Engine.Reports.GetCreditByCustomerAsync(Admin, Company, AsOf);
        var bytes = ReportPdf.CreditReport("Credit report — ACME S.p.A.", aging, byCustomer, await harness.Engine.Reports.GetParkingAreasAsync(Admin, Company), fonts);

        using var document = PdfDocument.Open(bytes);
        var text = string.Join("\n", document.GetPages().Select(p => p.Text));
        var it = CultureInfo.GetCultureInfo("it-IT");
        Assert.Contains("Credit report — ACME S.p.A.", text, StringComparison.Ordinal);
        Assert.Contains(aging.Total("EUR").Total.ToString("N2", it), text, StringComparison.Ordinal);
        Assert.Contains(ReportBook.CustomerCode(29), text, StringComparison.Ordinal);
        Assert.Contains("Parked: Legal", text, StringComparison.Ordinal);
        Assert.True(document.NumberOfPages >= 2);
    }
}
