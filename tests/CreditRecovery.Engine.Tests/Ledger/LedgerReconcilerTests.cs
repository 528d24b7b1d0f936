using System.Runtime.CompilerServices;
using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Running;
using CreditRecovery.Testing;
using NodaTime;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.LedgerAlignment;

/// <summary>Ledger alignment (M1, M6): bad records, vanished installments, interrupted reads, change feeds.</summary>
public sealed class LedgerReconcilerTests
{
    private static readonly LocalDate Day = new(2026, 3, 10);

    [Fact]
    public async Task Bad_records_are_quarantined_with_record_and_field_and_the_rest_goes_on()
    {
        var h = new EngineHarness();
        h.Ledger.Put(Customer("C1"))
            .Put(Customer("C2", c => c with { Name = " " }))
            .Put(Installment("GOOD", "C1", Day.PlusDays(-5), 100m))
            .Put(Installment("TOO-MUCH", "C1", Day.PlusDays(-5), 100m, residual: 150m))
            .Put(Installment("NO-CUSTOMER", "", Day.PlusDays(-5), 100m))
            .Put(Installment("CURRENCY", "C1", Day.PlusDays(-5), 100m) with { OpenResidual = new Money(100m, "USD") })
            .Reject(new LedgerRecordError("scadenzario/C9/1", "dt_scadenza", "20261399", "not a date", "{\"dt_scadenza\":\"20261399\"}"));

        h.SetDate(Day);
        var report = await h.Engine.Ledger!.SynchronizeAsync(Company, LedgerReadMode.Snapshot, Day);

        Assert.Equal(1, report.CasesOpened);
        Assert.NotNull(await h.CaseAsync("GOOD"));
        var errors = report.Rejected.Select(e => $"{e.RecordKey}|{e.Field}").Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(["CURRENCY|OpenResidual", "NO-CUSTOMER|CustomerCode", "TOO-MUCH|OpenResidual", "customer C2|Name", "scadenzario/C9/1|dt_scadenza"], errors);

        var quarantine = new List<QuarantinedRecord>();
        await foreach (var q in h.Store.ReadQuarantineAsync(Company))
        {
            quarantine.Add(q);
        }

        Assert.Equal(5, quarantine.Count);
        Assert.Contains(quarantine, q => q.Error.RawPayload == "{\"dt_scadenza\":\"20261399\"}" && q.Source == "scripted");
        Assert.Null(await h.Store.GetCaseAsync(Company, new InstallmentKey("TOO-MUCH")));
    }

    [Fact]
    public async Task A_rejected_record_of_an_existing_case_does_not_count_as_vanished()
    {
        var h = new EngineHarness();
        h.Ledger.Put(Customer("C1")).Put(Installment("A", "C1", Day.PlusDays(-5), 100m));
        await h.DayAsync(Day);

        h.Ledger.Change("A", i => i with { OpenResidual = Money.Eur(-3m) });
        await h.DayAsync(Day.PlusDays(1));

        var a = await h.CaseAsync("A");
        Assert.True(a.IsOpen);
        Assert.Equal(Money.Eur(100m), a.Installment.OpenResidual);
    }

    [Fact]
    public async Task An_installment_the_adapter_could_not_read_is_not_taken_for_removed()
    {
        var h = new EngineHarness();
        h.Ledger.Put(Customer("C1")).Put(Installment("A", "C1", Day.PlusDays(5), 100m));
        await h.DayAsync(Day);

        // Next day the adapter cannot read A (say, an unknown payment code): it reports it instead of listing it.
        h.Ledger.Remove("A").Reject(new LedgerRecordError("A", "PaymentTerm", "999", "unknown payment code"));
        h.Ledger.RejectedInstallments.Add(new InstallmentKey("A"));
        await h.DayAsync(Day.PlusDays(1));

        var a = await h.CaseAsync("A");
        Assert.True(a.IsOpen);
        Assert.DoesNotContain(h.Store.AllHistory(Company), e => e.CaseKey.Value == "A" && e.Kind == "LedgerRemoved");
    }

    [Fact]
    public async Task A_vanished_installment_closes_with_that_reason_and_an_event()
    {
        var h = new EngineHarness();
        h.Ledger.Put(Customer("C1")).Put(Installment("A", "C1", Day.PlusDays(5), 100m)).Put(Installment("B", "C1", Day.PlusDays(5), 100m));
        await h.DayAsync(Day);

        h.Ledger.Remove("A");
        h.SetDate(Day.PlusDays(1));
        var report = await h.Engine.Ledger!.SynchronizeAsync(Company, LedgerReadMode.Snapshot, Day.PlusDays(1));

        Assert.Equal(1, report.CasesRemoved);
        var a = await h.CaseAsync("A");
        Assert.Equal((CaseStatus.Closed, ClosureReason.RemovedFromLedger, Day.PlusDays(1)), (a.Status, a.ClosedBecause, a.ClosedOn));
        Assert.Contains(h.Store.AllHistory(Company), e => e.CaseKey.Value == "A" && e.Kind == "LedgerRemoved" && e.Reason.Contains("no longer in the ledger", StringComparison.Ordinal));
        Assert.True((await h.CaseAsync("B")).IsOpen);
    }

    [Fact]
    public async Task An_interrupted_snapshot_closes_nothing()
    {
        var h = new EngineHarness();
        h.Ledger.Put(Customer("C1")).Put(Installment("A", "C1", Day.PlusDays(5), 100m)).Put(Installment("B", "C1", Day.PlusDays(5), 100m));
        await h.DayAsync(Day);

        var failing = new FailingLedger(h.Ledger, failAfter: 2);
        var engine = new CreditRecoveryEngineBuilder().Configure(o => CopyOptions(h, o)).UseStore(h.Store).UseLedger(failing).UseClock(h.Clock).Build();
        await Assert.ThrowsAsync<IOException>(async () => await engine.Ledger!.SynchronizeAsync(Company, LedgerReadMode.Snapshot, Day.PlusDays(1)));

        Assert.True((await h.CaseAsync("A")).IsOpen);
        Assert.True((await h.CaseAsync("B")).IsOpen);
    }

    [Fact]
    public async Task Credit_notes_open_no_case_and_a_cancellation_by_credit_note_closes_with_that_reason()
    {
        var h = new EngineHarness();
        h.Ledger.Put(Customer("C1"))
            .Put(Installment("NC", "C1", Day.PlusDays(-5), -100m) with { Document = new DocumentReference(DocumentKind.CreditNote, "NC-1", Day.PlusDays(-20)) })
            .Put(Installment("A", "C1", Day.PlusDays(-5), 100m));
        await h.DayAsync(Day);
        Assert.Null(await h.Store.GetCaseAsync(Company, new InstallmentKey("NC")));

        h.Ledger.Change("A", i => i with { OpenResidual = Money.Eur(0), CancelledByCreditNote = true });
        await h.DayAsync(Day.PlusDays(1));
        Assert.Equal(ClosureReason.CancelledByCreditNote, (await h.CaseAsync("A")).ClosedBecause);
    }

    [Fact]
    public async Task A_change_feed_applies_changes_and_removals_and_resumes_from_its_checkpoint()
    {
        var h = new EngineHarness();
        var feed = new ChangeFeed();
        var engine = new CreditRecoveryEngineBuilder().Configure(o => CopyOptions(h, o)).UseStore(h.Store).UseLedger(feed).UseClock(h.Clock).Build();
        h.SetDate(Day);

        feed.Next = [new CustomerRecord(Customer("C1")), new InstallmentRecord(Installment("A", "C1", Day.PlusDays(3), 300m)), new InstallmentRecord(Installment("B", "C1", Day.PlusDays(3), 200m)), new LedgerCheckpoint("t1")];
        var first = await engine.Ledger!.SynchronizeAsync(Company);
        Assert.Equal((2, (string?)null), (first.CasesOpened, feed.LastCursor));
        Assert.Equal("t1", await h.Store.GetCursorAsync(Company, feed.Name));

        feed.Next = [new InstallmentRecord(Installment("A", "C1", Day.PlusDays(3), 300m, residual: 120m)), new InstallmentRemovedRecord(new InstallmentKey("B")), new LedgerCheckpoint("t2")];
        var second = await engine.Ledger.SynchronizeAsync(Company);
        Assert.Equal(("t1", 1, 1), (feed.LastCursor, second.PartialPayments, second.CasesRemoved));
        Assert.Equal(Money.Eur(120m), (await h.CaseAsync("A")).Installment.OpenResidual);
        Assert.Equal(ClosureReason.RemovedFromLedger, (await h.CaseAsync("B")).ClosedBecause);
        Assert.Equal("t2", await h.Store.GetCursorAsync(Company, feed.Name));
    }

    [Fact]
    public async Task Two_workers_running_the_same_day_on_one_store_never_send_a_step_twice()
    {
        var h = new EngineHarness();
        h.Ledger.Put(Customer("C1")).Put(Customer("C2")).Put(Customer("C3"));
        for (var n = 0; n < 30; n++)
        {
            h.Ledger.Put(Installment($"I{n:00}", $"C{(n % 3) + 1}", Day.PlusDays(-10 - n), 100m + n));
        }

        h.SetDate(Day);
        await h.Engine.Ledger!.SynchronizeAsync(Company, LedgerReadMode.Snapshot, Day);
        var other = new CreditRecoveryEngineBuilder().Configure(o => CopyOptions(h, o)).UseStore(h.Store).UseLedger(h.Ledger).UseClock(h.Clock).Build();

        // Make every commit slow enough for the two runs to interleave.
        var attempts = 0;
        var commitsBefore = h.Store.CommitCount;
        h.Store.BeforeCommit = async _ =>
        {
            Interlocked.Increment(ref attempts);
            await Task.Delay(2);
        };
        var reports = await Task.WhenAll(
            Task.Run(async () => await h.Engine.Runner.RunAsync(Company, Day)),
            Task.Run(async () => await other.Runner.RunAsync(Company, Day)));

        var sent = reports.SelectMany(r => r.Messages).SelectMany(m => m.Lines.Select(l => $"{l.Key}|{m.StepId}")).ToList();
        Assert.Equal(sent.Count, sent.Distinct().Count());
        var stored = h.Store.AllOutbox(Company).SelectMany(m => m.Lines.Select(l => $"{l.Key}|{m.StepId}")).ToList();
        Assert.Equal(stored.Order(StringComparer.Ordinal).ToList(), sent.Order(StringComparer.Ordinal).ToList());
        Assert.NotEmpty(sent);
        Assert.All(reports, r => Assert.Empty(r.Errors));
        Console.WriteLine($"two workers: {attempts} commit attempts, {attempts - (h.Store.CommitCount - commitsBefore)} conflicts, {sent.Count} steps sent once each");
    }

    private static void CopyOptions(EngineHarness h, CreditRecoveryOptions o)
    {
        foreach (var p in h.Engine.Options.Procedures)
        {
            o.Procedures.Add(p);
        }

        foreach (var c in h.Engine.Options.Companies)
        {
            o.Companies.Add(c);
        }
    }

    private sealed class FailingLedger(ScriptedLedgerSource inner, int failAfter) : ILedgerSource
    {
        public string Name => inner.Name;

        public bool SupportsChanges => false;

        public async IAsyncEnumerable<LedgerRecord> ReadSnapshotAsync(CompanyId company, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var n = 0;
            await foreach (var r in inner.ReadSnapshotAsync(company, cancellationToken))
            {
                if (n++ == failAfter)
                {
                    throw new IOException("ERP connection lost");
                }

                yield return r;
            }
        }

        public IAsyncEnumerable<LedgerRecord> ReadChangesAsync(CompanyId company, string? cursor, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    private sealed class ChangeFeed : ILedgerSource
    {
        public IReadOnlyList<LedgerRecord> Next { get; set; } = [];

        public string? LastCursor { get; private set; }

        public string Name => "feed";

        public bool SupportsChanges => true;

        public IAsyncEnumerable<LedgerRecord> ReadSnapshotAsync(CompanyId company, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public async IAsyncEnumerable<LedgerRecord> ReadChangesAsync(CompanyId company, string? cursor, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            LastCursor = cursor;
            await Task.Yield();
            foreach (var r in Next)
            {
                yield return r;
            }
        }
    }
}
