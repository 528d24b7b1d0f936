using System.ComponentModel;
using System.Globalization;
using System.Text;
using CreditRecovery.Ports;
using CreditRecovery.Reporting;
using CreditRecovery.Reports;
using NodaTime.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CreditRecovery.Samples.Console.Commands;

/// <summary>Options of the aging report.</summary>
internal sealed class AgingSettings : StoreSettings
{
    [CommandOption("--by <DIMENSION>")]
    [Description("Group by Company, Customer, Operator, Agent, SalesArea or PaymentType (default Customer), or 'installment' for the credit report by installment.")]
    public string By { get; init; } = "Customer";

    [CommandOption("--operator <ID>")]
    [Description("Whose view (default the supervisor sara, who sees the whole office).")]
    public string Operator { get; init; } = "sara";

    [CommandOption("--csv")]
    [Description("Also write CSV files for Italian Excel (; and decimal comma) to the reports folder.")]
    public bool Csv { get; init; }

    [CommandOption("--html")]
    [Description("Also write the self-contained HTML report (with charts) and the printable PDF to the reports folder.")]
    public bool Html { get; init; }

    public override ValidationResult Validate() =>
        By.Equals("installment", StringComparison.OrdinalIgnoreCase) || Enum.TryParse<AgingDimension>(By, ignoreCase: true, out _)
            ? base.Validate()
            : ValidationResult.Error($"--by '{By}' is not one of Company, Customer, Operator, Agent, SalesArea, PaymentType, installment.");
}

/// <summary>Aging as of a date (H2/G11) in the terminal, and as CSV, HTML and PDF files.</summary>
internal sealed class AgingCommand : AsyncCommand<AgingSettings>
{
    private static readonly CultureInfo It = CultureInfo.GetCultureInfo("it-IT");

    public override async Task<int> ExecuteAsync(CommandContext context, AgingSettings settings, CancellationToken cancellationToken)
    {
        await using var session = StoreSession.Open(settings);
        if (session is null)
        {
            return 2;
        }

        var actor = new OperatorId(settings.Operator);
        var reports = session.Engine.Reports;
        var folder = settings.Paths.Reports;
        Directory.CreateDirectory(folder);
        var stamp = LocalDatePattern.Iso.Format(session.Date);
        if (settings.By.Equals("installment", StringComparison.OrdinalIgnoreCase))
        {
            var path = Path.Combine(folder, $"credit-by-installment-{stamp}.csv");
            await using var writer = new StreamWriter(path, false, new UTF8Encoding(true));
            var rows = await ReportCsv.WriteCreditByInstallmentAsync(writer, reports.StreamCreditByInstallmentAsync(actor, session.Company, session.Date, cancellationToken: cancellationToken), CsvFormat.ItalianExcel, cancellationToken);
            AnsiConsole.MarkupLine($"Credit report by installment: {rows} installments written to [blue]{Markup.Escape(path)}[/].");
            return 0;
        }

        var aging = await reports.GetAgingAsync(actor, session.Company, new AgingRequest { AsOf = session.Date, GroupBy = Enum.Parse<AgingDimension>(settings.By, ignoreCase: true) }, cancellationToken);
        var table = new Table().Border(TableBorder.Rounded).Title($"Aging by {aging.GroupBy} as of {stamp}");
        table.AddColumn(aging.GroupBy.ToString());
        for (var i = 0; i < aging.Buckets.Count; i++)
        {
            table.AddColumn(new TableColumn(aging.Buckets.Label(i)).RightAligned());
        }

        table.AddColumn(new TableColumn("Total").RightAligned());
        foreach (var row in aging.Rows.OrderByDescending(r => r.Total).Take(25))
        {
            table.AddRow([Markup.Escape(row.GroupLabel ?? row.GroupKey), .. row.Amounts.Select(a => a.ToString("N2", It)), row.Total.ToString("N2", It)]);
        }

        foreach (var currency in aging.Currencies)
        {
            var total = aging.Total(currency);
            table.AddRow([$"[bold]Total {currency}[/]", .. total.Amounts.Select(a => $"[bold]{a.ToString("N2", It)}[/]"), $"[bold]{total.Total.ToString("N2", It)}[/]"]);
        }

        AnsiConsole.Write(table);
        if (aging.Rows.Count > 25)
        {
            AnsiConsole.MarkupLine($"[grey]The 25 largest of {aging.Rows.Count} rows; the files hold all of them.[/]");
        }

        if (settings.Csv)
        {
            var path = Path.Combine(folder, $"aging-{aging.GroupBy.ToString().ToLowerInvariant()}-{stamp}.csv");
            await using (var writer = new StreamWriter(path, false, new UTF8Encoding(true)))
            {
                ReportCsv.WriteAging(writer, aging, CsvFormat.ItalianExcel);
            }

            AnsiConsole.MarkupLine($"CSV: [blue]{Markup.Escape(path)}[/]");
        }

        if (settings.Html)
        {
            var byCustomer = await reports.GetCreditByCustomerAsync(actor, session.Company, session.Date, cancellationToken);
            var parking = await reports.GetParkingAreasAsync(actor, session.Company, cancellationToken);
            var title = $"{SampleHost.Profile.Name} — crediti al {session.Date.ToString("dd/MM/yyyy", It)}";
            var html = Path.Combine(folder, $"credit-report-{stamp}.html");
            await File.WriteAllTextAsync(html, new HtmlReport(title).AddAging(aging).AddCreditByCustomer(byCustomer).AddParkingAreas(parking).ToString(), cancellationToken);
            var pdf = Path.Combine(folder, $"credit-report-{stamp}.pdf");
            await File.WriteAllBytesAsync(pdf, ReportPdf.CreditReport(title, aging, byCustomer, parking, SampleHost.ReportFonts()), cancellationToken);
            AnsiConsole.MarkupLine($"HTML: [blue]{Markup.Escape(html)}[/]  PDF: [blue]{Markup.Escape(pdf)}[/]");
        }

        return 0;
    }
}
