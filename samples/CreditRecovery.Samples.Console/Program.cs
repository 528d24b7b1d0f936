// The CreditRecovery sample host: one demo company on the embedded defaults (a SQLite file under .run/).
// Usage: dotnet run --project samples/CreditRecovery.Samples.Console [-- --date 2026-12-15] [--dry-run] [--db path]
using System.Globalization;
using CreditRecovery;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Running;
using CreditRecovery.Samples.Console;
using CreditRecovery.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;

var company = new CompanyId("DEMO");
var dryRun = args.Contains("--dry-run");
var database = Arg("--db") ?? Path.Combine(".run", "creditrecovery.db");
LocalDate? date = null;
if (Arg("--date") is { } text)
{
    var parsed = LocalDatePattern.Iso.Parse(text);
    if (!parsed.Success)
    {
        Console.Error.WriteLine($"--date '{text}' is not a date in the form yyyy-MM-dd (e.g. 2026-12-15).");
        return 2;
    }

    date = parsed.Value;
}

var services = new ServiceCollection();
services.AddCreditRecovery(o =>
{
    o.Procedures.Add(SampleProcedures.Standard);
    o.Procedures.Add(SampleProcedures.UnpaidReceipt);
    var settings = new CompanySettings
    {
        Id = company.Value,
        Profile = new CompanyProfile { Name = "Demo Distribuzione S.p.A.", Email = "crediti@demo.example", Pec = "demo@pec.example", Iban = "IT60X0542811101000000123456" },
        DefaultProcedureId = SampleProcedures.Standard.Id,
        UnpaidReceiptProcedureId = SampleProcedures.UnpaidReceipt.Id,
        ManagerEmail = "direzione.crediti@demo.example",
    };
    settings.Calendar.PatronSaintDay = new AnnualDate(12, 7); // Milan: Sant'Ambrogio
    settings.Calendar.PatronSaintName = "Sant'Ambrogio";
    settings.OperatorPool.Add(new OperatorId("anna"));
    o.Companies.Add(settings);
});
services.AddCreditRecoverySqliteStore(o => o.DatabasePath = database);
services.AddSingleton<ILedgerSource>(new DemoLedgerSource(company));

await using var provider = services.BuildServiceProvider();
var engine = provider.GetRequiredService<CreditRecoveryEngine>();
var (ledger, run) = await engine.RunDayAsync(company, date, dryRun ? RunOptions.Dry : RunOptions.Default);

var it = CultureInfo.GetCultureInfo("it-IT");
Console.WriteLine($"CreditRecovery sample host — company {company}, business date {LocalDatePattern.Iso.Format(run.BusinessDate)}{(dryRun ? " (dry run)" : "")}, store {database}");
Console.WriteLine();
Console.WriteLine($"Ledger: {ledger.CustomersRead} customers, {ledger.InstallmentsRead} installments; opened {ledger.CasesOpened}, paid {ledger.CasesPaid}, partial {ledger.PartialPayments}, unpaid receipts {ledger.UnpaidReceipts}, removed {ledger.CasesRemoved}, rejected {ledger.Rejected.Count}");
foreach (var rejected in ledger.Rejected)
{
    Console.WriteLine($"  quarantined: {rejected}");
}

Console.WriteLine();
Console.WriteLine($"Messages queued: {run.Messages.Count}");
foreach (var m in run.Messages)
{
    Console.WriteLine($"- [{m.Channel}] to {m.Recipient}{(m.Cc.Count > 0 ? " cc " + string.Join(", ", m.Cc) : "")} — {m.StepName}, {m.Lines.Count} installment(s), total {m.TotalResidual.Amount.ToString("N2", it)} {m.TotalResidual.Currency}");
    foreach (var line in m.Why.Split('\n').Skip(1))
    {
        Console.WriteLine($"    why {line}");
    }
}

Console.WriteLine();
Console.WriteLine($"Operator tasks: {run.Tasks.Count}");
foreach (var t in run.Tasks)
{
    Console.WriteLine($"- {t.Title} · customer {t.CustomerCode} · assigned to {t.AssignedTo?.Value ?? "(nobody)"} · {string.Join(", ", t.Installments)}");
}

Console.WriteLine();
Console.WriteLine($"Held: {run.Holds.Count}");
foreach (var h in run.Holds)
{
    Console.WriteLine($"- {h.Key} ({h.CustomerCode}): {h.Reason}");
}

Console.WriteLine();
Console.WriteLine($"{run.CasesExamined} case(s) examined, {run.CasesChanged} changed. Run it again for the same date: nothing new is sent.");
return run.Errors.Count == 0 ? 0 : 1;

string? Arg(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
