using System.Diagnostics;
using System.Globalization;
using CreditRecovery;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Running;
using CreditRecovery.Storage.PostgreSql;
using CreditRecovery.Storage.Sqlite;
using CreditRecovery.Storage.Worker;
using CreditRecovery.Testing;
using NodaTime;
using NodaTime.Text;

// Daily runs over a generated book, for the resilience tests (crash and concurrency). Usage:
//   --store sqlite|postgres --connection <file path | connection string> --seed N --customers N --installments N
//   --from yyyy-MM-dd --to yyyy-MM-dd [--worker-id N] [--workers N]
// After each day the worker commits a progress marker (a sync cursor of its own) through the store, so a restart
// resumes at the first day not known to be complete: that day may have been half done, and re-running it over the
// same ledger is a no-op for what was already committed. With --workers N > 1 the workers also wait for each other at
// the end of every day (a barrier on those markers). Only worker 1 aligns the ledger (and marks the day aligned); the
// others wait for its marker. Then every worker runs the day with RunOptions.WorkerId, so that the workers split the
// customers by leased partitions instead of racing on each of them.
var arguments = Arguments.Parse(args);
var stopwatch = Stopwatch.StartNew();
var rome = DateTimeZoneProviders.Tzdb["Europe/Rome"];
var book = new GeneratedBook(arguments.Seed, arguments.Customers, arguments.Installments, arguments.From, arguments.To);
var ledger = new ScriptedLedgerSource();
var clock = new SettableClock();

IRecoveryStore store = arguments.Store switch
{
    "sqlite" => new SqliteRecoveryStore(new SqliteStoreOptions { DatabasePath = arguments.Connection }),
    "postgres" => new PostgreSqlRecoveryStore(new PostgreSqlStoreOptions { ConnectionString = arguments.Connection }),
    _ => throw new ArgumentException($"Unknown store '{arguments.Store}': use sqlite or postgres."),
};

var engine = new CreditRecoveryEngineBuilder()
    .Configure(o =>
    {
        o.Procedures.Add(GeneratedBook.Automatic);
        o.Companies.Add(GeneratedBook.Settings());
    })
    .UseStore(store)
    .UseLedger(ledger)
    .UseClock(clock)
    .Build();

var company = GeneratedBook.Company;
var marker = await store.GetCursorAsync(company, Progress.Source(arguments.WorkerId));
var start = marker is null ? arguments.From : LocalDatePattern.Iso.Parse(marker).Value.PlusDays(1);
if (start < arguments.From)
{
    start = arguments.From;
}

Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready worker {arguments.WorkerId}: {book.InstallmentCount} installments, resuming at {LocalDatePattern.Iso.Format(start)}"));
int days = 0, messages = 0, caseWrites = 0, errors = 0, opened = 0, paid = 0;
for (var day = start; day <= arguments.To; day = day.PlusDays(1))
{
    if (arguments.Workers > 1 && day > arguments.From)
    {
        await Progress.WaitForAllAsync(store, company, arguments.Workers, day.PlusDays(-1));
    }

    var dayStarted = stopwatch.ElapsedMilliseconds;
    book.FillLedger(ledger, day);
    clock.Now = day.At(new LocalTime(9, 0)).InZoneLeniently(rome).ToInstant();
    LedgerSyncReport? sync = null;
    if (arguments.WorkerId == 1)
    {
        sync = await engine.Ledger!.SynchronizeAsync(company, LedgerReadMode.Auto, day);
        await Progress.MarkAsync(store, company, Progress.AlignedSource, day);
    }
    else
    {
        await Progress.WaitForAlignmentAsync(store, company, day);
    }

    var aligned = stopwatch.ElapsedMilliseconds;
    var run = await engine.Runner.RunAsync(company, day, new RunOptions { WorkerId = arguments.WorkerId.ToString(CultureInfo.InvariantCulture) });
    days++;
    messages += run.Messages.Count;
    caseWrites += run.CasesChanged;
    errors += run.Errors.Count;
    opened += sync?.CasesOpened ?? 0;
    paid += sync?.CasesPaid ?? 0;
    foreach (var error in run.Errors)
    {
        Console.Error.WriteLine($"run error on {LocalDatePattern.Iso.Format(day)}: {error}");
    }

    await Progress.MarkAsync(store, company, Progress.Source(arguments.WorkerId), day);
    var ledgerChanges = sync is null ? "ledger aligned by worker 1" : $"{sync.CasesOpened + sync.CasesPaid + sync.PartialPayments} ledger changes";
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"day {LocalDatePattern.Iso.Format(day)} done: {run.Messages.Count} messages, {ledgerChanges}, {run.PartitionsProcessed.Count} partitions run, {run.PartitionsSkipped.Count} skipped, {stopwatch.ElapsedMilliseconds - dayStarted} ms ({aligned - dayStarted} ms aligning or waiting for the alignment, {stopwatch.ElapsedMilliseconds - aligned} ms running)"));
}

if (store is IAsyncDisposable disposable)
{
    await disposable.DisposeAsync();
}

Console.WriteLine(string.Create(
    CultureInfo.InvariantCulture,
    $"worker {arguments.WorkerId} finished: {days} days run from {LocalDatePattern.Iso.Format(start)}, {messages} messages queued, {caseWrites} case writes by the runner, {opened} cases opened, {paid} paid, {errors} run errors, {stopwatch.ElapsedMilliseconds} ms"));
return errors == 0 ? 0 : 3;
