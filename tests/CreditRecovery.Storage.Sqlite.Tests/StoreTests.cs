using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using Microsoft.Data.Sqlite;
using NodaTime;
using static CreditRecovery.Storage.Sqlite.Tests.Samples;

namespace CreditRecovery.Storage.Sqlite.Tests;

public sealed class StoreTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private SqliteRecoveryStore _store = null!;

    public Task InitializeAsync()
    {
        _store = _db.Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    private static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    private static RecoveryChangeSet Everything(CompanyId company)
    {
        var changes = new RecoveryChangeSet(company);
        changes.Customers.Add(Customer(company, "C001"));
        changes.Cases.Add(new CaseWrite(Case(company, "K1", "C001", Today), 0));
        changes.History.Add(History(company, "K1", 1, "Opened"));
        changes.History.Add(History(company, "K1", 1, "StepExecuted"));
        changes.Outbox.Add(Outbox(company, "m1", T0));
        changes.Tasks.Add(TaskItem(company, "t1", Today, new OperatorId("op1")));
        changes.Activities.Add(Activity(company, "a1", "C001", T0));
        changes.Agenda.Add(Agenda(company, "g1", new OperatorId("op1"), Today));
        changes.Operators.Add(Operator("op1", company));
        changes.Assignments.Add(Assignment(company, "C001"));
        changes.ProcedureAssignments.Add(ProcedureAssignment(company, ProcedureScope.Customer, "C001"));
        changes.ProcedureAssignments.Add(ProcedureAssignment(company, ProcedureScope.Company, string.Empty));
        changes.Quarantine.Add(Quarantined(company, "scad/1"));
        changes.Cursors.Add(new Ledger.SyncCursor(company, "mexal", "2025-03-14T09:00:00Z#42"));
        return changes;
    }

    [Fact]
    public async Task Every_record_type_round_trips()
    {
        var changes = Everything(Acme);
        await _store.CommitAsync(changes);

        DeepAssert.Equal(changes.Customers[0], await _store.GetCustomerAsync(Acme, "C001"));
        DeepAssert.Equal(changes.Customers, await Collect(_store.ReadCustomersAsync(Acme)));
        DeepAssert.Equal(changes.Cases[0].Case, await _store.GetCaseAsync(Acme, new InstallmentKey("K1")));
        DeepAssert.Equal([changes.Cases[0].Case], await Collect(_store.ReadCasesAsync(Acme, CaseFilter.All)));
        DeepAssert.Equal(changes.History, await Collect(_store.ReadHistoryAsync(Acme, new InstallmentKey("K1"))));
        DeepAssert.Equal(changes.Outbox, await Collect(_store.ReadOutboxAsync(Acme, OutboxStatus.Pending)));
        DeepAssert.Equal(changes.Outbox[0], await _store.GetOutboxMessageAsync(Acme, "m1"));
        DeepAssert.Equal(changes.Tasks, await Collect(_store.ReadTasksAsync(Acme, new TaskFilter())));
        DeepAssert.Equal(changes.Tasks[0], await _store.GetTaskAsync(Acme, "t1"));
        DeepAssert.Equal(changes.Activities, await Collect(_store.ReadActivitiesAsync(Acme, "C001")));
        DeepAssert.Equal(changes.Agenda, await Collect(_store.ReadAgendaAsync(Acme, null, Today)));
        DeepAssert.Equal(changes.Operators, await Collect(_store.ReadOperatorsAsync(Acme)));
        DeepAssert.Equal(changes.Assignments, await Collect(_store.ReadAssignmentsAsync(Acme)));
        DeepAssert.Equal(
            changes.ProcedureAssignments.OrderBy(a => a.Scope.ToString(), StringComparer.Ordinal).ToList(),
            await Collect(_store.ReadProcedureAssignmentsAsync(Acme)));
        DeepAssert.Equal(changes.Quarantine, await Collect(_store.ReadQuarantineAsync(Acme)));
        Assert.Equal("2025-03-14T09:00:00Z#42", await _store.GetCursorAsync(Acme, "mexal"));

        // Positional records without lists are plain Equals.
        Assert.Equal(changes.ProcedureAssignments[0], (await Collect(_store.ReadProcedureAssignmentsAsync(Acme))).Single(a => a.Scope == ProcedureScope.Customer));
        Assert.Equal(changes.Quarantine[0], (await Collect(_store.ReadQuarantineAsync(Acme))).Single());

        // A record whose lists are swapped for the read ones is Equals: nothing else differs.
        var read = (await _store.GetCaseAsync(Acme, new InstallmentKey("K1")))!;
        var original = changes.Cases[0].Case;
        Assert.Equal(
            original with
            {
                Steps = read.Steps,
                Arrangement = original.Arrangement! with { Payments = read.Arrangement!.Payments },
            },
            read);
        Assert.Equal(123456789012345678.0123456789m, read.Installment.OpenResidual.Amount);
        Assert.Equal("610.50", read.Installment.OriginalAmount.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public async Task Missing_rows_read_as_null_or_empty()
    {
        Assert.Null(await _store.GetCaseAsync(Acme, new InstallmentKey("nope")));
        Assert.Null(await _store.GetCustomerAsync(Acme, "nope"));
        Assert.Null(await _store.GetOutboxMessageAsync(Acme, "nope"));
        Assert.Null(await _store.GetTaskAsync(Acme, "nope"));
        Assert.Null(await _store.GetCursorAsync(Acme, "nope"));
        Assert.Empty(await Collect(_store.ReadCasesAsync(Acme, CaseFilter.All)));
    }

    [Fact]
    public async Task Upserts_replace_by_identity_and_history_appends()
    {
        await _store.CommitAsync(Everything(Acme));

        var second = new RecoveryChangeSet(Acme);
        second.Customers.Add(Customer(Acme, "C001") with { Name = "Renamed" });
        second.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", null, CaseStatus.Closed, version: 2), 1));
        second.History.Add(History(Acme, "K1", 2, "LedgerPaid"));
        second.Outbox.Add(Outbox(Acme, "m1", T0, OutboxStatus.Sent));
        second.Tasks.Add(TaskItem(Acme, "t1", Today, null, status: OperatorTaskStatus.Done));
        second.Operators.Add(Operator("op1", Beta, Acme) with { Name = "Again" });
        second.Cursors.Add(new Ledger.SyncCursor(Acme, "mexal", "next"));
        second.Quarantine.Add(Quarantined(Acme, "scad/2"));
        await _store.CommitAsync(second);

        Assert.Equal("Renamed", (await _store.GetCustomerAsync(Acme, "C001"))!.Name);
        var closed = (await _store.GetCaseAsync(Acme, new InstallmentKey("K1")))!;
        Assert.Equal(2, closed.Version);
        Assert.Equal(CaseStatus.Closed, closed.Status);
        Assert.Empty(await Collect(_store.ReadCasesAsync(Acme, CaseFilter.Open)));
        Assert.Equal(["Opened", "StepExecuted", "LedgerPaid"], (await Collect(_store.ReadHistoryAsync(Acme, new InstallmentKey("K1")))).Select(h => h.Kind));
        Assert.Empty(await Collect(_store.ReadOutboxAsync(Acme, OutboxStatus.Pending)));
        Assert.Single(await Collect(_store.ReadOutboxAsync(Acme, OutboxStatus.Sent)));
        Assert.Empty(await Collect(_store.ReadTasksAsync(Acme, new TaskFilter { AssignedTo = [new OperatorId("op1")] })));
        Assert.Single(await Collect(_store.ReadTasksAsync(Acme, new TaskFilter { Status = OperatorTaskStatus.Done })));
        Assert.Equal("Again", Assert.Single(await Collect(_store.ReadOperatorsAsync(Beta))).Name);
        Assert.Single(await Collect(_store.ReadOperatorsAsync(Acme)));
        Assert.Equal("next", await _store.GetCursorAsync(Acme, "mexal"));
        Assert.Equal(["scad/1", "scad/2"], (await Collect(_store.ReadQuarantineAsync(Acme))).Select(q => q.Error.RecordKey));

        // An operator's companies are replaced, not merged.
        var third = new RecoveryChangeSet(Acme);
        third.Operators.Add(Operator("op1", Acme));
        await _store.CommitAsync(third);
        Assert.Empty(await Collect(_store.ReadOperatorsAsync(Beta)));
    }

    [Fact]
    public async Task History_is_append_only_in_the_database()
    {
        await _store.CommitAsync(Everything(Acme));
        using var connection = _db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM history;";
        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stale_version_applies_nothing()
    {
        await _store.CommitAsync(Everything(Acme));
        var historyBefore = _db.Scalar("SELECT count(*) FROM history;");
        var outboxBefore = _db.Scalar("SELECT count(*) FROM outbox;");

        var stale = new RecoveryChangeSet(Acme);
        stale.Customers.Add(Customer(Acme, "C999"));
        stale.Cases.Add(new CaseWrite(Case(Acme, "K2", "C001", Today), 0)); // fine on its own
        stale.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 1), 0)); // K1 is at version 1
        stale.History.Add(History(Acme, "K1", 1));
        stale.Outbox.Add(Outbox(Acme, "m2", T0));
        stale.Outbox.Add(Outbox(Acme, "m1", T0, OutboxStatus.Cancelled));
        stale.Tasks.Add(TaskItem(Acme, "t2", Today, null));
        stale.Cursors.Add(new Ledger.SyncCursor(Acme, "mexal", "changed"));

        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await _store.CommitAsync(stale));
        Assert.Equal(Acme, conflict.Company);
        Assert.Equal(new InstallmentKey("K1"), conflict.Key);
        Assert.Equal(0, conflict.ExpectedVersion);
        Assert.Equal(1, conflict.ActualVersion);

        Assert.Equal(historyBefore, _db.Scalar("SELECT count(*) FROM history;"));
        Assert.Equal(outboxBefore, _db.Scalar("SELECT count(*) FROM outbox;"));
        Assert.Equal(2, (await Collect(_store.ReadHistoryAsync(Acme, new InstallmentKey("K1")))).Count);
        Assert.Null(await _store.GetOutboxMessageAsync(Acme, "m2"));
        Assert.Equal(OutboxStatus.Pending, (await _store.GetOutboxMessageAsync(Acme, "m1"))!.Status);
        Assert.Null(await _store.GetCaseAsync(Acme, new InstallmentKey("K2")));
        Assert.Null(await _store.GetCustomerAsync(Acme, "C999"));
        Assert.Null(await _store.GetTaskAsync(Acme, "t2"));
        Assert.Equal("2025-03-14T09:00:00Z#42", await _store.GetCursorAsync(Acme, "mexal"));

        // The store stays usable after a conflict.
        var fresh = new RecoveryChangeSet(Acme);
        fresh.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 2), 1));
        await _store.CommitAsync(fresh);
        Assert.Equal(2, (await _store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.Version);
    }

    [Fact]
    public async Task Expecting_a_case_that_does_not_exist_conflicts()
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 4), 3));
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await _store.CommitAsync(changes));
        Assert.Equal(3, conflict.ExpectedVersion);
        Assert.Equal(0, conflict.ActualVersion);
    }

    [Fact]
    public async Task A_case_version_that_is_not_expected_plus_one_is_refused()
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 5), 0));
        changes.History.Add(History(Acme, "K1", 5));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await _store.CommitAsync(changes));
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM cases;"));
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM history;"));
    }

    [Fact]
    public async Task Two_writes_of_one_case_in_a_change_set_chain_their_versions()
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 1), 0));
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 2), 1));
        await _store.CommitAsync(changes);
        Assert.Equal(2, (await _store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.Version);
    }

    [Fact]
    public async Task Companies_are_isolated()
    {
        await _store.CommitAsync(Everything(Acme));
        var beta = new RecoveryChangeSet(Beta);
        beta.Customers.Add(Customer(Beta, "C001") with { Name = "Beta's" });
        beta.Cases.Add(new CaseWrite(Case(Beta, "K1", "C001", Today) with { ProcedureId = "beta" }, 0));
        beta.History.Add(History(Beta, "K1", 1, "BetaOpened"));
        await _store.CommitAsync(beta);

        Assert.Equal("Beta's", (await _store.GetCustomerAsync(Beta, "C001"))!.Name);
        Assert.NotEqual("Beta's", (await _store.GetCustomerAsync(Acme, "C001"))!.Name);
        Assert.Equal("beta", (await _store.GetCaseAsync(Beta, new InstallmentKey("K1")))!.ProcedureId);
        Assert.Equal("standard", (await _store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.ProcedureId);
        Assert.All(await Collect(_store.ReadCasesAsync(Beta, CaseFilter.All)), c => Assert.Equal(Beta, c.Company));
        Assert.Equal(["BetaOpened"], (await Collect(_store.ReadHistoryAsync(Beta, new InstallmentKey("K1")))).Select(h => h.Kind));

        var gamma = new CompanyId("GAMMA");
        Assert.Empty(await Collect(_store.ReadCasesAsync(gamma, CaseFilter.All)));
        Assert.Empty(await Collect(_store.ReadCustomersAsync(gamma)));
        Assert.Empty(await Collect(_store.ReadOutboxAsync(gamma, OutboxStatus.Pending)));
        Assert.Empty(await Collect(_store.ReadTasksAsync(gamma, new TaskFilter())));
        Assert.Empty(await Collect(_store.ReadActivitiesAsync(gamma, "C001")));
        Assert.Empty(await Collect(_store.ReadAgendaAsync(gamma, null, Today)));
        Assert.Empty(await Collect(_store.ReadOperatorsAsync(gamma)));
        Assert.Empty(await Collect(_store.ReadAssignmentsAsync(gamma)));
        Assert.Empty(await Collect(_store.ReadProcedureAssignmentsAsync(gamma)));
        Assert.Empty(await Collect(_store.ReadQuarantineAsync(gamma)));
        Assert.Null(await _store.GetOutboxMessageAsync(gamma, "m1"));
        Assert.Null(await _store.GetTaskAsync(gamma, "t1"));
        Assert.Null(await _store.GetCursorAsync(gamma, "mexal"));
    }

    [Fact]
    public async Task Rows_of_another_company_are_rejected_and_nothing_is_applied()
    {
        var mixed = new RecoveryChangeSet(Acme);
        mixed.Customers.Add(Customer(Acme, "C001"));
        mixed.Outbox.Add(Outbox(Beta, "m1", T0));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.CommitAsync(mixed));

        var foreignCase = new RecoveryChangeSet(Acme);
        foreignCase.Cases.Add(new CaseWrite(Case(Beta, "K1", "C001", Today), 0));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.CommitAsync(foreignCase));

        var foreignOperator = new RecoveryChangeSet(Acme);
        foreignOperator.Operators.Add(Operator("op9", Beta));
        await Assert.ThrowsAsync<ArgumentException>(async () => await _store.CommitAsync(foreignOperator));

        Assert.Null(await _store.GetCustomerAsync(Acme, "C001"));
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM cases;"));
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM operators;"));
    }

    [Fact]
    public async Task Next_action_filter_and_ordering()
    {
        var changes = new RecoveryChangeSet(Acme);
        void Add(string key, string customer, LocalDate? next, CaseStatus status = CaseStatus.InProcedure) =>
            changes.Cases.Add(new CaseWrite(Case(Acme, key, customer, next, status), 0));

        Add("K-10", "c002", Today);
        Add("K-2", "C002", Today.PlusDays(-3));
        Add("K-1", "C002", Today);
        Add("k-0", "C002", Today.PlusDays(-1));
        Add("K-3", "C001", Today.PlusDays(1)); // later
        Add("K-4", "C001", null); // nothing scheduled
        Add("K-5", "C001", Today.PlusDays(-10), CaseStatus.Closed); // closed
        Add("K-6", "B999", Today.PlusYears(-1), CaseStatus.Promised);
        await _store.CommitAsync(changes);

        var due = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { OpenOnly = true, NextActionOnOrBefore = Today }));
        // Ordinal: upper case before lower case, "K-1" < "K-2" < "k-0".
        Assert.Equal(["B999/K-6", "C002/K-1", "C002/K-2", "C002/k-0", "c002/K-10"], due.Select(c => $"{c.CustomerCode}/{c.Key}"));

        var dueAnyStatus = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { NextActionOnOrBefore = Today }));
        Assert.Contains(dueAnyStatus, c => c.Key.Value == "K-5");
        Assert.DoesNotContain(dueAnyStatus, c => c.Key.Value is "K-3" or "K-4");

        var open = await Collect(_store.ReadCasesAsync(Acme, CaseFilter.Open));
        Assert.Equal(7, open.Count);
        Assert.Equal(["B999", "C001", "C001", "C002", "C002", "C002", "c002"], open.Select(c => c.CustomerCode));

        var statuses = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { Statuses = [CaseStatus.Closed, CaseStatus.Promised] }));
        Assert.Equal(["K-6", "K-5"], statuses.Select(c => c.Key.Value));

        var customers = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { CustomerCodes = ["C001"], OpenOnly = true }));
        Assert.Equal(["K-3", "K-4"], customers.Select(c => c.Key.Value));

        var byKeys = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { Keys = [new InstallmentKey("K-10"), new InstallmentKey("K-2"), new InstallmentKey("K-6"), new InstallmentKey("none")] }));
        Assert.Equal(["B999/K-6", "C002/K-2", "c002/K-10"], byKeys.Select(c => $"{c.CustomerCode}/{c.Key}"));

        Assert.Empty(await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { Keys = [] })));
        Assert.Empty(await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { CustomerCodes = [] })));
    }

    [Fact]
    public async Task Large_key_lists_are_not_limited_by_parameters()
    {
        var changes = new RecoveryChangeSet(Acme);
        for (var i = 0; i < 1500; i++)
        {
            changes.Cases.Add(new CaseWrite(Case(Acme, $"K{i:D5}", $"C{i % 7}", Today), 0));
        }

        await _store.CommitAsync(changes);

        var keys = Enumerable.Range(0, 40_000).Select(i => new InstallmentKey($"K{i * 2:D5}")).ToList();
        var read = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { Keys = keys }));
        Assert.Equal(750, read.Count);
        Assert.All(read, c => Assert.True(int.Parse(c.Key.Value[1..], System.Globalization.CultureInfo.InvariantCulture) % 2 == 0));

        var codes = Enumerable.Range(0, 20_000).Select(i => $"X{i}").Append("C3").ToList();
        Assert.Equal(1500 / 7 + (1500 % 7 > 3 ? 1 : 0), (await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { CustomerCodes = codes }))).Count);
    }

    [Fact]
    public async Task A_commit_may_run_while_a_read_stream_is_open()
    {
        var changes = new RecoveryChangeSet(Acme);
        for (var i = 0; i < 50; i++)
        {
            changes.Cases.Add(new CaseWrite(Case(Acme, $"K{i:D3}", "C001", Today), 0));
        }

        await _store.CommitAsync(changes);

        var seen = 0;
        await foreach (var value in _store.ReadCasesAsync(Acme, CaseFilter.Open))
        {
            var next = new RecoveryChangeSet(Acme);
            next.Cases.Add(new CaseWrite(value with { Version = value.Version + 1, NextActionDate = Today.PlusDays(7) }, value.Version));
            next.History.Add(History(Acme, value.Key.Value, value.Version + 1));
            await _store.CommitAsync(next);
            seen++;
        }

        Assert.Equal(50, seen);
        Assert.Empty(await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { NextActionOnOrBefore = Today })));
        Assert.Equal(50, _db.Scalar("SELECT count(*) FROM history;"));
    }

    [Fact]
    public async Task Task_and_agenda_filters()
    {
        var op1 = new OperatorId("op1");
        var op2 = new OperatorId("op2");
        var changes = new RecoveryChangeSet(Acme);
        changes.Tasks.Add(TaskItem(Acme, "t3", Today.PlusDays(2), op1));
        changes.Tasks.Add(TaskItem(Acme, "t1", Today, op2, customer: "C002"));
        changes.Tasks.Add(TaskItem(Acme, "t2", Today.PlusDays(1), null));
        changes.Tasks.Add(TaskItem(Acme, "t0", Today.PlusDays(-1), op1, status: OperatorTaskStatus.Done));
        changes.Agenda.Add(Agenda(Acme, "g2", op2, Today.PlusDays(5)));
        changes.Agenda.Add(Agenda(Acme, "g1", op1, Today));
        changes.Agenda.Add(Agenda(Acme, "g0", op2, Today.PlusDays(-30)));
        await _store.CommitAsync(changes);

        Assert.Equal(["t0", "t1", "t2", "t3"], (await Collect(_store.ReadTasksAsync(Acme, new TaskFilter()))).Select(t => t.Id));
        Assert.Equal(["t1", "t2", "t3"], (await Collect(_store.ReadTasksAsync(Acme, new TaskFilter { Status = OperatorTaskStatus.Open }))).Select(t => t.Id));
        Assert.Equal(["t0", "t3"], (await Collect(_store.ReadTasksAsync(Acme, new TaskFilter { AssignedTo = [op1] }))).Select(t => t.Id));
        Assert.Equal(["t1", "t2"], (await Collect(_store.ReadTasksAsync(Acme, new TaskFilter { DueFrom = Today, DueTo = Today.PlusDays(1) }))).Select(t => t.Id));
        Assert.Equal(["t1"], (await Collect(_store.ReadTasksAsync(Acme, new TaskFilter { CustomerCodes = ["C002"] }))).Select(t => t.Id));

        Assert.Equal(["g0", "g1"], (await Collect(_store.ReadAgendaAsync(Acme, null, Today))).Select(a => a.Id));
        Assert.Equal(["g0", "g2"], (await Collect(_store.ReadAgendaAsync(Acme, [op2], Today.PlusDays(5)))).Select(a => a.Id));
        Assert.Empty(await Collect(_store.ReadAgendaAsync(Acme, [], Today.PlusDays(5))));
    }

    [Fact]
    public async Task Outbox_and_activities_come_oldest_first()
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Outbox.Add(Outbox(Acme, "m-late", T0 + Duration.FromTicks(1)));
        changes.Outbox.Add(Outbox(Acme, "m-b", T0));
        changes.Outbox.Add(Outbox(Acme, "m-a", T0));
        changes.Outbox.Add(Outbox(Acme, "m-early", T0 - Duration.FromDays(400)));
        changes.Activities.Add(Activity(Acme, "a2", "C001", T0));
        changes.Activities.Add(Activity(Acme, "a1", "C001", T0 - Duration.FromSeconds(1)));
        changes.Activities.Add(Activity(Acme, "a3", "C002", T0));
        await _store.CommitAsync(changes);

        Assert.Equal(["m-early", "m-a", "m-b", "m-late"], (await Collect(_store.ReadOutboxAsync(Acme, OutboxStatus.Pending))).Select(m => m.Id));
        Assert.Equal(["a1", "a2"], (await Collect(_store.ReadActivitiesAsync(Acme, "C001"))).Select(a => a.Id));
    }

    [Fact]
    public async Task An_empty_change_set_writes_nothing()
    {
        await _store.CommitAsync(new RecoveryChangeSet(Acme));
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM cases;"));
    }

    [Fact]
    public async Task A_cancelled_commit_applies_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _store.CommitAsync(Everything(Acme), cts.Token));
        Assert.Equal(0, _db.Scalar("SELECT count(*) FROM customers;"));
    }

    [Fact]
    public async Task Read_streams_honour_cancellation()
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today), 0));
        changes.Cases.Add(new CaseWrite(Case(Acme, "K2", "C001", Today), 0));
        await _store.CommitAsync(changes);

        using var cts = new CancellationTokenSource();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var unused in _store.ReadCasesAsync(Acme, CaseFilter.All).WithCancellation(cts.Token))
            {
                await cts.CancelAsync();
            }
        });
    }

    [Fact]
    public async Task A_commit_waits_for_another_writer()
    {
        using var other = _db.Connect();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();
        }

        var changes = new RecoveryChangeSet(Acme);
        changes.Customers.Add(Customer(Acme, "C001"));
        var pending = System.Threading.Tasks.Task.Run(async () => await _store.CommitAsync(changes));
        await System.Threading.Tasks.Task.Delay(300);
        Assert.False(pending.IsCompleted);
        using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        await pending;
        Assert.NotNull(await _store.GetCustomerAsync(Acme, "C001"));
    }

    [Fact]
    public void Transactions_that_are_not_deferred_take_the_write_lock_at_once()
    {
        // The store relies on BeginTransaction(deferred: false) issuing BEGIN IMMEDIATE.
        using var first = _db.Connect();
        using var transaction = first.BeginTransaction(deferred: false);
        using var second = _db.Connect();
        using (var noWait = second.CreateCommand())
        {
            noWait.CommandText = "PRAGMA busy_timeout = 0;";
            noWait.ExecuteNonQuery();
        }

        using var begin = second.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.CommandTimeout = 1;
        var error = Assert.Throws<SqliteException>(() => begin.ExecuteNonQuery());
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
    }

    [Fact]
    public async Task Data_survives_reopening_the_file()
    {
        var changes = Everything(Acme);
        await _store.CommitAsync(changes);
        await _store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await _store.GetCaseAsync(Acme, new InstallmentKey("K1")));

        var reopened = _db.Open();
        DeepAssert.Equal(changes.Cases[0].Case, await reopened.GetCaseAsync(Acme, new InstallmentKey("K1")));
        DeepAssert.Equal(changes.History, await Collect(reopened.ReadHistoryAsync(Acme, new InstallmentKey("K1"))));
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion, _db.Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion, _db.Scalar("SELECT count(*) FROM schema_version;"));
    }

    [Fact]
    public void The_database_runs_in_wal_mode()
    {
        using var connection = _db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_is_refused()
    {
        await _store.DisposeAsync();
        using (var connection = _db.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, 'from_the_future', '2099-01-01');";
            command.Parameters.AddWithValue("$v", SqliteRecoveryStore.SupportedSchemaVersion + 1);
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<SqliteSchemaVersionException>(() => _db.Open());
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion + 1, error.DatabaseVersion);
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion, error.SupportedVersion);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shared_memory_database_works()
    {
        var options = new SqliteStoreOptions { ConnectionString = $"Data Source=mem-{Guid.NewGuid():N};Mode=Memory;Cache=Shared" };
        await using var store = new SqliteRecoveryStore(options);
        await store.CommitAsync(Everything(Acme));
        Assert.NotNull(await store.GetCaseAsync(Acme, new InstallmentKey("K1")));
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SqliteRecoveryStore(new SqliteStoreOptions()));
        Assert.Throws<ArgumentException>(() => new SqliteRecoveryStore(new SqliteStoreOptions { ConnectionString = "Data Source=:memory:" }));
        Assert.Throws<ArgumentException>(() => new SqliteRecoveryStore(new SqliteStoreOptions { ConnectionString = "Data Source=a.db", DatabasePath = "b.db" }));
    }
}
