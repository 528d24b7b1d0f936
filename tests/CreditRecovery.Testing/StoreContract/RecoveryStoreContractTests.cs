using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;
using Xunit;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Testing.StoreContract;

/// <summary>
/// The contract of <see cref="IRecoveryStore"/>, run unchanged against every implementation (in-memory, SQLite,
/// PostgreSQL): a subclass only says how to make a fresh, empty store. Each test gets its own store.
/// </summary>
/// <remarks>
/// What the port means where its documentation is silent, as these tests pin it:
/// <list type="bullet">
/// <item>An empty (not null) list in a filter or a read argument matches nothing.</item>
/// <item>A case write whose <see cref="RecoveryCase.Version"/> is not <see cref="CaseWrite.ExpectedVersion"/> + 1 is
/// refused with <see cref="ConcurrencyConflictException"/>, like a stale one; nothing is applied.</item>
/// <item>"Ordered by customer code then key" and every other text order is ordinal (UTF-16 code units, "B999" &lt;
/// "C002" &lt; "c002"), never culture- or case-insensitive.</item>
/// <item>History and quarantine come in the order they were appended; outbox by creation time then id; tasks by due
/// date then id; activities by time then id; agenda entries by date then id. The order of procedure assignments is not
/// pinned.</item>
/// <item>A change set naming no company, a null row, or a row with an empty identity (code, key, id, owner, source) or a
/// null cursor is refused whole with <see cref="ArgumentException"/>, like a row of another company.</item>
/// <item>Operators are global rows: upserting one replaces its set of companies, and
/// <see cref="IRecoveryStore.ReadOperatorsAsync"/> returns those whose companies include the one asked.</item>
/// <item>A commit whose token is already cancelled applies nothing.</item>
/// </list>
/// </remarks>
public abstract partial class RecoveryStoreContractTests : IAsyncLifetime
{
    private static readonly string[] KnownCustomers = ["B999", "C001", "C002", "C003", "C010", "C999", "c002"];
    private static readonly string[] KnownKeys = ["K0", "K1", "K2", "K3", "K4", "K5", "K6", "K9", "K10", "k1"];
    private static readonly string[] KnownSources = ["mexal", "other"];

    private IRecoveryStore? _store;

    /// <summary>The store under test, fresh and empty for each test.</summary>
    protected IRecoveryStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    /// <summary>Creates a fresh, empty store. Called once per test.</summary>
    protected abstract Task<IRecoveryStore> CreateStoreAsync();

    /// <inheritdoc />
    public virtual async Task InitializeAsync() => _store = await CreateStoreAsync();

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        switch (_store)
        {
            case IAsyncDisposable asyncDisposable:
                await asyncDisposable.DisposeAsync();
                break;
            case IDisposable disposable:
                disposable.Dispose();
                break;
        }
    }

    [Fact]
    public async Task An_empty_store_reads_nothing()
    {
        Assert.Null(await Store.GetCaseAsync(Acme, Key("K1")));
        Assert.Null(await Store.GetCustomerAsync(Acme, "C001"));
        Assert.Null(await Store.GetOutboxMessageAsync(Acme, "m1"));
        Assert.Null(await Store.GetTaskAsync(Acme, "t1"));
        Assert.Null(await Store.GetCursorAsync(Acme, "mexal"));
        AssertNothing(await DumpAsync(Acme));
    }

    [Fact]
    public async Task A_version_conflict_applies_nothing_of_the_change_set()
    {
        await CommitAsync(Acme, c =>
        {
            c.Customers.Add(Customer(Acme, "C001"));
            c.Cases.Add(new CaseWrite(Case(Acme, "K1"), 0));
            c.History.Add(Event(Acme, "K1", 1, "Opened"));
            c.Outbox.Add(Outbox(Acme, "m1"));
            c.Tasks.Add(Task(Acme, "t1", assignee: Op1));
            c.Cursors.Add(Cursor(Acme, "mexal", "c-1"));
        });
        var before = await DumpAsync(Acme);

        // Every kind of row, and a new case that is fine on its own; the stale write of K1 comes last, so a store that
        // writes as it goes must roll all of it back.
        var stale = new RecoveryChangeSet(Acme);
        stale.Customers.Add(Customer(Acme, "C001", "Renamed"));
        stale.Customers.Add(Customer(Acme, "C002"));
        stale.Cases.Add(new CaseWrite(Case(Acme, "K2"), 0));
        stale.Cases.Add(new CaseWrite(Case(Acme, "K1", status: CaseStatus.Closed, version: 1), 0));
        stale.History.Add(Event(Acme, "K1", 1, "Again"));
        stale.History.Add(Event(Acme, "K2", 1, "Opened"));
        stale.Outbox.Add(Outbox(Acme, "m1", status: OutboxStatus.Cancelled));
        stale.Outbox.Add(Outbox(Acme, "m2"));
        stale.Tasks.Add(Task(Acme, "t1", status: OperatorTaskStatus.Done));
        stale.Tasks.Add(Task(Acme, "t2"));
        stale.Activities.Add(Activity(Acme, "a1"));
        stale.Agenda.Add(Agenda(Acme, "g1", Op1, Today));
        stale.Operators.Add(Operator("op1", Acme));
        stale.Assignments.Add(Assignment(Acme, "C001"));
        stale.ProcedureAssignments.Add(ProcedureAssignment(Acme, ProcedureScope.Company, string.Empty));
        stale.Quarantine.Add(Quarantined(Acme, "scad/1"));
        stale.Cursors.Add(Cursor(Acme, "mexal", "c-2"));
        stale.Cursors.Add(Cursor(Acme, "other", "o-1"));

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.CommitAsync(stale).AsTask());
        Assert.Equal(Acme, conflict.Company);
        Assert.Equal(Key("K1"), conflict.Key);
        Assert.Equal(0, conflict.ExpectedVersion);
        Assert.Equal(1, conflict.ActualVersion);

        DeepAssert.Equal(before, await DumpAsync(Acme));
        Assert.Null(await Store.GetCaseAsync(Acme, Key("K2")));
        Assert.Equal(CaseStatus.InProcedure, (await Store.GetCaseAsync(Acme, Key("K1")))!.Status);
        Assert.Equal("Rossi S.r.l. — àèìòù €", (await Store.GetCustomerAsync(Acme, "C001"))!.Name);
        Assert.Null(await Store.GetCustomerAsync(Acme, "C002"));
        Assert.Equal(["Opened"], (await ReadAsync(Store.ReadHistoryAsync(Acme, Key("K1")))).Select(h => h.Kind));
        Assert.Empty(await ReadAsync(Store.ReadHistoryAsync(Acme, Key("K2"))));
        Assert.Equal(OutboxStatus.Pending, (await Store.GetOutboxMessageAsync(Acme, "m1"))!.Status);
        Assert.Null(await Store.GetOutboxMessageAsync(Acme, "m2"));
        Assert.Equal(OperatorTaskStatus.Open, (await Store.GetTaskAsync(Acme, "t1"))!.Status);
        Assert.Null(await Store.GetTaskAsync(Acme, "t2"));
        Assert.Empty(await ReadAsync(Store.ReadOperatorsAsync(Acme)));
        Assert.Equal("c-1", await Store.GetCursorAsync(Acme, "mexal"));
        Assert.Null(await Store.GetCursorAsync(Acme, "other"));

        // The store stays usable: the same change set, with the right version, commits.
        stale.Cases[1] = new CaseWrite(Case(Acme, "K1", status: CaseStatus.Closed, version: 2), 1);
        await Store.CommitAsync(stale);
        Assert.Equal(2, (await Store.GetCaseAsync(Acme, Key("K1")))!.Version);
        Assert.Equal(1, (await Store.GetCaseAsync(Acme, Key("K2")))!.Version);
        Assert.Equal("c-2", await Store.GetCursorAsync(Acme, "mexal"));
    }

    [Fact]
    public async Task Creating_a_case_twice_with_expected_version_0_conflicts()
    {
        await CommitAsync(Acme, c => c.Cases.Add(new CaseWrite(Case(Acme, "K1", customer: "C001"), 0)));

        var second = new RecoveryChangeSet(Acme);
        second.Cases.Add(new CaseWrite(Case(Acme, "K1", customer: "C002"), 0));
        second.History.Add(Event(Acme, "K1", 1, "Opened"));
        second.Outbox.Add(Outbox(Acme, "m1"));
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.CommitAsync(second).AsTask());

        Assert.Equal(Acme, conflict.Company);
        Assert.Equal(Key("K1"), conflict.Key);
        Assert.Equal(0, conflict.ExpectedVersion);
        Assert.Equal(1, conflict.ActualVersion);
        Assert.Equal("C001", (await Store.GetCaseAsync(Acme, Key("K1")))!.CustomerCode);
        Assert.Empty(await ReadAsync(Store.ReadHistoryAsync(Acme, Key("K1"))));
        Assert.Null(await Store.GetOutboxMessageAsync(Acme, "m1"));
    }

    [Fact]
    public async Task A_case_write_is_checked_against_the_stored_version()
    {
        await CommitAsync(Acme, c => c.Cases.Add(new CaseWrite(Case(Acme, "K1"), 0)));
        await CommitAsync(Acme, c => c.Cases.Add(new CaseWrite(Case(Acme, "K1", status: CaseStatus.Promised, version: 2), 1)));
        var stored = (await Store.GetCaseAsync(Acme, Key("K1")))!;
        Assert.Equal(2, stored.Version);
        Assert.Equal(CaseStatus.Promised, stored.Status);

        // Read at version 1 by a writer that lost the race.
        var late = await ExpectConflictAsync(Acme, c => c.Cases.Add(new CaseWrite(Case(Acme, "K1", status: CaseStatus.Closed, version: 2), 1)));
        Assert.Equal((1L, 2L), (late.ExpectedVersion, late.ActualVersion));

        // Ahead of the store.
        var ahead = await ExpectConflictAsync(Acme, c =>
        {
            c.Cases.Add(new CaseWrite(Case(Acme, "K1", version: 6), 5));
            c.History.Add(Event(Acme, "K1", 6));
        });
        Assert.Equal((5L, 2L), (ahead.ExpectedVersion, ahead.ActualVersion));
        Assert.Empty(await ReadAsync(Store.ReadHistoryAsync(Acme, Key("K1"))));

        // Expecting a case that does not exist.
        var missing = await ExpectConflictAsync(Acme, c => c.Cases.Add(new CaseWrite(Case(Acme, "K2", version: 4), 3)));
        Assert.Equal(Key("K2"), missing.Key);
        Assert.Equal((3L, 0L), (missing.ExpectedVersion, missing.ActualVersion));

        // The same key in another company is another case: version 0 there.
        var otherCompany = await ExpectConflictAsync(Beta, c => c.Cases.Add(new CaseWrite(Case(Beta, "K1", version: 3), 2)));
        Assert.Equal((2L, 0L), (otherCompany.ExpectedVersion, otherCompany.ActualVersion));

        DeepAssert.Equal(Case(Acme, "K1", status: CaseStatus.Promised, version: 2), (await Store.GetCaseAsync(Acme, Key("K1")))!);
        Assert.Null(await Store.GetCaseAsync(Acme, Key("K2")));
        Assert.Null(await Store.GetCaseAsync(Beta, Key("K1")));
    }

    [Fact]
    public async Task A_case_version_other_than_expected_plus_one_is_refused_and_nothing_applied()
    {
        await ExpectConflictAsync(Acme, c =>
        {
            c.Customers.Add(Customer(Acme, "C001"));
            c.Cases.Add(new CaseWrite(Case(Acme, "K1", version: 5), 0));
            c.History.Add(Event(Acme, "K1", 5));
        });
        await ExpectConflictAsync(Acme, c => c.Cases.Add(new CaseWrite(Case(Acme, "K1", version: 0), 0)));
        AssertNothing(await DumpAsync(Acme));

        await CommitAsync(Acme, c => c.Cases.Add(new CaseWrite(Case(Acme, "K1", version: 1), 0)));
        await ExpectConflictAsync(Acme, c => c.Cases.Add(new CaseWrite(Case(Acme, "K1", version: 1), 1)));
        await ExpectConflictAsync(Acme, c => c.Cases.Add(new CaseWrite(Case(Acme, "K1", version: 3), 1)));
        Assert.Equal(1, (await Store.GetCaseAsync(Acme, Key("K1")))!.Version);
    }

    [Fact]
    public async Task Two_writes_of_one_case_in_a_change_set_chain_their_versions()
    {
        await CommitAsync(Acme, c =>
        {
            c.Cases.Add(new CaseWrite(Case(Acme, "K2", version: 1), 0));
            c.Cases.Add(new CaseWrite(Case(Acme, "K1", version: 1), 0));
            c.Cases.Add(new CaseWrite(Case(Acme, "K1", status: CaseStatus.Closed, version: 2), 1));
        });
        var stored = (await Store.GetCaseAsync(Acme, Key("K1")))!;
        Assert.Equal((2L, CaseStatus.Closed), (stored.Version, stored.Status));
        Assert.Equal(1, (await Store.GetCaseAsync(Acme, Key("K2")))!.Version);

        // The second write of a pair must expect what the first produces, not what is stored.
        await ExpectConflictAsync(Acme, c =>
        {
            c.Cases.Add(new CaseWrite(Case(Acme, "K1", version: 3), 2));
            c.Cases.Add(new CaseWrite(Case(Acme, "K1", version: 3), 2));
        });
        Assert.Equal(2, (await Store.GetCaseAsync(Acme, Key("K1")))!.Version);
    }

    [Fact]
    public async Task A_cancelled_commit_applies_nothing()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var changes = Everything(Acme);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.CommitAsync(changes, cancelled.Token).AsTask());

        AssertNothing(await DumpAsync(Acme));
        Assert.Empty(await ReadAsync(Store.ReadOperatorsAsync(Acme)));

        // Nothing half-done blocks the next commit.
        await Store.CommitAsync(changes);
        Assert.Equal(1, (await Store.GetCaseAsync(Acme, Key("K1")))!.Version);
    }

    [Fact]
    public async Task Reads_never_cross_companies()
    {
        await Store.CommitAsync(Everything(Acme));
        await Store.CommitAsync(Everything(Beta, "beta-"));

        var acme = await DumpAsync(Acme);
        var beta = await DumpAsync(Beta);
        AssertOnly(Acme, acme);
        AssertOnly(Beta, beta);
        Assert.Equal(["C001"], acme.Customers.Select(c => c.Code));
        Assert.Equal(["K1"], acme.Cases.Select(c => c.Key.Value));
        Assert.Equal(2, acme.History.Count);
        Assert.Equal(["mexal=2025-03-14T09:00:00Z#42 àè"], acme.Cursors);
        Assert.Equal(["mexal=beta-2025-03-14T09:00:00Z#42 àè"], beta.Cursors);
        Assert.Equal(["Beta-only"], beta.Customers.Select(c => c.Name).Distinct());

        Assert.Equal(Acme, (await Store.GetCaseAsync(Acme, Key("K1")))!.Company);
        Assert.Equal(Beta, (await Store.GetCaseAsync(Beta, Key("K1")))!.Company);
        Assert.Equal(Acme, (await Store.GetCustomerAsync(Acme, "C001"))!.Company);
        Assert.Equal(Beta, (await Store.GetOutboxMessageAsync(Beta, "m1"))!.Company);
        Assert.Equal(Beta, (await Store.GetTaskAsync(Beta, "t1"))!.Company);

        // The same key in two companies is two cases, each with its own version.
        await CommitAsync(Beta, c => c.Cases.Add(new CaseWrite(Case(Beta, "K1", version: 2), 1)));
        Assert.Equal(1, (await Store.GetCaseAsync(Acme, Key("K1")))!.Version);
        Assert.Equal(2, (await Store.GetCaseAsync(Beta, Key("K1")))!.Version);

        // A company nobody wrote sees nothing at all, operators included.
        AssertNothing(await DumpAsync(Gamma));
        Assert.Null(await Store.GetCaseAsync(Gamma, Key("K1")));
        Assert.Null(await Store.GetCustomerAsync(Gamma, "C001"));
        Assert.Null(await Store.GetOutboxMessageAsync(Gamma, "m1"));
        Assert.Null(await Store.GetTaskAsync(Gamma, "t1"));
        Assert.Null(await Store.GetCursorAsync(Gamma, "mexal"));

        // Company codes are compared exactly.
        AssertNothing(await DumpAsync(new CompanyId("acme")));
        AssertNothing(await DumpAsync(new CompanyId("ACME ")));
    }

    [Theory]
    [InlineData("customer")]
    [InlineData("case")]
    [InlineData("history")]
    [InlineData("outbox")]
    [InlineData("task")]
    [InlineData("activity")]
    [InlineData("agenda")]
    [InlineData("operator")]
    [InlineData("assignment")]
    [InlineData("procedure assignment")]
    [InlineData("quarantine")]
    [InlineData("cursor")]
    public async Task A_row_of_another_company_is_rejected_and_nothing_is_applied(string kind)
    {
        var changes = Everything(Acme);
        switch (kind)
        {
            case "customer": changes.Customers.Add(Customer(Beta, "C002")); break;
            case "case": changes.Cases.Add(new CaseWrite(Case(Beta, "K2"), 0)); break;
            case "history": changes.History.Add(Event(Beta, "K1", 1)); break;
            case "outbox": changes.Outbox.Add(Outbox(Beta, "m2")); break;
            case "task": changes.Tasks.Add(Task(Beta, "t2")); break;
            case "activity": changes.Activities.Add(Activity(Beta, "a2")); break;
            case "agenda": changes.Agenda.Add(Agenda(Beta, "g2", Op1, Today)); break;
            case "operator": changes.Operators.Add(Operator("op9", Beta)); break;
            case "assignment": changes.Assignments.Add(Assignment(Beta, "C002")); break;
            case "procedure assignment": changes.ProcedureAssignments.Add(ProcedureAssignment(Beta, ProcedureScope.Customer, "C002")); break;
            case "quarantine": changes.Quarantine.Add(Quarantined(Beta, "scad/9")); break;
            case "cursor": changes.Cursors.Add(Cursor(Beta, "other", "x")); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown row kind");
        }

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CommitAsync(changes).AsTask());

        AssertNothing(await DumpAsync(Acme));
        AssertNothing(await DumpAsync(Beta));
        Assert.Empty(await ReadAsync(Store.ReadOperatorsAsync(Acme)));
        Assert.Empty(await ReadAsync(Store.ReadOperatorsAsync(Beta)));
    }

    /// <summary>Every row needs its identity: a change set with no company, or a row with an empty id, is refused whole.</summary>
    [Theory]
    [InlineData("no company")]
    [InlineData("null row")]
    [InlineData("customer code")]
    [InlineData("case key")]
    [InlineData("case customer")]
    [InlineData("outbox id")]
    [InlineData("task id")]
    [InlineData("activity id")]
    [InlineData("agenda id")]
    [InlineData("agenda owner")]
    [InlineData("operator id")]
    [InlineData("operator companies")]
    [InlineData("assignment customer")]
    [InlineData("procedure scope key")]
    [InlineData("quarantine source")]
    [InlineData("cursor source")]
    [InlineData("cursor value")]
    public virtual async Task A_row_without_its_identity_is_rejected_and_nothing_is_applied(string kind)
    {
        var company = kind == "no company" ? new CompanyId(string.Empty) : Acme;
        var changes = kind == "no company" ? new RecoveryChangeSet(company) : Everything(Acme);
        switch (kind)
        {
            case "no company": changes.Cursors.Add(Cursor(company, "mexal", "1")); break;
            case "null row": changes.Customers.Add(null!); break;
            case "customer code": changes.Customers.Add(Customer(Acme, string.Empty)); break;
            case "case key": changes.Cases.Add(new CaseWrite(Case(Acme, string.Empty), 0)); break;
            case "case customer": changes.Cases.Add(new CaseWrite(Case(Acme, "K2", customer: string.Empty), 0)); break;
            case "outbox id": changes.Outbox.Add(Outbox(Acme, string.Empty)); break;
            case "task id": changes.Tasks.Add(Task(Acme, string.Empty)); break;
            case "activity id": changes.Activities.Add(Activity(Acme, string.Empty)); break;
            case "agenda id": changes.Agenda.Add(Agenda(Acme, string.Empty, Op1, Today)); break;
            case "agenda owner": changes.Agenda.Add(Agenda(Acme, "g2", new OperatorId(string.Empty), Today)); break;
            case "operator id": changes.Operators.Add(Operator(string.Empty, Acme)); break;
            case "operator companies": changes.Operators.Add(Operator("op9") with { Companies = null! }); break;
            case "assignment customer": changes.Assignments.Add(Assignment(Acme, string.Empty)); break;
            case "procedure scope key": changes.ProcedureAssignments.Add(ProcedureAssignment(Acme, ProcedureScope.Company, null!)); break;
            case "quarantine source": changes.Quarantine.Add(Quarantined(Acme, "scad/2", source: string.Empty)); break;
            case "cursor source": changes.Cursors.Add(Cursor(Acme, string.Empty, "1")); break;
            case "cursor value": changes.Cursors.Add(Cursor(Acme, "other", null!)); break;
            default: throw new ArgumentOutOfRangeException(nameof(kind), kind, "unknown row kind");
        }

        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.CommitAsync(changes).AsTask());

        AssertNothing(await DumpAsync(Acme));
        AssertNothing(await DumpAsync(company));
        Assert.Null(await Store.GetCustomerAsync(Acme, string.Empty));
        Assert.Null(await Store.GetCursorAsync(Acme, string.Empty));
    }

    [Fact]
    public async Task Concurrent_writers_of_one_case_exactly_one_wins()
    {
        const int writers = 8;
        using var start = new ManualResetEventSlim();
        var attempts = Enumerable.Range(0, writers).Select(i => System.Threading.Tasks.Task.Run(async () =>
        {
            start.Wait();
            var changes = new RecoveryChangeSet(Acme);
            changes.Cases.Add(new CaseWrite(Case(Acme, "K1", customer: "W" + i), 0));
            changes.History.Add(Event(Acme, "K1", 1, "Opened by " + i));
            changes.Outbox.Add(Outbox(Acme, "m-" + i));
            try
            {
                await Store.CommitAsync(changes);
                return true;
            }
            catch (ConcurrencyConflictException)
            {
                return false;
            }
        })).ToList();
        start.Set();
        var won = await System.Threading.Tasks.Task.WhenAll(attempts);

        var winner = Assert.Single(Enumerable.Range(0, writers), i => won[i]);
        Assert.Equal("W" + winner, (await Store.GetCaseAsync(Acme, Key("K1")))!.CustomerCode);
        Assert.Equal(["Opened by " + winner], (await ReadAsync(Store.ReadHistoryAsync(Acme, Key("K1")))).Select(h => h.Kind));
        Assert.Equal(["m-" + winner], (await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Pending))).Select(m => m.Id));
    }

    [Fact]
    public async Task Every_field_survives_a_round_trip()
    {
        var changes = Everything(Acme);
        changes.Cases.Add(new CaseWrite(MinimalCase(Acme, "K2", "C002"), 0));
        changes.Cases.Add(new CaseWrite(Case(Acme, "K3", status: CaseStatus.Closed), 0));
        changes.Cases.Add(new CaseWrite(PreciseCase(Acme, "K4"), 0));
        var bare = new Customer { Company = Acme, Code = "C002", Name = "Bare" };
        changes.Customers.Add(bare);
        var bareTask = new OperatorTask
        {
            Id = "t-bare",
            Company = Acme,
            CustomerCode = "C002",
            Kind = OperatorTaskKind.FollowUp,
            Title = "t",
            DueOn = Today,
            Installments = [],
            Why = "w",
            CreatedAt = T0,
        };
        changes.Tasks.Add(bareTask);
        var bareMessage = Outbox(Acme, "m-bare", T0 + Duration.FromSeconds(1)) with
        {
            Cc = [],
            Lines = [],
            Attempts = 0,
            LastError = null,
            SentAt = null,
            ProviderMessageId = null,
        };
        changes.Outbox.Add(bareMessage);
        var bareAgenda = new AgendaEntry { Id = "g-bare", Company = Acme, Owner = Op2, Title = "t", Date = Today };
        changes.Agenda.Add(bareAgenda);
        var bareActivity = new Activity { Id = "a-bare", Company = Acme, CustomerCode = "C002", Kind = ActivityKind.Note, At = T0, By = Op2 };
        changes.Activities.Add(bareActivity);
        var bareOperator = new Operator { Id = Op2, Name = "Bare", Companies = new HashSet<CompanyId> { Acme } };
        changes.Operators.Add(bareOperator);
        await Store.CommitAsync(changes);

        DeepAssert.Equal(Customer(Acme, "C001"), (await Store.GetCustomerAsync(Acme, "C001"))!);
        DeepAssert.Equal(bare, (await Store.GetCustomerAsync(Acme, "C002"))!);
        DeepAssert.SequenceEqual([Customer(Acme, "C001"), bare], await ReadAsync(Store.ReadCustomersAsync(Acme)));
        DeepAssert.Equal(Case(Acme, "K1", nextAction: Today), (await Store.GetCaseAsync(Acme, Key("K1")))!);
        DeepAssert.Equal(MinimalCase(Acme, "K2", "C002"), (await Store.GetCaseAsync(Acme, Key("K2")))!);
        DeepAssert.Equal(Case(Acme, "K3", status: CaseStatus.Closed), (await Store.GetCaseAsync(Acme, Key("K3")))!);
        var installment = (await Store.GetCaseAsync(Acme, Key("K1")))!.Installment;
        Assert.Equal("12.50", installment.OriginalAmount.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("12.500", installment.OpenResidual.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("1220.00", installment.Document.Total!.Value.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var precise = (await Store.GetCaseAsync(Acme, Key("K4")))!;
        DeepAssert.Equal(PreciseCase(Acme, "K4"), precise);
        Assert.Equal(PreciseAmount, precise.Installment.OpenResidual.Amount);
        Assert.Equal("123456789012345678.0123456789", precise.Installment.OpenResidual.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A record whose lists are swapped for the read ones is Equals: nothing else differs (a check on DeepAssert too).
        var read = (await Store.GetCaseAsync(Acme, Key("K1")))!;
        var original = Case(Acme, "K1", nextAction: Today);
        Assert.Equal(original with { Steps = read.Steps, Arrangement = original.Arrangement! with { Payments = read.Arrangement!.Payments } }, read);
        DeepAssert.SequenceEqual(changes.Cases.Select(w => w.Case).OrderBy(c => c.CustomerCode, StringComparer.Ordinal).ThenBy(c => c.Key.Value, StringComparer.Ordinal), await ReadAsync(Store.ReadCasesAsync(Acme, CaseFilter.All)));

        DeepAssert.SequenceEqual(changes.History, await ReadAsync(Store.ReadHistoryAsync(Acme, Key("K1"))));
        DeepAssert.SequenceEqual([changes.Outbox[0], bareMessage], await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Pending)));
        DeepAssert.Equal(bareMessage, (await Store.GetOutboxMessageAsync(Acme, "m-bare"))!);
        DeepAssert.Equal(changes.Tasks[0], (await Store.GetTaskAsync(Acme, "t1"))!);
        DeepAssert.Equal(bareTask, (await Store.GetTaskAsync(Acme, "t-bare"))!);
        DeepAssert.SequenceEqual([changes.Tasks[0]], await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter { AssignedTo = [Op1] })));
        DeepAssert.SequenceEqual([changes.Activities[0]], await ReadAsync(Store.ReadActivitiesAsync(Acme, "C001")));
        DeepAssert.SequenceEqual([bareActivity], await ReadAsync(Store.ReadActivitiesAsync(Acme, "C002")));
        DeepAssert.SequenceEqual([changes.Agenda[0]], await ReadAsync(Store.ReadAgendaAsync(Acme, [Op1], Today)));
        DeepAssert.SequenceEqual([bareAgenda], await ReadAsync(Store.ReadAgendaAsync(Acme, [Op2], Today)));
        DeepAssert.SequenceEqual([changes.Operators[0], bareOperator], (await ReadAsync(Store.ReadOperatorsAsync(Acme))).OrderBy(o => o.Id.Value, StringComparer.Ordinal));
        DeepAssert.SequenceEqual(changes.Assignments, await ReadAsync(Store.ReadAssignmentsAsync(Acme)));
        DeepAssert.SequenceEqual(
            changes.ProcedureAssignments.OrderBy(p => p.ScopeKey, StringComparer.Ordinal),
            (await ReadAsync(Store.ReadProcedureAssignmentsAsync(Acme))).OrderBy(p => p.ScopeKey, StringComparer.Ordinal));
        DeepAssert.SequenceEqual(changes.Quarantine, await ReadAsync(Store.ReadQuarantineAsync(Acme)));
        Assert.Equal("2025-03-14T09:00:00Z#42 àè", await Store.GetCursorAsync(Acme, "mexal"));

        // Positional records without lists are plain Equals.
        var procedures = await ReadAsync(Store.ReadProcedureAssignmentsAsync(Acme));
        Assert.Equal(changes.ProcedureAssignments[0], procedures.Single(p => p.Scope == ProcedureScope.Customer));
        Assert.Equal(changes.ProcedureAssignments[1], procedures.Single(p => p.Scope == ProcedureScope.Company));
        Assert.Equal(changes.Quarantine[0], Assert.Single(await ReadAsync(Store.ReadQuarantineAsync(Acme))));
    }

    [Fact]
    public async Task A_commit_may_run_while_a_read_stream_is_open()
    {
        // More rows than a reader would fetch in one go, so the stream is still open on the database while committing.
        var keys = Enumerable.Range(0, 50).Select(i => $"K{i:D3}").ToList();
        await CommitAsync(Acme, c =>
        {
            foreach (var key in keys)
            {
                c.Cases.Add(new CaseWrite(Case(Acme, key, nextAction: Today), 0));
                c.Outbox.Add(Outbox(Acme, "m-" + key));
            }
        });

        var seen = new List<string>();
        await foreach (var open in Store.ReadCasesAsync(Acme, new CaseFilter { OpenOnly = true, NextActionOnOrBefore = Today }))
        {
            seen.Add(open.Key.Value);
            await CommitAsync(Acme, c =>
            {
                c.Cases.Add(new CaseWrite(open with { Status = CaseStatus.Closed, NextActionDate = null, Version = open.Version + 1 }, open.Version));
                c.History.Add(Event(Acme, open.Key.Value, open.Version + 1, "LedgerPaid"));
            });
        }

        await foreach (var pending in Store.ReadOutboxAsync(Acme, OutboxStatus.Pending))
        {
            await CommitAsync(Acme, c => c.Outbox.Add(pending with { Status = OutboxStatus.Sent }));
        }

        Assert.Equal(keys, seen);
        Assert.Empty(await ReadAsync(Store.ReadCasesAsync(Acme, CaseFilter.Open)));
        Assert.Empty(await ReadAsync(Store.ReadCasesAsync(Acme, new CaseFilter { NextActionOnOrBefore = Today })));
        Assert.All(await ReadAsync(Store.ReadCasesAsync(Acme, CaseFilter.All)), c => Assert.Equal(2, c.Version));
        foreach (var key in keys)
        {
            Assert.Equal(["LedgerPaid"], (await ReadAsync(Store.ReadHistoryAsync(Acme, Key(key)))).Select(h => h.Kind));
        }

        Assert.Empty(await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Pending)));
        Assert.Equal(keys.Count, (await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Sent))).Count);
    }

    [Fact]
    public async Task An_empty_change_set_writes_nothing()
    {
        await Store.CommitAsync(new RecoveryChangeSet(Acme));
        AssertNothing(await DumpAsync(Acme));
    }

    [Fact]
    public async Task Read_streams_honour_cancellation()
    {
        await CommitAsync(Acme, c =>
        {
            c.Cases.Add(new CaseWrite(Case(Acme, "K1", nextAction: Today), 0));
            c.Cases.Add(new CaseWrite(Case(Acme, "K2", nextAction: Today), 0));
        });

        using var cancellation = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in Store.ReadCasesAsync(Acme, CaseFilter.All).WithCancellation(cancellation.Token))
            {
                await cancellation.CancelAsync();
            }
        });

        // The store (and its connection, where it has one) is usable afterwards.
        Assert.Equal(2, (await ReadAsync(Store.ReadCasesAsync(Acme, CaseFilter.All))).Count);
    }

    /// <summary>Key and code lists far longer than any database's limit on parameters.</summary>
    [Fact]
    public async Task Large_key_lists_are_not_limited_by_parameters()
    {
        await CommitAsync(Acme, c =>
        {
            for (var i = 0; i < 1500; i++)
            {
                c.Cases.Add(new CaseWrite(Case(Acme, $"K{i:D5}", $"C{i % 7}", Today), 0));
            }
        });

        var keys = Enumerable.Range(0, 40_000).Select(i => Key($"K{i * 2:D5}")).ToList();
        var read = await ReadAsync(Store.ReadCasesAsync(Acme, new CaseFilter { Keys = keys }));
        Assert.Equal(750, read.Count);
        Assert.All(read, c => Assert.True(int.Parse(c.Key.Value[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0));

        var codes = Enumerable.Range(0, 20_000).Select(i => $"X{i}").Append("C3").ToList();
        Assert.Equal(1500 / 7 + (1500 % 7 > 3 ? 1 : 0), (await ReadAsync(Store.ReadCasesAsync(Acme, new CaseFilter { CustomerCodes = codes }))).Count);
        Assert.Empty(await ReadAsync(Store.ReadCustomersAsync(Acme, codes)));
    }

    /// <summary>A change set larger than a store would send in one batch is still applied whole, or not at all.</summary>
    [Fact]
    public async Task A_large_change_set_is_applied_whole_or_not_at_all()
    {
        const int Count = 1200;
        var keys = Enumerable.Range(0, Count).Select(i => $"K{i:D5}").ToList();
        await CommitAsync(Acme, c =>
        {
            for (var i = 0; i < Count; i++)
            {
                c.Cases.Add(new CaseWrite(Case(Acme, keys[i], nextAction: Today), 0));
                c.History.Add(Event(Acme, keys[i], 1, "Opened"));
                c.Outbox.Add(Outbox(Acme, $"m{i:D5}", T0 + Duration.FromTicks(i)));
            }
        });
        Assert.Equal(Count, (await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Pending))).Count);
        Assert.Equal(Count, (await ReadAsync(Store.ReadCasesAsync(Acme, CaseFilter.All))).Count);

        // A conflict on the last case undoes everything before it.
        await ExpectConflictAsync(Acme, c =>
        {
            for (var i = 0; i < Count; i++)
            {
                c.Outbox.Add(Outbox(Acme, $"n{i:D5}"));
                c.Cases.Add(new CaseWrite(Case(Acme, keys[i], nextAction: Today, version: 2), i == Count - 1 ? 5 : 1));
            }
        });
        Assert.Equal(Count, (await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Pending))).Count);
        Assert.All(await ReadAsync(Store.ReadCasesAsync(Acme, CaseFilter.All)), c => Assert.Equal(1, c.Version));
        foreach (var key in keys)
        {
            Assert.Equal(["Opened"], (await ReadAsync(Store.ReadHistoryAsync(Acme, Key(key)))).Select(h => h.Kind));
        }
    }

    /// <summary>Reads a whole stream.</summary>
    protected static async Task<List<T>> ReadAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Commits one change set built by <paramref name="build"/>.</summary>
    protected async Task CommitAsync(CompanyId company, Action<RecoveryChangeSet> build)
    {
        var changes = new RecoveryChangeSet(company);
        build(changes);
        await Store.CommitAsync(changes);
    }

    /// <summary>Commits a change set that must conflict, and returns the conflict.</summary>
    protected async Task<ConcurrencyConflictException> ExpectConflictAsync(CompanyId company, Action<RecoveryChangeSet> build)
    {
        var changes = new RecoveryChangeSet(company);
        build(changes);
        return await Assert.ThrowsAsync<ConcurrencyConflictException>(() => Store.CommitAsync(changes).AsTask());
    }

    /// <summary>Everything the port lets a company read, for the keys, customers and sources the tests use.</summary>
    protected async Task<StoreContents> DumpAsync(CompanyId company)
    {
        var history = new List<HistoryEvent>();
        foreach (var key in KnownKeys)
        {
            history.AddRange(await ReadAsync(Store.ReadHistoryAsync(company, Key(key))));
        }

        var outbox = new List<OutboxMessage>();
        foreach (var status in Enum.GetValues<OutboxStatus>())
        {
            outbox.AddRange(await ReadAsync(Store.ReadOutboxAsync(company, status)));
        }

        var activities = new List<Activity>();
        foreach (var customer in KnownCustomers)
        {
            activities.AddRange(await ReadAsync(Store.ReadActivitiesAsync(company, customer)));
        }

        var cursors = new List<string>();
        foreach (var source in KnownSources)
        {
            if (await Store.GetCursorAsync(company, source) is { } cursor)
            {
                cursors.Add(source + "=" + cursor);
            }
        }

        return new StoreContents(
            await ReadAsync(Store.ReadCustomersAsync(company)),
            await ReadAsync(Store.ReadCasesAsync(company, CaseFilter.All)),
            history,
            outbox,
            await ReadAsync(Store.ReadTasksAsync(company, new TaskFilter())),
            activities,
            await ReadAsync(Store.ReadAgendaAsync(company, null, LocalDate.MaxIsoValue)),
            (await ReadAsync(Store.ReadOperatorsAsync(company))).OrderBy(o => o.Id.Value, StringComparer.Ordinal).ToList(),
            await ReadAsync(Store.ReadAssignmentsAsync(company)),
            (await ReadAsync(Store.ReadProcedureAssignmentsAsync(company))).OrderBy(p => p.Scope).ThenBy(p => p.ScopeKey, StringComparer.Ordinal).ThenBy(p => p.Purpose).ToList(),
            await ReadAsync(Store.ReadQuarantineAsync(company)),
            cursors);
    }

    private static void AssertNothing(StoreContents contents)
    {
        Assert.Empty(contents.Customers);
        Assert.Empty(contents.Cases);
        Assert.Empty(contents.History);
        Assert.Empty(contents.Outbox);
        Assert.Empty(contents.Tasks);
        Assert.Empty(contents.Activities);
        Assert.Empty(contents.Agenda);
        Assert.Empty(contents.Operators);
        Assert.Empty(contents.Assignments);
        Assert.Empty(contents.ProcedureAssignments);
        Assert.Empty(contents.Quarantine);
        Assert.Empty(contents.Cursors);
    }

    private static void AssertOnly(CompanyId company, StoreContents contents)
    {
        Assert.All(contents.Customers, r => Assert.Equal(company, r.Company));
        Assert.All(contents.Cases, r => Assert.Equal(company, r.Company));
        Assert.All(contents.Cases, r => Assert.Equal(company, r.Installment.Company));
        Assert.All(contents.History, r => Assert.Equal(company, r.Company));
        Assert.All(contents.Outbox, r => Assert.Equal(company, r.Company));
        Assert.All(contents.Tasks, r => Assert.Equal(company, r.Company));
        Assert.All(contents.Activities, r => Assert.Equal(company, r.Company));
        Assert.All(contents.Agenda, r => Assert.Equal(company, r.Company));
        Assert.All(contents.Operators, r => Assert.Contains(company, r.Companies));
        Assert.All(contents.Assignments, r => Assert.Equal(company, r.Company));
        Assert.All(contents.ProcedureAssignments, r => Assert.Equal(company, r.Company));
        Assert.All(contents.Quarantine, r => Assert.Equal(company, r.Company));
        Assert.Single(contents.Customers);
        Assert.Single(contents.Cases);
        Assert.Single(contents.Outbox);
        Assert.Single(contents.Tasks);
        Assert.Single(contents.Activities);
        Assert.Single(contents.Agenda);
        Assert.Single(contents.Operators);
        Assert.Single(contents.Assignments);
        Assert.Equal(2, contents.ProcedureAssignments.Count);
        Assert.Single(contents.Quarantine);
    }
}

/// <summary>Everything a company can read from a store (see <see cref="RecoveryStoreContractTests"/>).</summary>
public sealed record StoreContents(
    List<Customer> Customers,
    List<RecoveryCase> Cases,
    List<HistoryEvent> History,
    List<OutboxMessage> Outbox,
    List<OperatorTask> Tasks,
    List<Activity> Activities,
    List<AgendaEntry> Agenda,
    List<Operator> Operators,
    List<CustomerAssignment> Assignments,
    List<ProcedureAssignment> ProcedureAssignments,
    List<QuarantinedRecord> Quarantine,
    List<string> Cursors);
