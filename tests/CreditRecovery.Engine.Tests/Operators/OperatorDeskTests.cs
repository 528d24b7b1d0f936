using CreditRecovery.Cases;
using CreditRecovery.Operators;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Running;
using CreditRecovery.Work;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Operators;

/// <summary>
/// The operator desk (M7, G1, G8, G9, H1, H3, H4, X4, M10b), driven through the engine: a staffed office where
/// <c>anna</c> (operator, supervised by <c>sara</c>) handles customer C1, <c>bruno</c> (operator, no supervisor) handles
/// C2, C3 is unassigned, <c>root</c> is an administrator, <c>carla</c> is inactive and <c>dario</c> works for another
/// company. Procedure "standard" of the harness: reminder 5 days before due → 1st dunning 10 days after due → 2nd
/// dunning 15 days after → call 7 days after → formal demand → legal parking.
/// </summary>
public sealed class OperatorDeskTests
{
    private static readonly OperatorId Root = new("root");
    private static readonly OperatorId Sara = new("sara");
    private static readonly OperatorId Anna = new("anna");
    private static readonly OperatorId Bruno = new("bruno");
    private static readonly OperatorId Carla = new("carla");
    private static readonly OperatorId Dario = new("dario");
    private static readonly CompanyId OtherCompany = new("OTHER");

    /// <summary>A procedure whose only step is an e-mail an operator must confirm before it goes out.</summary>
    private static readonly RecoveryProcedure Confirmed = new()
    {
        Id = "confirmed",
        Name = "Sollecito con conferma",
        Steps =
        [
            new() { Id = "confirmed-dunning", Name = "Sollecito confermato", Action = StepAction.Email, Timing = StepTiming.AfterDue(5), TemplateId = "dunning-1", RequiresConfirmation = true },
        ],
    };

    // ---- Authorisation (M10b) -------------------------------------------------------------------------------------

    [Fact]
    public async Task Operator_sees_only_the_cases_of_the_customers_assigned_to_them()
    {
        var h = await OfficeWithOneCaseEachAsync();

        Assert.Equal(["A1"], await KeysAsync(h.Engine.Desk.GetCasesAsync(Anna, Company, CaseFilter.All)));
        Assert.Equal(["B1"], await KeysAsync(h.Engine.Desk.GetCasesAsync(Bruno, Company, CaseFilter.All)));

        var file = await h.Engine.Desk.GetCaseFileAsync(Anna, Company, K("A1"));
        Assert.Equal("C1", file.Case.CustomerCode);
        Assert.Equal([Anna], file.Responsibles);
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await h.Engine.Desk.GetCaseFileAsync(Anna, Company, K("B1")));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await h.Engine.Desk.GetCaseFileAsync(Anna, Company, K("X1")));
    }

    [Fact]
    public async Task Supervisor_sees_the_customers_of_the_team_and_the_unassigned_ones()
    {
        var h = await OfficeWithOneCaseEachAsync();

        Assert.Equal(["A1", "X1"], await KeysAsync(h.Engine.Desk.GetCasesAsync(Sara, Company, CaseFilter.All)));
        Assert.Equal("C3", (await h.Engine.Desk.GetCaseFileAsync(Sara, Company, K("X1"))).Case.CustomerCode);
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await h.Engine.Desk.GetCaseFileAsync(Sara, Company, K("B1")));
    }

    [Fact]
    public async Task Administrator_sees_every_case()
    {
        var h = await OfficeWithOneCaseEachAsync();

        Assert.Equal(["A1", "B1", "X1"], await KeysAsync(h.Engine.Desk.GetCasesAsync(Root, Company, CaseFilter.All)));
        Assert.Equal("C2", (await h.Engine.Desk.GetCaseFileAsync(Root, Company, K("B1"))).Case.CustomerCode);
    }

    [Theory]
    [InlineData("dario")] // an operator of another company
    [InlineData("carla")] // an inactive operator
    [InlineData("zed")] // nobody
    public async Task Operators_of_another_company_inactive_or_unknown_are_refused(string who)
    {
        var h = await OfficeWithOneCaseEachAsync();
        var actor = new OperatorId(who);

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await KeysAsync(h.Engine.Desk.GetCasesAsync(actor, Company, CaseFilter.All)));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await h.Engine.Desk.GetCaseFileAsync(actor, Company, K("X1")));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await h.Engine.Desk.GetWorklistAsync(actor, Company));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await h.Engine.Desk.ParkAsync(actor, Company, [K("X1")], ParkingArea.Legal, "no"));
        Assert.Equal(CaseStatus.Overdue, (await h.CaseAsync("X1")).Status);
    }

    [Fact]
    public async Task Operator_may_not_write_off_nor_assign_customers_nor_act_on_customers_of_others()
    {
        var h = await OfficeWithOneCaseEachAsync();
        var desk = h.Engine.Desk;

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await desk.WriteOffAsync(Anna, Company, [K("A1")], "too small"));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await desk.AssignCustomerAsync(Anna, Company, "C3", [Anna]));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await desk.RecordPromiseAsync(Anna, Company, [K("B1")], D("2026-03-20")));
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await desk.OpenDisputeAsync(Anna, Company, [K("B1")], "not mine"));
        Assert.Equal(CaseStatus.Overdue, (await h.CaseAsync("A1")).Status);
        Assert.Equal(CaseStatus.Overdue, (await h.CaseAsync("B1")).Status);

        // The supervisor may do both.
        await desk.AssignCustomerAsync(Sara, Company, "C3", [Anna]);
        await desk.WriteOffAsync(Sara, Company, [K("A1")], "too small");
        Assert.Equal(ClosureReason.WrittenOff, (await h.CaseAsync("A1")).ClosedBecause);
        Assert.Equal(["A1", "X1"], await KeysAsync(desk.GetCasesAsync(Anna, Company, CaseFilter.All)));
    }

    [Fact]
    public async Task Worklists_contain_only_the_actors_or_the_teams_tasks()
    {
        var h = await OfficeWithOneCaseEachAsync();
        var desk = h.Engine.Desk;
        await desk.RecordActivityAsync(Anna, Company, new ActivityRequest { CustomerCode = "C1", Kind = ActivityKind.PhoneCall, FollowUpOn = D("2026-03-05") });
        await desk.RecordActivityAsync(Bruno, Company, new ActivityRequest { CustomerCode = "C2", Kind = ActivityKind.PhoneCall, FollowUpOn = D("2026-03-05") });
        await AddUnassignedTaskAsync(h, "C3", D("2026-03-05"));

        var anna = await desk.GetWorklistAsync(Anna, Company, D("2026-03-05"));
        var bruno = await desk.GetWorklistAsync(Bruno, Company, D("2026-03-05"));
        var sara = await desk.GetWorklistAsync(Sara, Company, D("2026-03-05"));

        Assert.Equal(["C1→anna"], anna.Tasks.Select(Describe));
        Assert.Equal(["A1"], anna.Cases.Select(c => c.Key.Value));
        Assert.Equal(["C2→bruno"], bruno.Tasks.Select(Describe));
        Assert.Equal(["B1"], bruno.Cases.Select(c => c.Key.Value));
        Assert.Equal(["C1→anna", "C3→nobody"], sara.Tasks.Select(Describe).Order(StringComparer.Ordinal));
        Assert.Equal(["A1", "X1"], sara.Cases.Select(c => c.Key.Value));

        // Due later than asked: not on today's list.
        Assert.Empty((await desk.GetWorklistAsync(Anna, Company, D("2026-03-04"))).Tasks);
    }

    // ---- Promises and payment plans (X4) --------------------------------------------------------------------------

    [Fact]
    public async Task Promised_amount_is_allocated_to_the_installments_oldest_due_date_first()
    {
        var h = await OfficeAsync("2026-03-16");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 300m)).Put(Installment("B", "C1", D("2026-03-10"), 500m));
        await h.DayAsync(D("2026-03-16"));

        await h.Engine.Desk.RecordPromiseAsync(Anna, Company, [K("B"), K("A")], D("2026-03-20"), Money.Eur(400m));

        var a = await h.CaseAsync("A");
        var b = await h.CaseAsync("B");
        Assert.Equal((CaseStatus.Promised, CaseStatus.Promised), (a.Status, b.Status));
        Assert.Equal([new AgreedPayment(D("2026-03-20"), Money.Eur(300m))], a.Arrangement!.Payments);
        Assert.Equal([new AgreedPayment(D("2026-03-20"), Money.Eur(100m))], b.Arrangement!.Payments);
        Assert.Equal((Anna, Money.Eur(500m)), (b.Arrangement.AgreedBy, b.Arrangement.ResidualWhenAgreed));
    }

    [Fact]
    public async Task Kept_promise_raises_no_task_and_the_case_goes_back_to_the_procedure()
    {
        var h = await OfficeAsync("2026-03-16");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 300m)).Put(Installment("B", "C1", D("2026-03-10"), 500m));
        await h.DayAsync(D("2026-03-16"));
        await h.Engine.Desk.RecordPromiseAsync(Anna, Company, [K("A"), K("B")], D("2026-03-20"), Money.Eur(400m));

        // The customer pays the 400 promised on the 19th: A in full, 100 of B.
        var reports = await DaysAsync(h, "2026-03-17", "2026-03-22", before: day =>
        {
            if (day == D("2026-03-19"))
            {
                h.Ledger.Change("A", i => i with { OpenResidual = Money.Eur(0m) }).Change("B", i => i with { OpenResidual = Money.Eur(400m) });
            }
        });
        Assert.All(reports, r => Assert.Empty(r.Messages)); // B's 1st dunning (20/03) waits while promised
        Assert.Equal(ClosureReason.Paid, (await h.CaseAsync("A")).ClosedBecause);
        Assert.Equal(CaseStatus.Promised, (await h.CaseAsync("B")).Status);

        // 20/03 + 2 grace days: on the 23rd the promise is checked, kept, and B goes back to its procedure at once.
        var check = await h.DayAsync(D("2026-03-23"));
        Assert.Empty(check.Tasks);
        Assert.Empty(await h.OpenTasksAsync());
        var b = await h.CaseAsync("B");
        Assert.Equal(CaseStatus.InProcedure, b.Status);
        Assert.Null(b.Arrangement);
        var message = Assert.Single(check.Messages);
        Assert.Equal("dunning-1", message.StepId);
        Assert.Equal(Money.Eur(400m), Assert.Single(message.Lines).Residual);
        Assert.Contains(h.Store.AllHistory(Company), e => e.CaseKey == K("B") && e.Kind == "PromiseFulfilled");
    }

    [Fact]
    public async Task Payment_plan_stays_promised_while_kept_and_escalates_the_day_after_a_missed_payment_plus_grace()
    {
        var h = await OfficeAsync("2026-03-16");
        h.Ledger.Put(Installment("P", "C1", D("2026-03-02"), 900m));
        await h.DayAsync(D("2026-03-16")); // 1st dunning goes out (due 12/03)
        await h.Engine.Desk.RecordPaymentPlanAsync(Anna, Company, K("P"),
        [
            new AgreedPayment(D("2026-03-31"), Money.Eur(300m)),
            new AgreedPayment(D("2026-04-30"), Money.Eur(300m)),
            new AgreedPayment(D("2026-05-29"), Money.Eur(300m)),
        ]);
        Assert.True((await h.CaseAsync("P")).Arrangement!.IsPlan);

        // The 1st payment arrives, the 2nd (30/04) never does.
        var reports = await DaysAsync(h, "2026-03-17", "2026-05-02", before: day =>
        {
            if (day == D("2026-03-30"))
            {
                h.Ledger.Change("P", i => i with { OpenResidual = Money.Eur(600m) });
            }
        });
        Assert.All(reports, r => Assert.Empty(r.Tasks));
        Assert.All(reports, r => Assert.Empty(r.Messages));
        Assert.Equal(CaseStatus.Promised, (await h.CaseAsync("P")).Status);

        // 30/04 + 2 grace days → broken on 3 May; the task goes to the operator who agreed the plan.
        var broken = await h.DayAsync(D("2026-05-03"));
        var task = Assert.Single(broken.Tasks);
        Assert.Equal((OperatorTaskKind.BrokenPromise, (OperatorId?)Anna), (task.Kind, task.AssignedTo));
        Assert.Equal([K("P")], task.Installments);
        var p = await h.CaseAsync("P");
        Assert.Equal(CaseStatus.InProcedure, p.Status);
        Assert.Null(p.Arrangement);

        // 3 May is a Sunday: the procedure goes on with the 2nd dunning on Monday.
        Assert.Equal("dunning-2", Assert.Single((await h.DayAsync(D("2026-05-04"))).Messages).StepId);
    }

    [Fact]
    public async Task Payment_plan_must_add_up_to_the_residual_with_increasing_dates()
    {
        var h = await OfficeAsync("2026-03-16");
        h.Ledger.Put(Installment("P", "C1", D("2026-03-02"), 900m));
        await h.DayAsync(D("2026-03-16"));
        var desk = h.Engine.Desk;

        await Assert.ThrowsAsync<ArgumentException>(async () => await desk.RecordPaymentPlanAsync(Anna, Company, K("P"),
            [new AgreedPayment(D("2026-03-31"), Money.Eur(300m)), new AgreedPayment(D("2026-04-30"), Money.Eur(500m))]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await desk.RecordPaymentPlanAsync(Anna, Company, K("P"),
            [new AgreedPayment(D("2026-04-30"), Money.Eur(450m)), new AgreedPayment(D("2026-03-31"), Money.Eur(450m))]));
        await Assert.ThrowsAsync<ArgumentException>(async () => await desk.RecordPaymentPlanAsync(Anna, Company, K("P"),
            [new AgreedPayment(D("2026-04-30"), Money.Eur(450m)), new AgreedPayment(D("2026-04-30"), Money.Eur(450m))]));

        var p = await h.CaseAsync("P");
        Assert.Equal(CaseStatus.InProcedure, p.Status);
        Assert.Null(p.Arrangement);
    }

    // ---- Disputes, extensions, parking, hand-over, write-off (X4, G10, H8) ----------------------------------------

    [Fact]
    public async Task Disputed_case_gets_nothing_and_after_resolution_the_overdue_steps_resume_one_at_a_time_from_the_next_business_day()
    {
        var h = await OfficeAsync("2026-03-03");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 1000m));
        await h.DayAsync(D("2026-03-03"));
        await h.Engine.Desk.OpenDisputeAsync(Anna, Company, [K("A")], "goods never delivered");
        Assert.Equal((CaseStatus.Disputed, "goods never delivered"), ((await h.CaseAsync("A")).Status, (await h.CaseAsync("A")).DisputeReason));

        // 1st dunning (12/03) and 2nd (27/03) fall due meanwhile: nothing goes out.
        Assert.All(await DaysAsync(h, "2026-03-04", "2026-04-17"), r => Assert.Empty(r.Messages));

        // Resolved on Saturday 18/04.
        h.SetDate(D("2026-04-18"));
        await h.Engine.Desk.ResolveDisputeAsync(Anna, Company, [K("A")], "delivery proven");
        var a = await h.CaseAsync("A");
        Assert.Equal((CaseStatus.Overdue, (LocalDate?)D("2026-04-18"), (string?)null), (a.Status, a.ResumedOn, a.DisputeReason));

        // Only the 1st dunning, on Monday 20/04; the 2nd keeps its 15 days from there (05/05), not at once.
        var sent = await SentAsync(h, "2026-04-18", "2026-05-06");
        Assert.Equal(["2026-04-20 dunning-1", "2026-05-05 dunning-2"], sent);
    }

    [Fact]
    public async Task Extension_suspends_the_case_until_its_last_day_and_the_day_after_it_resumes()
    {
        var h = await OfficeAsync("2026-03-03");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 1000m));
        await h.DayAsync(D("2026-03-03"));

        await h.Engine.Desk.GrantExtensionAsync(Anna, Company, [K("A")], D("2026-03-19"), "seasonal business");
        var a = await h.CaseAsync("A");
        Assert.Equal((CaseStatus.Suspended, (LocalDate?)D("2026-03-19")), (a.Status, a.SuspendedUntil));

        Assert.Empty(await SentAsync(h, "2026-03-03", "2026-03-19")); // the 1st dunning (12/03) waits
        Assert.Equal(CaseStatus.Suspended, (await h.CaseAsync("A")).Status);

        Assert.Equal(["2026-03-20 dunning-1"], await SentAsync(h, "2026-03-20", "2026-03-20"));
        a = await h.CaseAsync("A");
        Assert.Equal(CaseStatus.InProcedure, a.Status);
        Assert.Null(a.SuspendedUntil);
        Assert.Contains(h.Store.AllHistory(Company), e => e.CaseKey == K("A") && e.Kind == "ExtensionEnded" && e.BusinessDate == D("2026-03-20"));
    }

    [Fact]
    public async Task Extension_cannot_end_in_the_past()
    {
        var h = await OfficeAsync("2026-03-03");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 1000m));
        await h.DayAsync(D("2026-03-03"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () =>
            await h.Engine.Desk.GrantExtensionAsync(Anna, Company, [K("A")], D("2026-03-02"), "too late"));
        Assert.Equal(CaseStatus.Overdue, (await h.CaseAsync("A")).Status);
    }

    [Fact]
    public async Task Parked_case_gets_nothing_until_resumed_then_the_step_that_fell_due_runs()
    {
        var h = await OfficeAsync("2026-03-03");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 1000m));
        await h.DayAsync(D("2026-03-03"));

        await h.Engine.Desk.ParkAsync(Anna, Company, [K("A")], ParkingArea.NotScheduled, "waiting for the customer's bank");
        var a = await h.CaseAsync("A");
        Assert.Equal((CaseStatus.Parked, (ParkingArea?)ParkingArea.NotScheduled, (LocalDate?)null), (a.Status, a.ParkedIn, a.NextActionDate));
        Assert.Empty(await SentAsync(h, "2026-03-04", "2026-03-15"));

        h.SetDate(D("2026-03-16"));
        await h.Engine.Desk.ResumeAsync(Anna, Company, [K("A")], "bank answered");
        a = await h.CaseAsync("A");
        Assert.Equal((CaseStatus.Overdue, (ParkingArea?)null), (a.Status, a.ParkedIn));
        Assert.Equal(["2026-03-16 dunning-1"], await SentAsync(h, "2026-03-16", "2026-03-17"));
    }

    [Fact]
    public async Task Handed_over_case_leaves_the_procedure()
    {
        var h = await OfficeAsync("2026-03-03");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 1000m));
        await h.DayAsync(D("2026-03-03"));
        var lawyer = new HandOverTarget(HandOverKind.Lawyer, "Avv. Bianchi", "pratica 42");

        await h.Engine.Desk.HandOverAsync(Anna, Company, [K("A")], lawyer, "customer unreachable");

        var a = await h.CaseAsync("A");
        Assert.Equal((CaseStatus.HandedOver, lawyer), (a.Status, a.HandedOverTo));
        Assert.Empty(await SentAsync(h, "2026-03-04", "2026-04-30"));
        Assert.Equal(CaseStatus.HandedOver, (await h.CaseAsync("A")).Status);
    }

    [Fact]
    public async Task Written_off_case_is_closed_and_stays_in_the_archive_with_its_history()
    {
        var h = await OfficeAsync("2026-03-03");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 40m));
        await h.DayAsync(D("2026-03-03"));

        await h.Engine.Desk.WriteOffAsync(Sara, Company, [K("A")], "not worth recovering");

        var a = await h.CaseAsync("A");
        Assert.Equal((CaseStatus.Closed, (ClosureReason?)ClosureReason.WrittenOff, (LocalDate?)D("2026-03-03")), (a.Status, a.ClosedBecause, a.ClosedOn));
        Assert.Empty(await KeysAsync(h.Engine.Desk.GetCasesAsync(Anna, Company, CaseFilter.Open)));
        Assert.Equal(["A"], await KeysAsync(h.Engine.Desk.GetCasesAsync(Anna, Company, CaseFilter.All)));
        var file = await h.Engine.Desk.GetCaseFileAsync(Anna, Company, K("A"));
        var last = file.History[^1];
        Assert.Equal(("WriteOff", Sara, (CaseStatus?)CaseStatus.Closed), (last.Kind, last.Actor, last.To));
        Assert.Equal("CaseOpened", file.History[0].Kind);
    }

    [Fact]
    public async Task Written_off_case_stays_closed_although_the_ledger_still_shows_it_open()
    {
        var h = await OfficeAsync("2026-03-03");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 40m));
        await h.DayAsync(D("2026-03-03"));
        await h.Engine.Desk.WriteOffAsync(Sara, Company, [K("A")], "not worth recovering");

        Assert.Empty(await SentAsync(h, "2026-03-04", "2026-04-30"));
        var a = await h.CaseAsync("A");
        Assert.Equal((CaseStatus.Closed, (ClosureReason?)ClosureReason.WrittenOff), (a.Status, a.ClosedBecause));
    }

    // ---- Operator-confirmed steps and activities (M4/M5, G9) ------------------------------------------------------

    [Fact]
    public async Task Completing_a_confirmation_task_queues_one_message_listing_all_its_installments_and_cannot_be_repeated()
    {
        var h = await OfficeAsync("2026-03-03", o => o.Procedures.Add(Confirmed));
        await h.Engine.Desk.AssignProcedureAsync(Root, new ProcedureAssignment(Company, ProcedureScope.Customer, "C1", ProcedurePurpose.Ordinary, Confirmed.Id));
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 1000m)).Put(Installment("B", "C1", D("2026-03-02"), 500m));

        // 2/3 + 5 days is Saturday 7/3: on Monday the step waits for an operator, nothing is sent.
        var reports = await DaysAsync(h, "2026-03-03", "2026-03-09");
        Assert.All(reports, r => Assert.Empty(r.Messages));
        var task = Assert.Single(reports.SelectMany(r => r.Tasks));
        Assert.Equal((OperatorTaskKind.ConfirmCommunication, (OperatorId?)Anna, D("2026-03-09")), (task.Kind, task.AssignedTo, task.DueOn));
        Assert.Equal([K("A"), K("B")], task.Installments);
        Assert.Equal(CaseStatus.AwaitingOperator, (await h.CaseAsync("A")).Status);

        await h.Engine.Desk.CompleteTaskAsync(Anna, Company, task.Id, "checked, send it");

        var message = Assert.Single(h.Store.AllOutbox(Company));
        Assert.Equal(("confirmed-dunning", DeliveryChannel.Email), (message.StepId, message.Channel));
        Assert.Equal([K("A"), K("B")], message.Lines.Select(l => l.Key));
        Assert.Equal(CaseStatus.InProcedure, (await h.CaseAsync("A")).Status);
        Assert.Equal(CaseStatus.InProcedure, (await h.CaseAsync("B")).Status);
        Assert.Empty(await h.OpenTasksAsync());

        await Assert.ThrowsAsync<InvalidCaseOperationException>(async () => await h.Engine.Desk.CompleteTaskAsync(Anna, Company, task.Id, "again"));
        Assert.Empty(await SentAsync(h, "2026-03-10", "2026-03-12"));
        Assert.Single(h.Store.AllOutbox(Company));
    }

    [Fact]
    public async Task Activity_with_a_follow_up_creates_a_task_for_the_actor_and_a_history_event_on_the_named_cases()
    {
        var h = await OfficeAsync("2026-03-03");
        h.Ledger.Put(Installment("A", "C1", D("2026-03-02"), 1000m)).Put(Installment("B", "C1", D("2026-03-02"), 500m));
        await h.DayAsync(D("2026-03-03"));

        var activity = await h.Engine.Desk.RecordActivityAsync(Anna, Company, new ActivityRequest
        {
            CustomerCode = "C1",
            Kind = ActivityKind.PhoneCall,
            Installments = [K("A")],
            Outcome = "the accountant will call back",
            FollowUpOn = D("2026-03-10"),
        });

        var task = Assert.Single(await h.OpenTasksAsync());
        Assert.Equal((OperatorTaskKind.FollowUp, (OperatorId?)Anna, D("2026-03-10"), (string?)task.Id), (task.Kind, task.AssignedTo, task.DueOn, activity.FollowUpTaskId));
        Assert.Equal([K("A")], task.Installments);

        var file = await h.Engine.Desk.GetCaseFileAsync(Anna, Company, K("A"));
        var last = file.History[^1];
        Assert.Equal(("ActivityPhoneCall", Anna), (last.Kind, last.Actor));
        Assert.Contains("the accountant will call back", last.Reason, StringComparison.Ordinal);
        Assert.Equal(activity.Id, Assert.Single(file.Activities).Id);
        Assert.Equal(task.Id, Assert.Single(file.OpenTasks).Id);
        Assert.DoesNotContain(h.Store.AllHistory(Company), e => e.CaseKey == K("B") && e.Kind == "ActivityPhoneCall");
    }

    // ---- Agenda and workload (H3, H4) -----------------------------------------------------------------------------

    [Fact]
    public void Monthly_recurrence_from_31_January_is_anchored_on_the_first_date_without_drift()
    {
        var entry = Agenda("month-end", Anna, D("2026-01-31"), Period.FromMonths(1));

        var dates = OperatorDesk.Occurrences(entry, new DateInterval(D("2026-01-01"), D("2026-05-31")));

        Assert.Equal([D("2026-01-31"), D("2026-02-28"), D("2026-03-31"), D("2026-04-30"), D("2026-05-31")], dates);
    }

    [Fact]
    public void Recurrence_end_is_honoured_and_occurrences_before_the_period_are_left_out()
    {
        var entry = Agenda("month-end", Anna, D("2026-01-31"), Period.FromMonths(1)) with { RecurrenceEnd = D("2026-04-29") };

        Assert.Equal([D("2026-02-28"), D("2026-03-31")], OperatorDesk.Occurrences(entry, new DateInterval(D("2026-02-01"), D("2026-12-31"))));
        Assert.Equal([D("2026-03-31")], OperatorDesk.Occurrences(entry with { Recurrence = null, Date = D("2026-03-31") }, new DateInterval(D("2026-01-01"), D("2026-12-31"))));
    }

    [Property(MaxTest = 200)]
    public bool Monthly_occurrences_are_the_first_date_plus_whole_months(ushort startOffset, byte months)
    {
        var start = D("2024-01-01").PlusDays(startOffset % 1500);
        var period = new DateInterval(start, start.PlusMonths(months % 40));
        var expected = Enumerable.Range(0, (months % 40) + 1).Select(n => start.PlusMonths(n));
        return OperatorDesk.Occurrences(Agenda("m", Anna, start, Period.FromMonths(1)), period).SequenceEqual(expected);
    }

    [Fact]
    public async Task Workload_counts_open_tasks_and_agenda_occurrences_per_operator_per_day()
    {
        var h = await OfficeWithOneCaseEachAsync();
        var desk = h.Engine.Desk;
        await desk.SaveAgendaEntryAsync(Anna, Agenda("anna-weekly", Anna, D("2026-03-02"), Period.FromWeeks(1)));
        await desk.SaveAgendaEntryAsync(Bruno, Agenda("bruno-once", Bruno, D("2026-03-04"), null));
        await desk.RecordActivityAsync(Anna, Company, new ActivityRequest { CustomerCode = "C1", Kind = ActivityKind.Note, FollowUpOn = D("2026-03-04") });
        h.Clock.Advance(Duration.FromMinutes(5));
        await desk.RecordActivityAsync(Anna, Company, new ActivityRequest { CustomerCode = "C1", Kind = ActivityKind.PhoneCall, FollowUpOn = D("2026-03-04") });
        await desk.RecordActivityAsync(Bruno, Company, new ActivityRequest { CustomerCode = "C2", Kind = ActivityKind.PhoneCall, FollowUpOn = D("2026-03-05") });
        var week = new DateInterval(D("2026-03-02"), D("2026-03-09"));

        Assert.Equal(
            ["anna 2026-03-02 0+1", "anna 2026-03-04 2+0", "anna 2026-03-09 0+1"],
            (await desk.GetWorkloadAsync(Sara, Company, week)).Select(Describe));
        Assert.Equal(
            ["anna 2026-03-02 0+1", "anna 2026-03-04 2+0", "bruno 2026-03-04 0+1", "bruno 2026-03-05 1+0", "anna 2026-03-09 0+1"],
            (await desk.GetWorkloadAsync(Root, Company, week)).Select(Describe));
        Assert.Equal(["bruno 2026-03-04 0+1", "bruno 2026-03-05 1+0"], (await desk.GetWorkloadAsync(Bruno, Company, week)).Select(Describe));
        Assert.Equal(3, (await desk.GetAgendaAsync(Root, Company, week)).Count);
        await Assert.ThrowsAsync<AccessDeniedException>(async () => await desk.SaveAgendaEntryAsync(Anna, Agenda("for-bruno", Bruno, D("2026-03-04"), null)));
    }

    // ---- Helpers --------------------------------------------------------------------------------------------------

    private static LocalDate D(string iso) => LocalDatePattern.Iso.Parse(iso).Value;

    private static InstallmentKey K(string key) => new(key);

    /// <summary>The staffed office on <paramref name="date"/>, customers C1 (anna), C2 (bruno) and C3 (nobody) in the ledger.</summary>
    private static async Task<EngineHarness> OfficeAsync(string date, Action<CreditRecoveryOptions>? configure = null)
    {
        var h = new EngineHarness(configure);
        h.SetDate(D(date));
        var desk = h.Engine.Desk;
        var acme = new HashSet<CompanyId> { Company };
        await desk.SaveOperatorAsync(OperatorId.System, Company, new Operator { Id = Root, Name = "Root", Role = OperatorRole.Administrator, Companies = acme });
        await desk.SaveOperatorAsync(OperatorId.System, Company, new Operator { Id = Sara, Name = "Sara Verdi", Role = OperatorRole.Supervisor, Companies = acme });
        await desk.SaveOperatorAsync(OperatorId.System, Company, new Operator { Id = Anna, Name = "Anna Rossi", SupervisorId = Sara, Companies = acme });
        await desk.SaveOperatorAsync(OperatorId.System, Company, new Operator { Id = Bruno, Name = "Bruno Neri", Companies = acme });
        await desk.SaveOperatorAsync(OperatorId.System, Company, new Operator { Id = Carla, Name = "Carla Blu", Companies = acme, Active = false });
        var other = new RecoveryChangeSet(OtherCompany);
        other.Operators.Add(new Operator { Id = Dario, Name = "Dario Gialli", Role = OperatorRole.Administrator, Companies = new HashSet<CompanyId> { OtherCompany } });
        await h.Store.CommitAsync(other);
        await desk.AssignCustomerAsync(OperatorId.System, Company, "C1", [Anna]);
        await desk.AssignCustomerAsync(OperatorId.System, Company, "C2", [Bruno]);
        h.Ledger.Put(Customer("C1")).Put(Customer("C2")).Put(Customer("C3"));
        return h;
    }

    /// <summary>The office on 3 March 2026 with one overdue installment per customer: A1 (C1), B1 (C2), X1 (C3).</summary>
    private static async Task<EngineHarness> OfficeWithOneCaseEachAsync()
    {
        var h = await OfficeAsync("2026-03-03");
        h.Ledger.Put(Installment("A1", "C1", D("2026-03-02"), 100m))
            .Put(Installment("B1", "C2", D("2026-03-02"), 200m))
            .Put(Installment("X1", "C3", D("2026-03-02"), 300m));
        await h.DayAsync(D("2026-03-03"));
        return h;
    }

    /// <summary>Runs every day from <paramref name="from"/> to <paramref name="to"/>, inclusive.</summary>
    private static async Task<List<RunReport>> DaysAsync(EngineHarness h, string from, string to, Action<LocalDate>? before = null)
    {
        var reports = new List<RunReport>();
        for (var day = D(from); day <= D(to); day = day.PlusDays(1))
        {
            before?.Invoke(day);
            reports.Add(await h.DayAsync(day));
        }

        return reports;
    }

    /// <summary>The messages the runs of a period queue, as "date step".</summary>
    private static async Task<List<string>> SentAsync(EngineHarness h, string from, string to) =>
        (await DaysAsync(h, from, to)).SelectMany(r => r.Messages.Select(m => $"{LocalDatePattern.Iso.Format(r.BusinessDate)} {m.StepId}")).ToList();

    private static async Task<List<string>> KeysAsync(IAsyncEnumerable<RecoveryCase> cases)
    {
        var keys = new List<string>();
        await foreach (var c in cases)
        {
            keys.Add(c.Key.Value);
        }

        return keys;
    }

    private static async Task AddUnassignedTaskAsync(EngineHarness h, string customer, LocalDate due)
    {
        var changes = new RecoveryChangeSet(Company);
        changes.Tasks.Add(new OperatorTask
        {
            Id = $"{Company}/{customer}/manual",
            Company = Company,
            CustomerCode = customer,
            Kind = OperatorTaskKind.Custom,
            Title = "Nobody's task",
            DueOn = due,
            Installments = [],
            Why = "test",
            CreatedAt = h.Clock.GetCurrentInstant(),
        });
        await h.Store.CommitAsync(changes);
    }

    private static AgendaEntry Agenda(string id, OperatorId owner, LocalDate date, Period? recurrence) => new()
    {
        Id = id,
        Company = Company,
        Owner = owner,
        Title = id,
        Date = date,
        Recurrence = recurrence,
    };

    private static string Describe(OperatorTask t) => $"{t.CustomerCode}→{t.AssignedTo?.Value ?? "nobody"}";

    private static string Describe(DailyWorkload w) => $"{w.Operator} {LocalDatePattern.Iso.Format(w.Date)} {w.Tasks}+{w.AgendaEntries}";
}
