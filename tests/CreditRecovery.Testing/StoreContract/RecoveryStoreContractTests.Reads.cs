using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Work;
using NodaTime;
using Xunit;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Testing.StoreContract;

/// <content>Filters and orders of the reads.</content>
public abstract partial class RecoveryStoreContractTests
{
    [Fact]
    public async Task Case_filter_open_only()
    {
        await SeedCasesAsync();
        Assert.Equal(["K1", "K2", "K3", "K4"], await CaseKeysAsync(CaseFilter.Open));
        Assert.Equal(["K1", "K2", "K3", "K4", "K5", "K6"], await CaseKeysAsync(CaseFilter.All));
        Assert.Equal(["K1", "K2", "K3", "K4", "K5", "K6"], await CaseKeysAsync(new CaseFilter()));
    }

    [Fact]
    public async Task Case_filter_next_action_on_or_before_excludes_cases_without_a_date()
    {
        await SeedCasesAsync();
        Assert.Equal(["K1", "K2", "K5"], await CaseKeysAsync(new CaseFilter { NextActionOnOrBefore = Today }));
        Assert.Equal(["K1", "K5"], await CaseKeysAsync(new CaseFilter { NextActionOnOrBefore = Today.PlusDays(-1) }));
        Assert.Equal(["K1", "K2", "K3", "K5"], await CaseKeysAsync(new CaseFilter { NextActionOnOrBefore = LocalDate.MaxIsoValue }));
        Assert.Empty(await CaseKeysAsync(new CaseFilter { NextActionOnOrBefore = Today.PlusDays(-6) }));
        Assert.Equal(["K1", "K2"], await CaseKeysAsync(new CaseFilter { OpenOnly = true, NextActionOnOrBefore = Today }));
    }

    [Fact]
    public async Task Case_filter_by_customer_codes_keys_and_statuses()
    {
        await SeedCasesAsync();
        Assert.Equal(["K3", "K4", "K5", "K6"], await CaseKeysAsync(new CaseFilter { CustomerCodes = ["C003", "C002", "C404", "c002"] }));
        Assert.Equal(["K1", "K6"], await CaseKeysAsync(new CaseFilter { Keys = [Key("K6"), Key("K1"), Key("K9"), Key("k1"), Key("K1")] }));
        Assert.Equal(["K1", "K3", "K5", "K6"], await CaseKeysAsync(new CaseFilter { Statuses = [CaseStatus.Closed, CaseStatus.InProcedure] }));
        Assert.Equal(["K4"], await CaseKeysAsync(new CaseFilter { Statuses = [CaseStatus.Disputed] }));
        Assert.Empty(await CaseKeysAsync(new CaseFilter { Statuses = [CaseStatus.HandedOver] }));

        // Another company with the same keys and customers sees none of these.
        Assert.Empty(await ReadAsync(Store.ReadCasesAsync(Beta, new CaseFilter { CustomerCodes = ["C001"], Keys = [Key("K1")] })));
    }

    [Fact]
    public async Task Case_filter_conditions_combine_with_and()
    {
        await SeedCasesAsync();
        var filter = new CaseFilter
        {
            OpenOnly = true,
            NextActionOnOrBefore = Today.PlusDays(1),
            CustomerCodes = ["C001", "C002"],
            Keys = [Key("K1"), Key("K2"), Key("K3"), Key("K4"), Key("K5")],
            Statuses = [CaseStatus.InProcedure, CaseStatus.Closed, CaseStatus.Disputed],
        };
        Assert.Equal(["K1", "K3"], await CaseKeysAsync(filter));
        Assert.Equal(["K5"], await CaseKeysAsync(filter with { OpenOnly = false, CustomerCodes = ["C003"] }));
        Assert.Empty(await CaseKeysAsync(filter with { Keys = [Key("K2")] }));
    }

    [Fact]
    public async Task Empty_lists_match_nothing()
    {
        await SeedCasesAsync();
        await CommitAsync(Acme, c =>
        {
            c.Customers.Add(Customer(Acme, "C001"));
            c.Tasks.Add(Task(Acme, "t1", Today, Op1));
            c.Agenda.Add(Agenda(Acme, "g1", Op1, Today));
            c.Assignments.Add(Assignment(Acme, "C001"));
        });

        Assert.Empty(await CaseKeysAsync(new CaseFilter { Keys = [] }));
        Assert.Empty(await CaseKeysAsync(new CaseFilter { CustomerCodes = [] }));
        Assert.Empty(await CaseKeysAsync(new CaseFilter { Statuses = [] }));
        Assert.Empty(await CaseKeysAsync(new CaseFilter { OpenOnly = true, Keys = [] }));
        Assert.Empty(await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter { AssignedTo = [] })));
        Assert.Empty(await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter { CustomerCodes = [] })));
        Assert.Empty(await ReadAsync(Store.ReadCustomersAsync(Acme, [])));
        Assert.Empty(await ReadAsync(Store.ReadAssignmentsAsync(Acme, [])));
        Assert.Empty(await ReadAsync(Store.ReadAgendaAsync(Acme, [], LocalDate.MaxIsoValue)));

        // While null means "all".
        Assert.Single(await ReadAsync(Store.ReadTasksAsync(Acme, new TaskFilter())));
        Assert.Single(await ReadAsync(Store.ReadCustomersAsync(Acme, null)));
        Assert.Single(await ReadAsync(Store.ReadAssignmentsAsync(Acme, null)));
        Assert.Single(await ReadAsync(Store.ReadAgendaAsync(Acme, null, LocalDate.MaxIsoValue)));
    }

    [Fact]
    public async Task Cases_come_ordered_by_customer_code_then_key_ordinally()
    {
        // "_" sorts after upper case letters and before lower case ones ordinally, but not in most database collations.
        (string Customer, string Key)[] cases =
        [
            ("C002", "K2"), ("c002", "K1"), ("É001", "K7"), ("C002", "k1"), ("B999", "K9"), ("C010", "K0"), ("C002", "K10"), ("_x", "K8"),
        ];
        await CommitAsync(Acme, c =>
        {
            foreach (var (customer, key) in cases)
            {
                c.Cases.Add(new CaseWrite(Case(Acme, key, customer, Today), 0));
            }
        });

        var read = await ReadAsync(Store.ReadCasesAsync(Acme, CaseFilter.All));
        Assert.Equal(
            ["B999/K9", "C002/K10", "C002/K2", "C002/k1", "C010/K0", "_x/K8", "c002/K1", "É001/K7"],
            read.Select(c => c.CustomerCode + "/" + c.Key.Value));

        // The same order holds whatever the filter, including an index-friendly one and a key list.
        var due = await ReadAsync(Store.ReadCasesAsync(Acme, new CaseFilter { OpenOnly = true, NextActionOnOrBefore = Today }));
        Assert.Equal(read.Select(c => c.Key), due.Select(c => c.Key));
        var byKeys = await ReadAsync(Store.ReadCasesAsync(Acme, new CaseFilter { Keys = [Key("K7"), Key("K1"), Key("K9"), Key("K2")] }));
        Assert.Equal(["B999/K9", "C002/K2", "c002/K1", "É001/K7"], byKeys.Select(c => c.CustomerCode + "/" + c.Key.Value));
        var byCustomers = await ReadAsync(Store.ReadCasesAsync(Acme, new CaseFilter { CustomerCodes = ["c002", "C002"] }));
        Assert.Equal(["C002/K10", "C002/K2", "C002/k1", "c002/K1"], byCustomers.Select(c => c.CustomerCode + "/" + c.Key.Value));
    }

    [Fact]
    public async Task Task_filter_and_order_by_due_date_then_id()
    {
        await CommitAsync(Acme, c =>
        {
            c.Tasks.Add(Task(Acme, "t9", Today.PlusDays(3), Op2, "C003"));
            c.Tasks.Add(Task(Acme, "t1", Today, Op1, "C001"));
            c.Tasks.Add(Task(Acme, "t2", Today.PlusDays(-1), Op2, "C002"));
            c.Tasks.Add(Task(Acme, "t0", Today, Op1, "C002", OperatorTaskStatus.Done));
            c.Tasks.Add(Task(Acme, "t3", Today.PlusDays(2), null, "C001"));
            c.Tasks.Add(Task(Acme, "t10", Today.PlusDays(3), Op1, "C003", OperatorTaskStatus.Cancelled));
            c.Tasks.Add(Task(Acme, "T5", Today, Op3, "C001"));
        });
        await CommitAsync(Beta, c => c.Tasks.Add(Task(Beta, "t1", Today, Op1, "C001")));

        Assert.Equal(["t2", "T5", "t0", "t1", "t3", "t10", "t9"], await TaskIdsAsync(new TaskFilter()));
        Assert.Equal(["t0", "t1", "t10"], await TaskIdsAsync(new TaskFilter { AssignedTo = [Op1] }));
        Assert.Equal(["t2", "t0", "t1", "t10", "t9"], await TaskIdsAsync(new TaskFilter { AssignedTo = [Op2, Op1] }));
        Assert.Equal(["t2", "T5", "t1", "t3", "t9"], await TaskIdsAsync(new TaskFilter { Status = OperatorTaskStatus.Open }));
        Assert.Equal(["t0"], await TaskIdsAsync(new TaskFilter { Status = OperatorTaskStatus.Done }));
        Assert.Equal(["T5", "t0", "t1", "t3", "t10", "t9"], await TaskIdsAsync(new TaskFilter { DueFrom = Today }));
        Assert.Equal(["t2", "T5", "t0", "t1"], await TaskIdsAsync(new TaskFilter { DueTo = Today }));
        Assert.Equal(["T5", "t0", "t1"], await TaskIdsAsync(new TaskFilter { DueFrom = Today, DueTo = Today }));
        Assert.Empty(await TaskIdsAsync(new TaskFilter { DueFrom = Today.PlusDays(1), DueTo = Today.PlusDays(1) }));
        Assert.Equal(["T5", "t1", "t3"], await TaskIdsAsync(new TaskFilter { CustomerCodes = ["C001", "c001"] }));
        Assert.Equal(
            ["T5", "t1", "t10"],
            await TaskIdsAsync(new TaskFilter { AssignedTo = [Op1, Op3], DueFrom = Today, DueTo = Today.PlusDays(3), CustomerCodes = ["C001", "C003"] }));
        Assert.Equal(
            ["t1"],
            await TaskIdsAsync(new TaskFilter
            {
                AssignedTo = [Op1],
                Status = OperatorTaskStatus.Open,
                DueFrom = Today,
                DueTo = Today.PlusDays(3),
                CustomerCodes = ["C001", "C003"],
            }));
    }

    [Fact]
    public async Task Outbox_reads_one_status_ordered_by_creation_time_then_id()
    {
        await CommitAsync(Acme, c =>
        {
            c.Outbox.Add(Outbox(Acme, "m-b", T0));
            c.Outbox.Add(Outbox(Acme, "m-a", T0));
            c.Outbox.Add(Outbox(Acme, "m-late", T0 + Duration.FromTicks(1)));
            c.Outbox.Add(Outbox(Acme, "m-z", T0 - Duration.FromMinutes(1)));
            c.Outbox.Add(Outbox(Acme, "m-A", T0));
            c.Outbox.Add(Outbox(Acme, "m-sent", T0 - Duration.FromDays(1), OutboxStatus.Sent));
            c.Outbox.Add(Outbox(Acme, "m-failed", T0, OutboxStatus.Failed));
        });
        await CommitAsync(Beta, c => c.Outbox.Add(Outbox(Beta, "m-0", T0 - Duration.FromDays(9))));

        Assert.Equal(["m-z", "m-A", "m-a", "m-b", "m-late"], await OutboxIdsAsync(OutboxStatus.Pending));
        Assert.Equal(["m-sent"], await OutboxIdsAsync(OutboxStatus.Sent));
        Assert.Equal(["m-failed"], await OutboxIdsAsync(OutboxStatus.Failed));
        Assert.Empty(await OutboxIdsAsync(OutboxStatus.Cancelled));
    }

    [Fact]
    public async Task Agenda_reads_entries_of_some_owners_up_to_a_date()
    {
        await CommitAsync(Acme, c =>
        {
            c.Agenda.Add(Agenda(Acme, "g1", Op1, Today));
            c.Agenda.Add(Agenda(Acme, "g2", Op2, Today.PlusDays(-10)));
            c.Agenda.Add(Agenda(Acme, "g3", Op1, Today.PlusDays(1)));
            c.Agenda.Add(Agenda(Acme, "g4", Op3, Today, cancelled: true));
        });
        await CommitAsync(Beta, c => c.Agenda.Add(Agenda(Beta, "g9", Op1, Today.PlusDays(-100))));

        // Entries come by date then id; cancelled entries are returned (callers decide).
        Assert.Equal(["g2", "g1", "g4", "g3"], (await ReadAsync(Store.ReadAgendaAsync(Acme, null, Today.PlusDays(1)))).Select(a => a.Id));
        Assert.Equal(["g1", "g3"], (await ReadAsync(Store.ReadAgendaAsync(Acme, [Op1], Today.PlusDays(1)))).Select(a => a.Id));
        Assert.Equal(["g1", "g2", "g4"], await AgendaIdsAsync(null, Today));
        Assert.Equal(["g1", "g2", "g3", "g4"], await AgendaIdsAsync(null, Today.PlusDays(1)));
        Assert.Equal(["g1"], await AgendaIdsAsync([Op1], Today));
        Assert.Equal(["g1", "g3"], await AgendaIdsAsync([Op1], Today.PlusDays(1)));
        Assert.Equal(["g1", "g4"], await AgendaIdsAsync([Op3, Op1], Today));
        Assert.Empty(await AgendaIdsAsync([Op2], Today.PlusDays(-11)));
        Assert.Empty(await AgendaIdsAsync([new OperatorId("OP1")], Today));
        Assert.True((await ReadAsync(Store.ReadAgendaAsync(Acme, null, Today))).Single(a => a.Id == "g4").Cancelled);
    }

    [Fact]
    public async Task Activities_of_a_customer_come_oldest_first()
    {
        await CommitAsync(Acme, c =>
        {
            c.Activities.Add(Activity(Acme, "a2", "C001", T0 + Duration.FromHours(1)));
            c.Activities.Add(Activity(Acme, "a1", "C001", T0));
            c.Activities.Add(Activity(Acme, "a3", "C001", T0 - Duration.FromDays(1)));
            c.Activities.Add(Activity(Acme, "a4", "C002", T0 - Duration.FromDays(2)));
            c.Activities.Add(Activity(Acme, "a5", "c001", T0 - Duration.FromDays(2)));
        });
        await CommitAsync(Acme, c => c.Activities.Add(Activity(Acme, "a0", "C001", T0 + Duration.FromTicks(1))));
        await CommitAsync(Beta, c => c.Activities.Add(Activity(Beta, "a9", "C001", T0 - Duration.FromDays(9))));

        Assert.Equal(["a3", "a1", "a0", "a2"], (await ReadAsync(Store.ReadActivitiesAsync(Acme, "C001"))).Select(a => a.Id));
        Assert.Equal(["a4"], (await ReadAsync(Store.ReadActivitiesAsync(Acme, "C002"))).Select(a => a.Id));
        Assert.Empty(await ReadAsync(Store.ReadActivitiesAsync(Acme, "C404")));
    }

    /// <summary>
    /// Activities recorded at the same instant come by id (ordinal), like outbox messages and tasks: an order that does
    /// not depend on which write came first, so a run interrupted and resumed reads them as an uninterrupted one would.
    /// </summary>
    [Fact]
    public virtual async Task Activities_at_the_same_instant_come_by_id()
    {
        await CommitAsync(Acme, c => c.Activities.Add(Activity(Acme, "b", "C001", T0)));
        await CommitAsync(Acme, c =>
        {
            c.Activities.Add(Activity(Acme, "a", "C001", T0));
            c.Activities.Add(Activity(Acme, "B", "C001", T0));
        });
        Assert.Equal(["B", "a", "b"], (await ReadAsync(Store.ReadActivitiesAsync(Acme, "C001"))).Select(a => a.Id));
    }

    // Cases of three customers; K5 and K6 closed, K4 and K6 with nothing scheduled.
    private Task SeedCasesAsync() => CommitAsync(Acme, c =>
    {
        c.Cases.Add(new CaseWrite(Case(Acme, "K6", "C003", null, CaseStatus.Closed), 0));
        c.Cases.Add(new CaseWrite(Case(Acme, "K3", "C002", Today.PlusDays(1), CaseStatus.InProcedure), 0));
        c.Cases.Add(new CaseWrite(Case(Acme, "K1", "C001", Today.PlusDays(-1), CaseStatus.InProcedure), 0));
        c.Cases.Add(new CaseWrite(Case(Acme, "K5", "C003", Today.PlusDays(-5), CaseStatus.Closed), 0));
        c.Cases.Add(new CaseWrite(Case(Acme, "K4", "C002", null, CaseStatus.Disputed), 0));
        c.Cases.Add(new CaseWrite(Case(Acme, "K2", "C001", Today, CaseStatus.Promised), 0));
    });

    private async Task<List<string>> CaseKeysAsync(CaseFilter filter) =>
        (await ReadAsync(Store.ReadCasesAsync(Acme, filter))).Select(c => c.Key.Value).ToList();

    private async Task<List<string>> TaskIdsAsync(TaskFilter filter) =>
        (await ReadAsync(Store.ReadTasksAsync(Acme, filter))).Select(t => t.Id).ToList();

    private async Task<List<string>> OutboxIdsAsync(OutboxStatus status) =>
        (await ReadAsync(Store.ReadOutboxAsync(Acme, status))).Select(m => m.Id).ToList();

    private async Task<List<string>> AgendaIdsAsync(IReadOnlyCollection<OperatorId>? owners, LocalDate until) =>
        (await ReadAsync(Store.ReadAgendaAsync(Acme, owners, until))).Select(a => a.Id).Order(StringComparer.Ordinal).ToList();
}
