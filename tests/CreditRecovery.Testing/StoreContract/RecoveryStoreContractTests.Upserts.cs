using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;
using Xunit;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Testing.StoreContract;

/// <content>Upserts by identity; appends for history and quarantine.</content>
public abstract partial class RecoveryStoreContractTests
{
    [Fact]
    public async Task Customers_are_upserted_by_code()
    {
        await CommitAsync(Acme, c =>
        {
            c.Customers.Add(Customer(Acme, "C001"));
            c.Customers.Add(Customer(Acme, "C002"));
        });
        var renamed = Customer(Acme, "C001", "Renamed") with { Email = null, Flags = CustomerFlags.None, CallWindow = null };
        await CommitAsync(Acme, c => c.Customers.Add(renamed));
        await CommitAsync(Beta, c => c.Customers.Add(Customer(Beta, "C001", "Beta")));

        DeepAssert.Equal(renamed, (await Store.GetCustomerAsync(Acme, "C001"))!);
        var all = (await ReadAsync(Store.ReadCustomersAsync(Acme))).OrderBy(c => c.Code, StringComparer.Ordinal).ToList();
        Assert.Equal(["C001", "C002"], all.Select(c => c.Code));
        Assert.Equal(["Renamed", "Rossi S.r.l. — àèìòù €"], all.Select(c => c.Name));

        // By codes: unknown codes are ignored, codes are exact.
        var some = await ReadAsync(Store.ReadCustomersAsync(Acme, ["C002", "C404", "c001"]));
        Assert.Equal(["C002"], some.Select(c => c.Code));
        Assert.Equal("Beta", Assert.Single(await ReadAsync(Store.ReadCustomersAsync(Beta))).Name);
    }

    [Fact]
    public async Task Outbox_messages_are_upserted_by_id_and_move_between_statuses()
    {
        await CommitAsync(Acme, c =>
        {
            c.Outbox.Add(Outbox(Acme, "m1") with { Attempts = 0, LastError = null, SentAt = null, ProviderMessageId = null });
            c.Outbox.Add(Outbox(Acme, "m2", T0 + Duration.FromSeconds(1)));
        });
        var sent = Outbox(Acme, "m1", status: OutboxStatus.Sent) with { Attempts = 3, ProviderMessageId = "<sent@mail>" };
        await CommitAsync(Acme, c => c.Outbox.Add(sent));

        DeepAssert.Equal(sent, (await Store.GetOutboxMessageAsync(Acme, "m1"))!);
        Assert.Equal(["m2"], (await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Pending))).Select(m => m.Id));
        DeepAssert.SequenceEqual([sent], await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Sent)));

        await CommitAsync(Acme, c =>
        {
            c.Outbox.Add(Outbox(Acme, "m2", T0 + Duration.FromSeconds(1), OutboxStatus.Failed));
            c.Outbox.Add(Outbox(Acme, "m1", status: OutboxStatus.Cancelled));
        });
        Assert.Empty(await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Pending)));
        Assert.Empty(await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Sent)));
        Assert.Equal(["m2"], (await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Failed))).Select(m => m.Id));
        Assert.Equal(["m1"], (await ReadAsync(Store.ReadOutboxAsync(Acme, OutboxStatus.Cancelled))).Select(m => m.Id));
    }

    [Fact]
    public async Task Tasks_are_upserted_by_id_and_filters_see_the_new_values()
    {
        await CommitAsync(Acme, c => c.Tasks.Add(Task(Acme, "t1", Today, Op1, "C001")));
        var done = Task(Acme, "t1", Today.PlusDays(5), Op2, "C002", OperatorTaskStatus.Done) with { Outcome = "paid", Title = "Changed" };
        await CommitAsync(Acme, c => c.Tasks.Add(done));

        DeepAssert.Equal(done, (await Store.GetTaskAsync(Acme, "t1"))!);
        DeepAssert.SequenceEqual([done], await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter())));
        Assert.Empty(await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter { AssignedTo = [Op1] })));
        Assert.Empty(await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter { Status = OperatorTaskStatus.Open })));
        Assert.Empty(await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter { DueTo = Today })));
        Assert.Empty(await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter { CustomerCodes = ["C001"] })));
        Assert.Single(await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter { AssignedTo = [Op2], Status = OperatorTaskStatus.Done, DueFrom = Today.PlusDays(5), CustomerCodes = ["C002"] })));

        // Unassigning clears the assignee.
        await CommitAsync(Acme, c => c.Tasks.Add(done with { AssignedTo = null }));
        Assert.Null((await Store.GetTaskAsync(Acme, "t1"))!.AssignedTo);
        Assert.Empty(await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter { AssignedTo = [Op2] })));
    }

    [Fact]
    public async Task Activities_are_upserted_by_id()
    {
        await CommitAsync(Acme, c =>
        {
            c.Activities.Add(Activity(Acme, "a1", "C001", T0));
            c.Activities.Add(Activity(Acme, "a2", "C001", T0 + Duration.FromMinutes(1)));
        });
        var changed = Activity(Acme, "a1", "C001", T0 + Duration.FromMinutes(2)) with { Outcome = "promised", Installments = [] };
        await CommitAsync(Acme, c => c.Activities.Add(changed));

        var read = await ReadAsync(Store.ReadActivitiesAsync(Acme, "C001"));
        Assert.Equal(["a2", "a1"], read.Select(a => a.Id));
        DeepAssert.Equal(changed, read[1]);

        // Moving an activity to another customer moves it between reads.
        await CommitAsync(Acme, c => c.Activities.Add(changed with { CustomerCode = "C002" }));
        Assert.Equal(["a2"], (await ReadAsync(Store.ReadActivitiesAsync(Acme, "C001"))).Select(a => a.Id));
        Assert.Equal(["a1"], (await ReadAsync(Store.ReadActivitiesAsync(Acme, "C002"))).Select(a => a.Id));
    }

    [Fact]
    public async Task Agenda_entries_are_upserted_by_id()
    {
        await CommitAsync(Acme, c => c.Agenda.Add(Agenda(Acme, "g1", Op1, Today)));
        var moved = Agenda(Acme, "g1", Op2, Today.PlusDays(3), cancelled: true) with { Recurrence = null, RecurrenceEnd = null, Time = null };
        await CommitAsync(Acme, c => c.Agenda.Add(moved));

        Assert.Empty(await ReadAsync(Store.ReadAgendaAsync(Acme, [Op1], LocalDate.MaxIsoValue)));
        Assert.Empty(await ReadAsync(Store.ReadAgendaAsync(Acme, null, Today.PlusDays(2))));
        DeepAssert.SequenceEqual([moved], await ReadAsync(Store.ReadAgendaAsync(Acme, [Op2], Today.PlusDays(3))));
    }

    [Fact]
    public async Task Operators_are_upserted_by_id_and_read_by_the_companies_they_work_for()
    {
        await CommitAsync(Acme, c =>
        {
            c.Operators.Add(Operator("op1", Acme, Beta));
            c.Operators.Add(Operator("op2", Acme));
        });
        await CommitAsync(Beta, c => c.Operators.Add(Operator("op3", Beta, Gamma)));

        Assert.Equal(["op1", "op2"], await OperatorIdsAsync(Acme));
        Assert.Equal(["op1", "op3"], await OperatorIdsAsync(Beta));
        Assert.Equal(["op3"], await OperatorIdsAsync(Gamma));
        DeepAssert.Equal(Operator("op1", Acme, Beta), (await ReadAsync(Store.ReadOperatorsAsync(Beta))).Single(o => o.Id == Op1));

        // An upsert replaces the operator whole, its companies included: they are not merged.
        var renamed = Operator("op1", Beta) with { Name = "Renamed", Active = true, SupervisorId = null };
        await CommitAsync(Beta, c => c.Operators.Add(renamed));
        Assert.Equal(["op2"], await OperatorIdsAsync(Acme));
        Assert.Equal(["op1", "op3"], await OperatorIdsAsync(Beta));
        DeepAssert.Equal(renamed, (await ReadAsync(Store.ReadOperatorsAsync(Beta))).Single(o => o.Id == Op1));
    }

    [Fact]
    public async Task Customer_assignments_are_upserted_by_customer()
    {
        await CommitAsync(Acme, c =>
        {
            c.Assignments.Add(Assignment(Acme, "C001", Op1));
            c.Assignments.Add(Assignment(Acme, "C002", Op2, Op1));
        });
        await CommitAsync(Acme, c => c.Assignments.Add(Assignment(Acme, "C001", Op3, Op2)));
        await CommitAsync(Beta, c => c.Assignments.Add(Assignment(Beta, "C001", Op1)));

        var all = (await ReadAsync(Store.ReadAssignmentsAsync(Acme))).OrderBy(a => a.CustomerCode, StringComparer.Ordinal).ToList();
        DeepAssert.SequenceEqual([Assignment(Acme, "C001", Op3, Op2), Assignment(Acme, "C002", Op2, Op1)], all);
        DeepAssert.SequenceEqual([Assignment(Acme, "C002", Op2, Op1)], await ReadAsync(Store.ReadAssignmentsAsync(Acme, ["C002", "C404"])));
        DeepAssert.SequenceEqual([Assignment(Beta, "C001", Op1)], await ReadAsync(Store.ReadAssignmentsAsync(Beta, ["C001"])));
    }

    [Fact]
    public async Task Procedure_assignments_are_upserted_by_scope_key_and_purpose()
    {
        await CommitAsync(Acme, c =>
        {
            c.ProcedureAssignments.Add(ProcedureAssignment(Acme, ProcedureScope.Company, string.Empty, ProcedurePurpose.Ordinary, "standard"));
            c.ProcedureAssignments.Add(ProcedureAssignment(Acme, ProcedureScope.Customer, "C001", ProcedurePurpose.Ordinary, "soft"));
        });
        await CommitAsync(Acme, c =>
        {
            c.ProcedureAssignments.Add(ProcedureAssignment(Acme, ProcedureScope.Customer, "C001", ProcedurePurpose.Ordinary, "hard"));
            c.ProcedureAssignments.Add(ProcedureAssignment(Acme, ProcedureScope.Customer, "C001", ProcedurePurpose.UnpaidReceipt, "riba"));
            c.ProcedureAssignments.Add(ProcedureAssignment(Acme, ProcedureScope.CustomerCategory, "C001", ProcedurePurpose.Ordinary, "category"));
            c.ProcedureAssignments.Add(ProcedureAssignment(Acme, ProcedureScope.Installment, "K1", ProcedurePurpose.Ordinary, "one"));
        });

        // The port does not order procedure assignments: compare as a set.
        var read = (await ReadAsync(Store.ReadProcedureAssignmentsAsync(Acme)))
            .Select(p => $"{p.Scope}/{p.ScopeKey}/{p.Purpose}={p.ProcedureId}")
            .Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "Company//Ordinary=standard",
                "Customer/C001/Ordinary=hard",
                "Customer/C001/UnpaidReceipt=riba",
                "CustomerCategory/C001/Ordinary=category",
                "Installment/K1/Ordinary=one",
            ],
            read);
        Assert.Empty(await ReadAsync(Store.ReadProcedureAssignmentsAsync(Beta)));
    }

    [Fact]
    public async Task Cursors_are_upserted_by_source()
    {
        Assert.Null(await Store.GetCursorAsync(Acme, "mexal"));
        await CommitAsync(Acme, c =>
        {
            c.Cursors.Add(Cursor(Acme, "mexal", "1"));
            c.Cursors.Add(Cursor(Acme, "other", "a"));
        });
        await CommitAsync(Acme, c => c.Cursors.Add(Cursor(Acme, "mexal", "2")));
        await CommitAsync(Acme, c =>
        {
            // The last of two upserts in one change set wins.
            c.Cursors.Add(Cursor(Acme, "other", "b"));
            c.Cursors.Add(Cursor(Acme, "other", string.Empty));
        });
        await CommitAsync(Beta, c => c.Cursors.Add(Cursor(Beta, "mexal", "beta")));

        Assert.Equal("2", await Store.GetCursorAsync(Acme, "mexal"));
        Assert.Equal(string.Empty, await Store.GetCursorAsync(Acme, "other"));
        Assert.Null(await Store.GetCursorAsync(Acme, "MEXAL"));
        Assert.Equal("beta", await Store.GetCursorAsync(Beta, "mexal"));
        Assert.Null(await Store.GetCursorAsync(Beta, "other"));
    }

    [Fact]
    public async Task History_is_appended_per_case_in_insertion_order()
    {
        // Same instant and version on purpose: the order is the order of appending, duplicates are kept.
        await CommitAsync(Acme, c =>
        {
            c.Cases.Add(new CaseWrite(Case(Acme, "K1"), 0));
            c.History.Add(Event(Acme, "K1", 1, "Opened"));
            c.History.Add(Event(Acme, "K2", 1, "Opened"));
            c.History.Add(Event(Acme, "K1", 1, "StepExecuted"));
        });
        await CommitAsync(Beta, c => c.History.Add(Event(Beta, "K1", 1, "Beta")));
        await CommitAsync(Acme, c =>
        {
            c.History.Add(Event(Acme, "K1", 2, "PromiseRecorded"));
            c.History.Add(Event(Acme, "K1", 2, "PromiseRecorded"));
            c.History.Add(Event(Acme, "K2", 2, "LedgerPaid"));
            c.History.Add(Event(Acme, "K1", 3, "Alpha"));
        });

        var k1 = await ReadAsync(Store.ReadHistoryAsync(Acme, Key("K1")));
        Assert.Equal(["Opened", "StepExecuted", "PromiseRecorded", "PromiseRecorded", "Alpha"], k1.Select(h => h.Kind));
        DeepAssert.Equal(Event(Acme, "K1", 3, "Alpha"), k1[^1]);
        Assert.Equal(["Opened", "LedgerPaid"], (await ReadAsync(Store.ReadHistoryAsync(Acme, Key("K2")))).Select(h => h.Kind));
        Assert.Equal(["Beta"], (await ReadAsync(Store.ReadHistoryAsync(Beta, Key("K1")))).Select(h => h.Kind));
        Assert.Empty(await ReadAsync(Store.ReadHistoryAsync(Acme, Key("k1"))));
    }

    [Fact]
    public async Task Quarantine_is_appended_in_order()
    {
        await CommitAsync(Acme, c =>
        {
            c.Quarantine.Add(Quarantined(Acme, "scad/2", T0));
            c.Quarantine.Add(Quarantined(Acme, "scad/1", T0));
        });
        await CommitAsync(Beta, c => c.Quarantine.Add(Quarantined(Beta, "beta/1")));
        await CommitAsync(Acme, c =>
        {
            c.Quarantine.Add(Quarantined(Acme, "scad/2", T0 + Duration.FromSeconds(1)));
            c.Quarantine.Add(Quarantined(Acme, "scad/0", T0 + Duration.FromSeconds(1), "other"));
        });

        var read = await ReadAsync(Store.ReadQuarantineAsync(Acme));
        Assert.Equal(["scad/2", "scad/1", "scad/2", "scad/0"], read.Select(q => q.Error.RecordKey));
        DeepAssert.Equal(Quarantined(Acme, "scad/0", T0 + Duration.FromSeconds(1), "other"), read[^1]);
        Assert.Equal(["beta/1"], (await ReadAsync(Store.ReadQuarantineAsync(Beta))).Select(q => q.Error.RecordKey));
    }

    private async Task<List<string>> OperatorIdsAsync(CompanyId company) =>
        (await ReadAsync(Store.ReadOperatorsAsync(company))).Select(o => o.Id.Value).Order(StringComparer.Ordinal).ToList();
}
