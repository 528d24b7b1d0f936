using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Testing;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Engine.Tests.Storage;

public sealed class InMemoryRecoveryStoreTests
{
    private static readonly CompanyId Acme = new("ACME");
    private static readonly CompanyId Beta = new("BETA");
    private static readonly LocalDate Today = new(2025, 3, 10);
    private static readonly Instant Now = Instant.FromUtc(2025, 3, 10, 8, 0);

    private static RecoveryCase Case(CompanyId company, string key, string customer, long version = 1, LocalDate? next = null, CaseStatus status = CaseStatus.Overdue) =>
        new()
        {
            Company = company,
            Key = new InstallmentKey(key),
            CustomerCode = customer,
            Installment = new Installment
            {
                Company = company,
                Key = new InstallmentKey(key),
                CustomerCode = customer,
                Document = new DocumentReference(DocumentKind.Invoice, "F-" + key, Today.PlusDays(-60)),
                DueDate = Today.PlusDays(-30),
                OriginalAmount = new Money(100m, "EUR"),
                OpenResidual = new Money(100m, "EUR"),
            },
            Status = status,
            ProcedureId = "standard",
            AnchorDate = Today.PlusDays(-30),
            OpenedOn = Today.PlusDays(-30),
            NextActionDate = next,
            Version = version,
        };

    private static HistoryEvent Event(CompanyId company, string key, long version, string kind) =>
        new()
        {
            Company = company,
            CaseKey = new InstallmentKey(key),
            CaseVersion = version,
            At = Now,
            BusinessDate = Today,
            Actor = OperatorId.System,
            Kind = kind,
            Reason = kind,
        };

    private static OutboxMessage Message(CompanyId company, string id, Instant createdAt, OutboxStatus status = OutboxStatus.Pending) =>
        new()
        {
            Id = id,
            Company = company,
            CustomerCode = "C1",
            Channel = default,
            TemplateId = "t",
            ProcedureId = "standard",
            StepId = "s1",
            StepName = "First reminder",
            BusinessDate = Today,
            CreatedAt = createdAt,
            Recipient = "c1@example.com",
            Lines = [],
            Why = "test",
            Status = status,
        };

    private static OperatorTask NewTask(CompanyId company, string id, LocalDate dueOn) =>
        new()
        {
            Id = id,
            Company = company,
            CustomerCode = "C1",
            Kind = OperatorTaskKind.PhoneCall,
            Title = "Call",
            DueOn = dueOn,
            Installments = [],
            Why = "test",
            CreatedAt = Now,
        };

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    private static RecoveryChangeSet Create(CompanyId company, params RecoveryCase[] cases)
    {
        var changes = new RecoveryChangeSet(company);
        foreach (var c in cases)
        {
            changes.Cases.Add(new CaseWrite(c, c.Version - 1));
            changes.History.Add(Event(company, c.Key.Value, c.Version, "Opened"));
        }

        return changes;
    }

    [Fact]
    public async Task Version_conflict_applies_nothing_of_the_change_set()
    {
        var store = new InMemoryRecoveryStore();
        await store.CommitAsync(Create(Acme, Case(Acme, "K1", "C1"), Case(Acme, "K2", "C1")));

        // K1 is written correctly (1 -> 2) but K2 expects version 0 while it is stored at 1.
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C1", version: 2, status: CaseStatus.InProcedure), 1));
        changes.Cases.Add(new CaseWrite(Case(Acme, "K2", "C1", version: 1, status: CaseStatus.InProcedure), 0));
        changes.History.Add(Event(Acme, "K1", 2, "StepExecuted"));
        changes.Outbox.Add(Message(Acme, "M1", Now));
        changes.Tasks.Add(NewTask(Acme, "T1", Today));

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.CommitAsync(changes).AsTask());

        Assert.Equal(Acme, ex.Company);
        Assert.Equal(new InstallmentKey("K2"), ex.Key);
        Assert.Equal(0, ex.ExpectedVersion);
        Assert.Equal(1, ex.ActualVersion);
        Assert.Equal(1, store.CommitCount);
        Assert.Equal(1, (await store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.Version);
        Assert.Equal(CaseStatus.Overdue, (await store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.Status);
        Assert.Equal(2, store.AllHistory(Acme).Count);
        Assert.Empty(store.AllOutbox(Acme));
        Assert.Null(await store.GetTaskAsync(Acme, "T1"));
    }

    [Fact]
    public async Task Write_whose_new_version_is_not_expected_plus_one_is_rejected()
    {
        var store = new InMemoryRecoveryStore();

        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C1", version: 5), 0));

        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.CommitAsync(changes).AsTask());
        Assert.Null(await store.GetCaseAsync(Acme, new InstallmentKey("K1")));
        Assert.Equal(0, store.CommitCount);
    }

    [Fact]
    public async Task Concurrent_writer_in_BeforeCommit_makes_the_stale_commit_fail()
    {
        var store = new InMemoryRecoveryStore();
        await store.CommitAsync(Create(Acme, Case(Acme, "K1", "C1")));

        var interfered = false;
        store.BeforeCommit = async _ =>
        {
            if (interfered)
            {
                return;
            }

            interfered = true;
            var other = new RecoveryChangeSet(Acme);
            other.Cases.Add(new CaseWrite(Case(Acme, "K1", "C1", version: 2, status: CaseStatus.Disputed), 1));
            await store.CommitAsync(other);
        };

        var stale = new RecoveryChangeSet(Acme);
        stale.Cases.Add(new CaseWrite(Case(Acme, "K1", "C1", version: 2, status: CaseStatus.InProcedure), 1));
        stale.Outbox.Add(Message(Acme, "M1", Now));

        var ex = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => store.CommitAsync(stale).AsTask());
        Assert.Equal(2, ex.ActualVersion);
        Assert.Equal(CaseStatus.Disputed, (await store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.Status);
        Assert.Empty(store.AllOutbox(Acme));
    }

    [Fact]
    public async Task Reads_never_cross_companies()
    {
        var store = new InMemoryRecoveryStore();
        var acme = Create(Acme, Case(Acme, "K1", "C1"));
        acme.Customers.Add(new Customer { Company = Acme, Code = "C1", Name = "Acme customer" });
        acme.Outbox.Add(Message(Acme, "M1", Now));
        acme.Tasks.Add(NewTask(Acme, "T1", Today));
        acme.Cursors.Add(new Ledger.SyncCursor(Acme, "erp", "acme-cursor"));
        await store.CommitAsync(acme);

        var beta = Create(Beta, Case(Beta, "K1", "C1"));
        beta.Customers.Add(new Customer { Company = Beta, Code = "C1", Name = "Beta customer" });
        await store.CommitAsync(beta);

        Assert.Equal("Acme customer", (await store.GetCustomerAsync(Acme, "C1"))!.Name);
        Assert.Equal("Beta customer", (await store.GetCustomerAsync(Beta, "C1"))!.Name);
        Assert.Equal(Beta, (await store.GetCaseAsync(Beta, new InstallmentKey("K1")))!.Company);
        Assert.All(await ToListAsync(store.ReadCasesAsync(Beta, CaseFilter.All)), c => Assert.Equal(Beta, c.Company));
        Assert.Single(await ToListAsync(store.ReadHistoryAsync(Beta, new InstallmentKey("K1"))));
        Assert.Empty(await ToListAsync(store.ReadOutboxAsync(Beta, OutboxStatus.Pending)));
        Assert.Null(await store.GetOutboxMessageAsync(Beta, "M1"));
        Assert.Null(await store.GetTaskAsync(Beta, "T1"));
        Assert.Empty(await ToListAsync(store.ReadTasksAsync(Beta, new TaskFilter())));
        Assert.Null(await store.GetCursorAsync(Beta, "erp"));
        Assert.Equal("acme-cursor", await store.GetCursorAsync(Acme, "erp"));
    }

    [Fact]
    public async Task Commit_rejects_rows_of_another_company()
    {
        var store = new InMemoryRecoveryStore();
        var changes = Create(Acme, Case(Acme, "K1", "C1"));
        changes.Outbox.Add(Message(Beta, "M1", Now));

        await Assert.ThrowsAsync<ArgumentException>(() => store.CommitAsync(changes).AsTask());
        Assert.Null(await store.GetCaseAsync(Acme, new InstallmentKey("K1")));
        Assert.Empty(store.AllHistory(Acme));
    }

    [Fact]
    public async Task Operators_are_shared_by_the_companies_they_work_for()
    {
        var store = new InMemoryRecoveryStore();
        var changes = new RecoveryChangeSet(Acme);
        changes.Operators.Add(new Operator { Id = new OperatorId("anna"), Name = "Anna", Companies = new HashSet<CompanyId> { Acme, Beta } });
        changes.Operators.Add(new Operator { Id = new OperatorId("bruno"), Name = "Bruno", Companies = new HashSet<CompanyId> { Acme } });
        await store.CommitAsync(changes);

        Assert.Equal(["anna", "bruno"], (await ToListAsync(store.ReadOperatorsAsync(Acme))).Select(o => o.Id.Value));
        Assert.Equal(["anna"], (await ToListAsync(store.ReadOperatorsAsync(Beta))).Select(o => o.Id.Value));
    }

    [Fact]
    public async Task NextActionOnOrBefore_keeps_only_cases_scheduled_by_the_date()
    {
        var store = new InMemoryRecoveryStore();
        await store.CommitAsync(Create(
            Acme,
            Case(Acme, "K-past", "C1", next: Today.PlusDays(-1)),
            Case(Acme, "K-today", "C1", next: Today),
            Case(Acme, "K-future", "C1", next: Today.PlusDays(1)),
            Case(Acme, "K-none", "C1", next: null),
            Case(Acme, "K-closed", "C1", next: Today, status: CaseStatus.Closed)));

        var due = await ToListAsync(store.ReadCasesAsync(Acme, new CaseFilter { NextActionOnOrBefore = Today }));
        Assert.Equal(["K-closed", "K-past", "K-today"], due.Select(c => c.Key.Value));

        var dueOpen = await ToListAsync(store.ReadCasesAsync(Acme, new CaseFilter { NextActionOnOrBefore = Today, OpenOnly = true }));
        Assert.Equal(["K-past", "K-today"], dueOpen.Select(c => c.Key.Value));
    }

    [Fact]
    public async Task Cases_are_ordered_by_customer_then_key_ordinally()
    {
        var store = new InMemoryRecoveryStore();
        await store.CommitAsync(Create(
            Acme,
            Case(Acme, "b", "C2"),
            Case(Acme, "a", "c1"),
            Case(Acme, "B", "C1"),
            Case(Acme, "a", "C1") with { Key = new InstallmentKey("A") },
            Case(Acme, "z", "C1")));

        var cases = await ToListAsync(store.ReadCasesAsync(Acme, CaseFilter.All));

        // Ordinal: upper case before lower case, so "C1" < "C2" < "c1".
        Assert.Equal(["C1/A", "C1/B", "C1/z", "C2/b", "c1/a"], cases.Select(c => $"{c.CustomerCode}/{c.Key.Value}"));
    }

    [Fact]
    public async Task Tasks_and_outbox_are_ordered_and_filtered()
    {
        var store = new InMemoryRecoveryStore();
        var changes = new RecoveryChangeSet(Acme);
        changes.Tasks.Add(NewTask(Acme, "T3", Today));
        changes.Tasks.Add(NewTask(Acme, "T1", Today.PlusDays(2)));
        changes.Tasks.Add(NewTask(Acme, "T2", Today));
        changes.Tasks.Add(NewTask(Acme, "T0", Today.PlusDays(-5)) with { Status = OperatorTaskStatus.Done });
        changes.Outbox.Add(Message(Acme, "M2", Now));
        changes.Outbox.Add(Message(Acme, "M1", Now.Plus(Duration.FromMinutes(1))));
        changes.Outbox.Add(Message(Acme, "M0", Now));
        changes.Outbox.Add(Message(Acme, "MS", Now, OutboxStatus.Sent));
        await store.CommitAsync(changes);

        var open = await ToListAsync(store.ReadTasksAsync(Acme, new TaskFilter { Status = OperatorTaskStatus.Open }));
        Assert.Equal(["T2", "T3", "T1"], open.Select(t => t.Id));

        var dueToday = await ToListAsync(store.ReadTasksAsync(Acme, new TaskFilter { DueFrom = Today, DueTo = Today }));
        Assert.Equal(["T2", "T3"], dueToday.Select(t => t.Id));

        var pending = await ToListAsync(store.ReadOutboxAsync(Acme, OutboxStatus.Pending));
        Assert.Equal(["M0", "M2", "M1"], pending.Select(m => m.Id));
    }

    [Fact]
    public async Task Reads_are_snapshots_so_callers_may_commit_while_iterating()
    {
        var store = new InMemoryRecoveryStore();
        await store.CommitAsync(Create(Acme, Case(Acme, "K1", "C1", next: Today), Case(Acme, "K2", "C1", next: Today)));

        var seen = new List<string>();
        await foreach (var c in store.ReadCasesAsync(Acme, CaseFilter.Open))
        {
            seen.Add(c.Key.Value);
            var update = new RecoveryChangeSet(Acme);
            update.Cases.Add(new CaseWrite(c with { Version = c.Version + 1, Status = CaseStatus.Closed }, c.Version));
            update.Cases.Add(new CaseWrite(Case(Acme, "K-new-" + c.Key.Value, "C0"), 0));
            await store.CommitAsync(update);
        }

        Assert.Equal(["K1", "K2"], seen);
        Assert.Equal(3, store.CommitCount);
        Assert.Equal(2, (await ToListAsync(store.ReadCasesAsync(Acme, CaseFilter.Open))).Count);
    }

    [Fact]
    public async Task Cancelled_commit_applies_nothing()
    {
        var store = new InMemoryRecoveryStore();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.CommitAsync(Create(Acme, Case(Acme, "K1", "C1")), cts.Token).AsTask());
        Assert.Null(await store.GetCaseAsync(Acme, new InstallmentKey("K1")));
    }

    [Fact]
    public async Task Parallel_writers_of_the_same_version_succeed_exactly_once()
    {
        var store = new InMemoryRecoveryStore();
        await store.CommitAsync(Create(Acme, Case(Acme, "K1", "C1")));

        var attempts = Enumerable.Range(0, 32).Select(i => System.Threading.Tasks.Task.Run(async () =>
        {
            var changes = new RecoveryChangeSet(Acme);
            changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C1", version: 2), 1));
            changes.Outbox.Add(Message(Acme, "M" + i, Now));
            try
            {
                await store.CommitAsync(changes);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        }));

        var results = await System.Threading.Tasks.Task.WhenAll(attempts);

        Assert.Single(results, ok => ok);
        Assert.Single(store.AllOutbox(Acme));
        Assert.Equal(2, store.CommitCount);
    }
}
