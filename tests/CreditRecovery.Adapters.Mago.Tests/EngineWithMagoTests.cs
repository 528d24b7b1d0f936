using CreditRecovery.Calendar;
using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing;
using NodaTime;
using NodaTime.Testing;

namespace CreditRecovery.Adapters.Mago.Tests;

/// <summary>The engine fed by the Mago adapter over the demo database (SQLite) opens the right cases.</summary>
public sealed class EngineWithMagoTests
{
    private static readonly DateTimeZone Rome = DateTimeZoneProviders.Tzdb["Europe/Rome"];
    private static readonly LocalDate BusinessDate = new(2026, 3, 2);

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
    public async Task Engine_fed_by_Mago_opens_the_right_cases_for_the_demo_database()
    {
        await using var db = await MagoDatabase.CreateSqliteAsync();
        var store = new InMemoryRecoveryStore();
        var clock = new FakeClock(BusinessDate.At(new LocalTime(9, 0)).InZoneLeniently(Rome).ToInstant());
        var engine = new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                o.Procedures.Add(Standard);
                o.Procedures.Add(UnpaidReceipt);
                o.Companies.Add(new CompanySettings
                {
                    Id = MagoContract.Acme.Value,
                    Profile = new CompanyProfile { Name = "ACME S.p.A.", Email = "crediti@acme.example" },
                    DefaultProcedureId = Standard.Id,
                    UnpaidReceiptProcedureId = UnpaidReceipt.Id,
                    Calendar = new ItalianCalendarOptions(),
                });
            })
            .UseStore(store)
            .UseLedger(db.Source())
            .UseClock(clock)
            .Build();

        var (ledger, _) = await engine.RunDayAsync(MagoContract.Acme, BusinessDate);

        // Open: every invoice installment with a residual; not the paid ones, the credit note, the supplier's or the quarantined one.
        Assert.Equal(7, ledger.CasesOpened);
        Assert.Equal(1, ledger.UnpaidReceipts + ledger.CasesOpened - 6);
        var rejected = Assert.Single(ledger.Rejected);
        Assert.Equal(("mago/1008/1", "MA_PyblsRcvblsDetails.PaymentTerm"), (rejected.RecordKey, rejected.Field));

        var cases = new Dictionary<string, RecoveryCase>(StringComparer.Ordinal);
        await foreach (var c in store.ReadCasesAsync(MagoContract.Acme, CaseFilter.Open))
        {
            cases[c.Key.Value] = c;
        }

        Assert.Equal(
            ["mago/1001/2", "mago/1001/3", "mago/1002/1", "mago/1003/1", "mago/1003/2", "mago/1006/1", "mago/1009/1"],
            cases.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(UnpaidReceipt.Id, cases["mago/1001/2"].ProcedureId);
        Assert.Equal(new LocalDate(2026, 1, 12), cases["mago/1001/2"].AnchorDate);
        Assert.All(cases.Values.Where(c => c.Key.Value != "mago/1001/2"), c => Assert.Equal(Standard.Id, c.ProcedureId));
        Assert.Equal(Money.Eur(1440m), cases["mago/1002/1"].Installment.OpenResidual);
        Assert.Equal(Money.Eur(100m), cases["mago/1009/1"].Installment.OpenResidual);
        Assert.Equal(CaseStatus.NotDue, cases["mago/1003/2"].Status);
        Assert.NotEqual(CaseStatus.NotDue, cases["mago/1002/1"].Status);

        var blocked = await store.ReadCustomersAsync(MagoContract.Acme, ["C004"]).SingleAsync();
        Assert.Equal(CustomerFlags.Blocked, blocked.Flags);
        Assert.Equal("neritrasporti@pec.example", blocked.Pec);

        // Mago deletes partita 1003: the next snapshot closes its two cases as removed from the ledger.
        await db.ExecuteAsync("""
            DELETE FROM "MA_PyblsRcvblsDetails" WHERE "PymtSchedId" = 1003;
            DELETE FROM "MA_PyblsRcvbls" WHERE "PymtSchedId" = 1003;
            """);
        var report = await engine.Ledger!.SynchronizeAsync(MagoContract.Acme, LedgerReadMode.Snapshot, BusinessDate);
        Assert.Equal(2, report.CasesRemoved);
        Assert.Equal(0, report.CasesOpened);
        var removed = await store.GetCaseAsync(MagoContract.Acme, new InstallmentKey("mago/1003/1"));
        Assert.Equal(ClosureReason.RemovedFromLedger, removed!.ClosedBecause);
    }
}
