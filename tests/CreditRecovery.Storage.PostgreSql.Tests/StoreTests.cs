using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing;
using CreditRecovery.Work;
using Npgsql;
using NodaTime;
using static CreditRecovery.Storage.PostgreSql.Tests.Samples;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>The store's behaviour on a real server, each test on its own fresh database.</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class StoreTests(PostgreSqlFixture fixture) : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private PostgreSqlRecoveryStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(fixture, "store");
        _store = _db.Open();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    internal static async Task<List<T>> Collect<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    internal static RecoveryChangeSet Everything(CompanyId company)
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

    [PostgreSqlFact]
    public async Task Every_record_type_round_trips()
    {
        var changes = Everything(Acme);
        await _store.CommitAsync(changes);

        DeepAssert.Equal(changes.Customers[0], await _store.GetCustomerAsync(Acme, "C001"));
        DeepAssert.Equal(changes.Customers, await Collect(_store.ReadCustomersAsync(Acme)));
        DeepAssert.Equal(changes.Customers, await Collect(_store.ReadCustomersAsync(Acme, ["C001", "nope"])));
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
        DeepAssert.Equal(changes.Assignments, await Collect(_store.ReadAssignmentsAsync(Acme, ["C001"])));
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

        // json keeps the payload verbatim: the decimal's digits and scale survive.
        Assert.Equal(123456789012345678.0123456789m, read.Installment.OpenResidual.Amount);
        Assert.Equal("610.50", read.Installment.OriginalAmount.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [PostgreSqlFact]
    public async Task Payloads_are_the_same_json_as_the_sqlite_store_writes()
    {
        var changes = Everything(Acme);
        await _store.CommitAsync(changes);
        await using var connection = await _db.ConnectAsync();
        await using var command = new NpgsqlCommand("SELECT payload::text FROM cases;", connection);
        var json = (string)(await command.ExecuteScalarAsync())!;
        Assert.Equal(Json.RecoveryJson.Serialize(changes.Cases[0].Case), json);
        Assert.Contains("\"openResidual\":{\"amount\":123456789012345678.0123456789,\"currency\":\"EUR\"}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isOpen", json, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task Missing_rows_read_as_null_or_empty()
    {
        Assert.Null(await _store.GetCaseAsync(Acme, new InstallmentKey("nope")));
        Assert.Null(await _store.GetCustomerAsync(Acme, "nope"));
        Assert.Null(await _store.GetOutboxMessageAsync(Acme, "nope"));
        Assert.Null(await _store.GetTaskAsync(Acme, "nope"));
        Assert.Null(await _store.GetCursorAsync(Acme, "nope"));
        Assert.Empty(await Collect(_store.ReadCasesAsync(Acme, CaseFilter.All)));
        Assert.Empty(await Collect(_store.ReadCustomersAsync(Acme, [])));
        Assert.Empty(await Collect(_store.ReadAssignmentsAsync(Acme, [])));
    }

    [PostgreSqlFact]
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
        Assert.Equal(OutboxStatus.Sent, (await _store.GetOutboxMessageAsync(Acme, "m1"))!.Status);
        Assert.Null((await _store.GetTaskAsync(Acme, "t1"))!.AssignedTo);
        Assert.Empty(await Collect(_store.ReadTasksAsync(Acme, new TaskFilter { AssignedTo = [new OperatorId("op1")] })));
        Assert.Equal("Again", (await Collect(_store.ReadOperatorsAsync(Beta))).Single().Name);
        Assert.Equal("Again", (await Collect(_store.ReadOperatorsAsync(Acme))).Single().Name);
        Assert.Equal("next", await _store.GetCursorAsync(Acme, "mexal"));
        Assert.Equal(["scad/1", "scad/2"], (await Collect(_store.ReadQuarantineAsync(Acme))).Select(q => q.Error.RecordKey));
        Assert.Equal(1, await _db.ScalarAsync("SELECT count(*) FROM customers;"));
        Assert.Equal(1, await _db.ScalarAsync("SELECT count(*) FROM outbox;"));

        // Replacing an operator replaces its companies.
        var third = new RecoveryChangeSet(Beta);
        third.Operators.Add(Operator("op1", Beta));
        await _store.CommitAsync(third);
        Assert.Empty(await Collect(_store.ReadOperatorsAsync(Acme)));
        Assert.Single(await Collect(_store.ReadOperatorsAsync(Beta)));
    }

    [PostgreSqlFact]
    public async Task History_is_append_only_in_the_database()
    {
        await _store.CommitAsync(Everything(Acme));
        foreach (var sql in new[] { "DELETE FROM history;", "UPDATE history SET case_version = 9;", "TRUNCATE history;" })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => _db.ExecuteAsync(sql));
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(2, await _db.ScalarAsync("SELECT count(*) FROM history;"));
    }

    [PostgreSqlFact]
    public async Task A_stale_version_applies_nothing()
    {
        await _store.CommitAsync(Everything(Acme));
        var historyBefore = await _db.ScalarAsync("SELECT count(*) FROM history;");
        var outboxBefore = await _db.ScalarAsync("SELECT count(*) FROM outbox;");

        var stale = new RecoveryChangeSet(Acme);
        stale.Customers.Add(Customer(Acme, "C999"));
        stale.Cases.Add(new CaseWrite(Case(Acme, "K0", "C001", Today), 0)); // fine on its own, and applied before K1
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

        Assert.Equal(historyBefore, await _db.ScalarAsync("SELECT count(*) FROM history;"));
        Assert.Equal(outboxBefore, await _db.ScalarAsync("SELECT count(*) FROM outbox;"));
        Assert.Equal(2, (await Collect(_store.ReadHistoryAsync(Acme, new InstallmentKey("K1")))).Count);
        Assert.Null(await _store.GetOutboxMessageAsync(Acme, "m2"));
        Assert.Equal(OutboxStatus.Pending, (await _store.GetOutboxMessageAsync(Acme, "m1"))!.Status);
        Assert.Null(await _store.GetCaseAsync(Acme, new InstallmentKey("K0")));
        Assert.Null(await _store.GetCustomerAsync(Acme, "C999"));
        Assert.Null(await _store.GetTaskAsync(Acme, "t2"));
        Assert.Equal("2025-03-14T09:00:00Z#42", await _store.GetCursorAsync(Acme, "mexal"));

        // A stale update (not an insert) is refused the same way.
        var staleUpdate = new RecoveryChangeSet(Acme);
        staleUpdate.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 3), 2));
        staleUpdate.History.Add(History(Acme, "K1", 3));
        conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await _store.CommitAsync(staleUpdate));
        Assert.Equal(2, conflict.ExpectedVersion);
        Assert.Equal(1, conflict.ActualVersion);
        Assert.Equal(historyBefore, await _db.ScalarAsync("SELECT count(*) FROM history;"));

        // The store stays usable after a conflict.
        var fresh = new RecoveryChangeSet(Acme);
        fresh.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 2), 1));
        await _store.CommitAsync(fresh);
        Assert.Equal(2, (await _store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.Version);
    }

    [PostgreSqlFact]
    public async Task Expecting_a_case_that_does_not_exist_conflicts()
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 4), 3));
        var conflict = await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await _store.CommitAsync(changes));
        Assert.Equal(3, conflict.ExpectedVersion);
        Assert.Equal(0, conflict.ActualVersion);
    }

    [PostgreSqlFact]
    public async Task A_case_version_that_is_not_expected_plus_one_is_refused()
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 5), 0));
        changes.History.Add(History(Acme, "K1", 5));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await _store.CommitAsync(changes));
        Assert.Equal(0, await _db.ScalarAsync("SELECT count(*) FROM cases;"));
        Assert.Equal(0, await _db.ScalarAsync("SELECT count(*) FROM history;"));
    }

    [PostgreSqlFact]
    public async Task Two_writes_of_one_case_in_a_change_set_chain_their_versions()
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(Case(Acme, "K2", "C001", Today, version: 1), 0));
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 1), 0));
        changes.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today, version: 2), 1));
        await _store.CommitAsync(changes);
        Assert.Equal(2, (await _store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.Version);
        Assert.Equal(1, (await _store.GetCaseAsync(Acme, new InstallmentKey("K2")))!.Version);
    }

    [PostgreSqlFact]
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

        // Same key in two companies: versions are per company.
        var betaNext = new RecoveryChangeSet(Beta);
        betaNext.Cases.Add(new CaseWrite(Case(Beta, "K1", "C001", Today, version: 2), 1));
        await _store.CommitAsync(betaNext);
        Assert.Equal(1, (await _store.GetCaseAsync(Acme, new InstallmentKey("K1")))!.Version);

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
        Assert.Empty(await Collect(_store.ReadHistoryAsync(gamma, new InstallmentKey("K1"))));
        Assert.Null(await _store.GetCaseAsync(gamma, new InstallmentKey("K1")));
        Assert.Null(await _store.GetCustomerAsync(gamma, "C001"));
        Assert.Null(await _store.GetOutboxMessageAsync(gamma, "m1"));
        Assert.Null(await _store.GetTaskAsync(gamma, "t1"));
        Assert.Null(await _store.GetCursorAsync(gamma, "mexal"));
    }

    [PostgreSqlFact]
    public async Task Every_table_but_operators_is_scoped_by_company()
    {
        await using var connection = await _db.ConnectAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT t.table_name FROM information_schema.tables t
            WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND t.table_name NOT IN ('schema_version', 'operators')
              AND NOT EXISTS (SELECT 1 FROM information_schema.columns c
                              WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'company' AND c.is_nullable = 'NO');
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var unscoped = new List<string>();
        while (await reader.ReadAsync())
        {
            unscoped.Add(reader.GetString(0));
        }

        Assert.Empty(unscoped);
    }

    [PostgreSqlFact]
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
        Assert.Equal(0, await _db.ScalarAsync("SELECT count(*) FROM cases;"));
        Assert.Equal(0, await _db.ScalarAsync("SELECT count(*) FROM operators;"));
    }

    [PostgreSqlFact]
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
        Add("K-7", "_x", Today.PlusYears(1)); // '_' sorts after upper case letters, before lower case ones
        await _store.CommitAsync(changes);

        var due = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { OpenOnly = true, NextActionOnOrBefore = Today }));

        // Ordinal: upper case before lower case, "K-1" < "K-2" < "k-0", whatever the database's collation.
        Assert.Equal(["B999/K-6", "C002/K-1", "C002/K-2", "C002/k-0", "c002/K-10"], due.Select(c => $"{c.CustomerCode}/{c.Key}"));

        var dueAnyStatus = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { NextActionOnOrBefore = Today }));
        Assert.Contains(dueAnyStatus, c => c.Key.Value == "K-5");
        Assert.DoesNotContain(dueAnyStatus, c => c.Key.Value is "K-3" or "K-4");

        var open = await Collect(_store.ReadCasesAsync(Acme, CaseFilter.Open));
        Assert.Equal(8, open.Count);
        Assert.Equal(["B999", "C001", "C001", "C002", "C002", "C002", "_x", "c002"], open.Select(c => c.CustomerCode));
        var ordinal = open.Select(c => c.CustomerCode).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(ordinal, open.Select(c => c.CustomerCode));

        var statuses = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { Statuses = [CaseStatus.Closed, CaseStatus.Promised] }));
        Assert.Equal(["K-6", "K-5"], statuses.Select(c => c.Key.Value));

        var customers = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { CustomerCodes = ["C001"], OpenOnly = true }));
        Assert.Equal(["K-3", "K-4"], customers.Select(c => c.Key.Value));

        var byKeys = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { Keys = [new InstallmentKey("K-10"), new InstallmentKey("K-2"), new InstallmentKey("K-6"), new InstallmentKey("none")] }));
        Assert.Equal(["B999/K-6", "C002/K-2", "c002/K-10"], byKeys.Select(c => $"{c.CustomerCode}/{c.Key}"));

        var combined = await Collect(_store.ReadCasesAsync(Acme, new CaseFilter
        {
            OpenOnly = true,
            NextActionOnOrBefore = Today,
            CustomerCodes = ["C002", "c002"],
            Keys = [new InstallmentKey("K-1"), new InstallmentKey("K-10"), new InstallmentKey("K-6")],
            Statuses = [CaseStatus.InProcedure],
        }));
        Assert.Equal(["K-1", "K-10"], combined.Select(c => c.Key.Value));

        Assert.Empty(await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { Keys = [] })));
        Assert.Empty(await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { CustomerCodes = [] })));
        Assert.Empty(await Collect(_store.ReadCasesAsync(Acme, new CaseFilter { Statuses = [] })));
    }

    [PostgreSqlFact]
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
        Assert.Empty(await Collect(_store.ReadCustomersAsync(Acme, codes)));
    }

    [PostgreSqlFact]
    public async Task A_large_change_set_commits_in_batches()
    {
        var changes = new RecoveryChangeSet(Acme);
        for (var i = 0; i < 1200; i++)
        {
            changes.Cases.Add(new CaseWrite(Case(Acme, $"K{i:D5}", "C001", Today), 0));
            changes.History.Add(History(Acme, $"K{i:D5}", 1, "Opened"));
            changes.Outbox.Add(Outbox(Acme, $"m{i:D5}", T0 + Duration.FromTicks(i)));
        }

        await _store.CommitAsync(changes);
        Assert.Equal(1200, await _db.ScalarAsync("SELECT count(*) FROM history;"));
        Assert.Equal(1200, (await Collect(_store.ReadOutboxAsync(Acme, OutboxStatus.Pending))).Count);

        // A conflict on the last case undoes every batch already sent.
        var next = new RecoveryChangeSet(Acme);
        for (var i = 0; i < 1200; i++)
        {
            next.Outbox.Add(Outbox(Acme, $"n{i:D5}", T0));
            next.Cases.Add(new CaseWrite(Case(Acme, $"K{i:D5}", "C001", Today, version: 2), i == 1199 ? 5 : 1));
        }

        await Assert.ThrowsAsync<ConcurrencyConflictException>(async () => await _store.CommitAsync(next));
        Assert.Equal(1200, await _db.ScalarAsync("SELECT count(*) FROM outbox;"));
        Assert.Equal(0, await _db.ScalarAsync("SELECT count(*) FROM cases WHERE version <> 1;"));
    }

    [PostgreSqlFact]
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
        Assert.Equal(50, await _db.ScalarAsync("SELECT count(*) FROM history;"));
    }

    [PostgreSqlFact]
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
        Assert.Empty(await Collect(_store.ReadTasksAsync(Acme, new TaskFilter { AssignedTo = [] })));
        Assert.Empty(await Collect(_store.ReadTasksAsync(Acme, new TaskFilter { CustomerCodes = [] })));

        Assert.Equal(["g0", "g1"], (await Collect(_store.ReadAgendaAsync(Acme, null, Today))).Select(a => a.Id));
        Assert.Equal(["g0", "g2"], (await Collect(_store.ReadAgendaAsync(Acme, [op2], Today.PlusDays(5)))).Select(a => a.Id));
        Assert.Empty(await Collect(_store.ReadAgendaAsync(Acme, [], Today.PlusDays(5))));
    }

    [PostgreSqlFact]
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

        // One tick apart is enough: instants are stored as ticks, not rounded to microseconds.
        Assert.Equal(["m-early", "m-a", "m-b", "m-late"], (await Collect(_store.ReadOutboxAsync(Acme, OutboxStatus.Pending))).Select(m => m.Id));
        Assert.Equal(["a1", "a2"], (await Collect(_store.ReadActivitiesAsync(Acme, "C001"))).Select(a => a.Id));
    }

    [PostgreSqlFact]
    public async Task An_empty_change_set_writes_nothing()
    {
        await _store.CommitAsync(new RecoveryChangeSet(Acme));
        Assert.Equal(0, await _db.ScalarAsync("SELECT count(*) FROM cases;"));
    }

    [PostgreSqlFact]
    public async Task A_cancelled_commit_applies_nothing()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await _store.CommitAsync(Everything(Acme), cts.Token));
        Assert.Equal(0, await _db.ScalarAsync("SELECT count(*) FROM customers;"));
    }

    [PostgreSqlFact]
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

        // The connection went back to the pool in a usable state.
        Assert.Equal(2, (await Collect(_store.ReadCasesAsync(Acme, CaseFilter.All))).Count);
    }

    [PostgreSqlFact]
    public async Task Data_survives_reopening_the_store()
    {
        var changes = Everything(Acme);
        await _store.CommitAsync(changes);
        await _store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await _store.GetCaseAsync(Acme, new InstallmentKey("K1")));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await _store.CommitAsync(Everything(Beta)));

        var reopened = _db.Open();
        DeepAssert.Equal(changes.Cases[0].Case, await reopened.GetCaseAsync(Acme, new InstallmentKey("K1")));
        DeepAssert.Equal(changes.History, await Collect(reopened.ReadHistoryAsync(Acme, new InstallmentKey("K1"))));
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion, await _db.ScalarAsync("SELECT max(version) FROM schema_version;"));
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion, await _db.ScalarAsync("SELECT count(*) FROM schema_version;"));
    }

    [PostgreSqlFact]
    public async Task A_database_with_a_newer_schema_is_refused()
    {
        await _store.DisposeAsync();
        await _db.ExecuteAsync($"INSERT INTO schema_version (version, name) VALUES ({PostgreSqlRecoveryStore.SupportedSchemaVersion + 1}, 'from_the_future');");

        var error = Assert.Throws<PostgreSqlSchemaVersionException>(() => _db.Open());
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion + 1, error.DatabaseVersion);
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion, error.SupportedVersion);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);

        // Nothing was changed by the refused open.
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion + 1, await _db.ScalarAsync("SELECT count(*) FROM schema_version;"));
    }

    [PostgreSqlFact]
    public async Task Stores_opening_an_empty_database_together_migrate_it_once()
    {
        var db = await TestDatabase.CreateAsync(fixture, "migrate");
        await using (db)
        {
            var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(db.Open)));
            Assert.Equal(4, stores.Length);
            Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion, await db.ScalarAsync("SELECT count(*) FROM schema_version;"));
            await stores[0].CommitAsync(Everything(Acme));
            Assert.NotNull(await stores[3].GetCaseAsync(Acme, new InstallmentKey("K1")));
        }
    }

    [PostgreSqlFact]
    public void Bad_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new PostgreSqlRecoveryStore(new PostgreSqlStoreOptions()));
        Assert.Throws<ArgumentException>(() => new PostgreSqlRecoveryStore("Database=x"));
        Assert.Throws<ArgumentException>(() => new PostgreSqlRecoveryStore("Host=127.0.0.1;Nonsense=1"));
        Assert.Throws<ArgumentException>(() => new PostgreSqlRecoveryStore("Host=127.0.0.1;Multiplexing=true"));
    }

    [PostgreSqlFact]
    public void The_data_source_names_no_credentials()
    {
        var builder = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Password = "s3cret-pw" };
        var options = new PostgreSqlStoreOptions { ConnectionString = builder.ToString() };
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", _store.DataSource, StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", _store.DataSource, StringComparison.Ordinal);
    }
}
