using System.Text.Json.Nodes;
using CreditRecovery.Calendar;
using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Samples.MexalDemo;
using CreditRecovery.Testing;
using NodaTime;
using NodaTime.Testing;
using Xunit.Abstractions;

namespace CreditRecovery.Adapters.Mexal.Tests;

/// <summary>The engine fed by the Mexal adapter over the demo WebAPI.</summary>
public sealed class EngineWithMexalTests(ITestOutputHelper output)
{
    private static readonly RecoveryProcedure Standard = new()
    {
        Id = "standard",
        Name = "Standard",
        Tolerance = 1m,
        Steps =
        [
            new() { Id = "dunning-1", Name = "1° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterDue(10), TemplateId = "dunning-1" },
            new() { Id = "formal-demand", Name = "Messa in mora", Action = StepAction.Pec, Timing = StepTiming.AfterPrevious(15), TemplateId = "formal-demand" },
        ],
    };

    private static readonly RecoveryProcedure UnpaidReceipt = new()
    {
        Id = "riba-unpaid",
        Name = "RiBa insoluta",
        Steps = [new() { Id = "unpaid-notice", Name = "Avviso insoluto", Action = StepAction.Email, Timing = StepTiming.AfterDue(1), TemplateId = "unpaid-receipt" }],
    };

    [Fact]
    public async Task The_engine_opens_cases_for_open_installments_and_none_for_paid_ones()
    {
        await using var server = await MexalDemoServer.StartAsync(); // The sample's book: 240 customers.
        var clock = MexalDemo.ClockAt(server.CurrentDate);
        using var services = MexalDemo.Services(server, clock, o => o.PageSize = 200);
        var store = new InMemoryRecoveryStore();
        var engine = Engine(server, store, services.Source(), clock);

        var (ledger, run) = await engine.RunDayAsync(server.Company(), server.CurrentDate);
        output.WriteLine($"{server.CurrentDate}: {ledger.CustomersRead} customers, {ledger.InstallmentsRead} installments read, {ledger.CasesOpened} cases opened ({ledger.UnpaidReceipts} unpaid receipts), {server.Requests} calls");

        // What the demo's raw WebAPI records say, row by row, independently of the adapter.
        var rows = Rows(server.Book.Records("scadenzario"), server.CurrentDate);
        var cases = new Dictionary<string, RecoveryCase>(StringComparer.Ordinal);
        await foreach (var c in store.ReadCasesAsync(server.Company(), CaseFilter.Open))
        {
            cases[c.Key.Value] = c;
        }

        var open = rows.Where(r => r.Open).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var paid = rows.Where(r => !r.Open).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        Assert.True(open.Count > 50, $"{open.Count} open installments");
        Assert.True(paid.Count > 100, $"{paid.Count} paid installments");
        Assert.Equal(open.Order(StringComparer.Ordinal), cases.Keys.Order(StringComparer.Ordinal));
        Assert.Empty(paid.Intersect(cases.Keys));
        Assert.Equal(open.Count, ledger.CasesOpened);
        Assert.Empty(ledger.Rejected);

        // Overdue ones are past due with the residual Mexal shows; unpaid RiBa run the unpaid-receipt procedure.
        foreach (var row in rows.Where(r => r.Open))
        {
            var c = cases[row.Key];
            Assert.Equal(row.Residual, c.Installment.OpenResidual.Amount);
            Assert.Equal(row.Due, c.Installment.DueDate);
            Assert.Equal(row.Unpaid ? UnpaidReceipt.Id : Standard.Id, c.ProcedureId);
            if (row.Due > server.CurrentDate)
            {
                Assert.Equal(CaseStatus.NotDue, c.Status);
            }
            else if (row.Due < server.CurrentDate)
            {
                Assert.NotEqual(CaseStatus.NotDue, c.Status);
            }
        }

        Assert.Contains(rows, r => r.Open && r.Unpaid);
        Assert.Contains(rows, r => r.Open && r.Partial);
        var flagged = new List<Customer>();
        await foreach (var customer in store.ReadCustomersAsync(server.Company(), cases.Values.Select(c => c.Installment.CustomerCode).Distinct().ToList()))
        {
            flagged.Add(customer);
        }

        output.WriteLine($"open {open.Count}: overdue {rows.Count(r => r.Open && r.Due < server.CurrentDate)}, not yet due {rows.Count(r => r.Open && r.Due >= server.CurrentDate)}, " +
            $"unpaid RiBa {rows.Count(r => r.Open && r.Unpaid)}, partially paid {rows.Count(r => r.Open && r.Partial)}; paid {paid.Count}; customers with open cases {flagged.Count}: " +
            $"blocked {flagged.Count(c => c.Flags.HasFlag(CustomerFlags.Blocked))}, do-not-dun {flagged.Count(c => c.Flags.HasFlag(CustomerFlags.DoNotDun))}, with PEC {flagged.Count(c => c.Pec is not null)}");
    }

    [Fact]
    public async Task Daily_incremental_syncs_after_AdvanceTo_match_a_full_resync()
    {
        await using var server = await MexalDemo.StartAsync();
        var clock = server.Clock; // The demo's simulated date drives the engine and the adapter.
        using var services = MexalDemo.Services(server, clock);
        var incremental = new InMemoryRecoveryStore();
        var engine = Engine(server, incremental, services.Source(), clock);
        await engine.Ledger!.SynchronizeAsync(server.Company(), LedgerReadMode.Changes, server.CurrentDate);

        var changed = 0;
        var paidOrRemoved = 0;
        for (var day = 1; day <= 10; day++)
        {
            var date = server.CurrentDate.PlusDays(1);
            var events = server.AdvanceTo(date);
            Assert.Equal(date, clock.GetCurrentInstant().InZone(MexalDemo.Rome).Date);
            server.ResetCounters();
            var report = await engine.Ledger.SynchronizeAsync(server.Company(), LedgerReadMode.Changes, date);
            changed += events.Count;
            paidOrRemoved += report.CasesPaid + report.CasesRemoved;
            output.WriteLine($"{date}: {events.Count} events; read {report.CustomersRead} customers, {report.InstallmentsRead} installments in {server.Requests} calls; opened {report.CasesOpened}, paid {report.CasesPaid}, partial {report.PartialPayments}, unpaid {report.UnpaidReceipts}, removed {report.CasesRemoved}");
            Assert.Empty(report.Rejected);

            // Only what changed is read: far fewer installments than the book holds.
            Assert.True(report.InstallmentsRead < server.Book.Records("scadenzario").Count, $"day {date}: {report.InstallmentsRead} installments read");
        }

        Assert.True(changed > 20, $"{changed} events in 10 days");
        Assert.True(paidOrRemoved > 0);

        // A full resync from scratch on another store sees the same open cases with the same residuals.
        var fresh = new InMemoryRecoveryStore();
        await Engine(server, fresh, services.Source(), clock).Ledger!.SynchronizeAsync(server.Company(), LedgerReadMode.Snapshot, server.CurrentDate);
        Assert.Equal(await OpenAsync(fresh, server), await OpenAsync(incremental, server));
    }

    private static async Task<List<string>> OpenAsync(InMemoryRecoveryStore store, MexalDemoServer server)
    {
        var list = new List<string>();
        await foreach (var c in store.ReadCasesAsync(server.Company(), CaseFilter.Open))
        {
            list.Add($"{c.Key} {c.Installment.OpenResidual} {c.Installment.UnpaidReceiptDate}");
        }

        list.Sort(StringComparer.Ordinal);
        return list;
    }

    private static CreditRecoveryEngine Engine(MexalDemoServer server, InMemoryRecoveryStore store, MexalLedgerSource source, IClock clock) =>
        new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                o.Procedures.Add(Standard);
                o.Procedures.Add(UnpaidReceipt);
                o.Companies.Add(new CompanySettings
                {
                    Id = server.Company,
                    Profile = new CompanyProfile { Name = "Demo S.r.l.", Email = "crediti@demo.example" },
                    DefaultProcedureId = Standard.Id,
                    UnpaidReceiptProcedureId = UnpaidReceipt.Id,
                    Calendar = new ItalianCalendarOptions(),
                });
            })
            .UseStore(store)
            .UseLedger(source)
            .UseClock(clock)
            .Build();

    private sealed record Row(string Key, bool Open, decimal Residual, LocalDate Due, bool Unpaid, bool Partial);

    /// <summary>
    /// The installments of the raw records, by the published rule: rows sharing <c>dt_sca_origine</c> are one installment,
    /// keyed by its first index; open while a row is blank (open) or <c>I</c> (unpaid), or <c>E</c> until due + 10 days.
    /// </summary>
    private static List<Row> Rows(IReadOnlyList<JsonObject> records, LocalDate today)
    {
        static Dictionary<int, string> Pairs(JsonObject r, string f) => ((JsonArray)r[f]!).ToDictionary(p => (int)p![0]!, p => p![1]!.ToString());
        var rows = new List<Row>();
        foreach (var record in records.Where(r => (string)r["causale"]! == "FT"))
        {
            var states = Pairs(record, "stato_pagamento");
            var origins = Pairs(record, "dt_sca_origine");
            var amounts = ((JsonArray)record["imp_scadenza"]!).ToDictionary(p => (int)p![0]!, p => (decimal)p![1]!);
            foreach (var group in origins.GroupBy(o => o.Value))
            {
                var due = new LocalDate(int.Parse(group.Key[..4], null), int.Parse(group.Key[4..6], null), int.Parse(group.Key[6..], null));
                var residual = group.Where(g => states[g.Key] is "" or "I" || (states[g.Key] == "E" && today <= due.PlusDays(10))).Sum(g => amounts[g.Key]);
                rows.Add(new Row(
                    MexalDemo.KeyPrefix(record) + group.Min(g => g.Key), residual > 0, residual, due,
                    group.Any(g => states[g.Key] == "I"), group.Count() > 1));
            }
        }

        return rows;
    }
}
