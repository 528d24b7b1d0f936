using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Harness = CreditRecovery.Engine.Tests.EngineHarness.Procedures;

namespace CreditRecovery.Engine.Tests.Procedures;

public sealed class ProcedureValidatorTests
{
    // ---------------------------------------------------------------- helpers

    private static ProcedureStep Email(string id, StepTiming timing, string? template = "t") =>
        new() { Id = id, Name = id, Action = StepAction.Email, Timing = timing, TemplateId = template };

    private static ProcedureStep Reminder(string id, StepTiming timing) =>
        new() { Id = id, Name = id, Action = StepAction.PreDueReminder, Timing = timing, TemplateId = "t" };

    private static ProcedureStep Call(string id, StepTiming timing, AssigneeRule? assignee = null) =>
        new() { Id = id, Name = id, Action = StepAction.PhoneCall, Timing = timing, Assignee = assignee ?? AssigneeRule.CustomerResponsible };

    private static ProcedureStep Park(string id, StepTiming timing, ParkingArea? area = ParkingArea.Legal) =>
        new() { Id = id, Name = id, Action = StepAction.Park, Timing = timing, ParkingArea = area };

    private static ProcedureStep HandOver(string id, StepTiming timing, HandOverTarget? target) =>
        new() { Id = id, Name = id, Action = StepAction.HandOver, Timing = timing, HandOverTo = target };

    private static RecoveryProcedure Procedure(string id, params ProcedureStep[] steps) => new() { Id = id, Name = id, Steps = steps };

    /// <summary>Options with the harness's procedures and one company using them, plus <paramref name="extra"/> procedures.</summary>
    private static CreditRecoveryOptions Options(Action<CompanySettings>? company = null, params RecoveryProcedure[] extra)
    {
        var options = new CreditRecoveryOptions();
        options.Procedures.Add(Harness.Standard);
        options.Procedures.Add(Harness.UnpaidReceipt);
        foreach (var p in extra)
        {
            options.Procedures.Add(p);
        }

        var settings = new CompanySettings
        {
            Id = "ACME",
            Profile = new CompanyProfile { Name = "ACME S.p.A." },
            DefaultProcedureId = Harness.Standard.Id,
            UnpaidReceiptProcedureId = Harness.UnpaidReceipt.Id,
        };
        company?.Invoke(settings);
        options.Companies.Add(settings);
        return options;
    }

    /// <summary>Asserts exactly one error, naming the procedure and the step, and containing <paramref name="fragment"/>.</summary>
    private static string AssertSingleError(IReadOnlyList<string> errors, string procedure, string step, string fragment)
    {
        var error = Assert.Single(errors);
        Assert.Contains($"procedure '{procedure}'", error, StringComparison.Ordinal);
        Assert.Contains($"'{step}'", error, StringComparison.Ordinal);
        Assert.Contains(fragment, error, StringComparison.Ordinal);
        return error;
    }

    private sealed class FixedTemplates(params string[] ids) : ITemplateRenderer
    {
        private readonly HashSet<string> _ids = new(ids, StringComparer.Ordinal);

        public bool HasTemplate(string templateId) => _ids.Contains(templateId);

        public ValueTask<RenderedMessage> RenderAsync(string templateId, MessageModel model, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new RenderedMessage(templateId, templateId));
    }

    // ---------------------------------------------------------------- the harness's procedures

    [Fact]
    public void The_harness_procedures_validate_clean()
    {
        Assert.Empty(ProcedureValidator.Validate(Harness.Standard));
        Assert.Empty(ProcedureValidator.Validate(Harness.UnpaidReceipt));
        Assert.Empty(ProcedureValidator.Validate(Options()));
        Assert.Empty(ProcedureValidator.Validate(Options(), new FixedTemplates("pre-due", "dunning-1", "dunning-2", "formal-demand", "unpaid-receipt")));
        ProcedureValidator.ThrowIfInvalid(Options());
    }

    // ---------------------------------------------------------------- rules

    [Fact]
    public void Duplicate_procedure_ids_are_reported()
    {
        var errors = ProcedureValidator.Validate(Options(null, Harness.Standard with { Name = "Copy" }));
        var error = Assert.Single(errors);
        Assert.Contains("procedure 'standard'", error, StringComparison.Ordinal);
        Assert.Contains("used twice", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_step_ids_are_reported()
    {
        var p = Procedure("dup", Email("a", StepTiming.AfterDue(1)), Email("a", StepTiming.AfterPrevious(5)));
        var error = AssertSingleError(ProcedureValidator.Validate(p), "dup", "a", "used twice");
        Assert.Contains("step 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_procedure_without_steps_is_reported()
    {
        var error = Assert.Single(ProcedureValidator.Validate(Procedure("empty")));
        Assert.Contains("procedure 'empty'", error, StringComparison.Ordinal);
        Assert.Contains("no steps", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  ")]
    public void A_communication_without_template_is_reported(string? template)
    {
        var p = Procedure("p", Email("mail", StepTiming.AfterDue(3), template));
        AssertSingleError(ProcedureValidator.Validate(p), "p", "mail", "needs a template");
    }

    [Fact]
    public void An_unknown_template_is_reported_only_when_a_renderer_is_given()
    {
        var p = Procedure("p", Email("known", StepTiming.AfterDue(3), "dunning-1"), Email("unknown", StepTiming.AfterPrevious(3), "nope"));
        Assert.Empty(ProcedureValidator.Validate(p));
        var error = AssertSingleError(ProcedureValidator.Validate(p, new FixedTemplates("dunning-1")), "p", "unknown", "template 'nope' does not exist");
        Assert.Contains("step 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pre_due_reminder_not_before_the_due_date_is_reported()
    {
        var p = Procedure("p", Reminder("late-reminder", StepTiming.AfterDue(2)));
        AssertSingleError(ProcedureValidator.Validate(p), "p", "late-reminder", "must be timed before the due date");
    }

    [Fact]
    public void A_message_before_the_due_date_must_be_a_pre_due_reminder()
    {
        var p = Procedure("p", Email("early-mail", StepTiming.BeforeDue(2)));
        AssertSingleError(ProcedureValidator.Validate(p), "p", "early-mail", "must be a pre-due reminder");
    }

    [Theory]
    [InlineData(TimingAnchor.AfterDueDate)]
    [InlineData(TimingAnchor.AfterPreviousStep)]
    public void A_before_due_step_after_an_after_due_step_is_reported(TimingAnchor anchor)
    {
        var p = Procedure("p", Email("first", new StepTiming(anchor, 3)), Reminder("too-late", StepTiming.BeforeDue(2)));
        var error = AssertSingleError(ProcedureValidator.Validate(p), "p", "too-late", "can never fire");
        Assert.Contains("step 2", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(5)]
    public void After_due_days_that_do_not_increase_are_reported(int secondDays)
    {
        var p = Procedure("p", Email("d1", StepTiming.AfterDue(10)), Email("d2", StepTiming.AfterDue(secondDays)));
        AssertSingleError(ProcedureValidator.Validate(p), "p", "d2", "the order is wrong");
    }

    [Fact]
    public void After_due_days_compare_with_the_last_after_due_step_across_after_previous_steps()
    {
        var ok = Procedure("p", Email("d1", StepTiming.AfterDue(10)), Email("d2", StepTiming.AfterPrevious(5)), Email("d3", StepTiming.AfterDue(11)));
        Assert.Empty(ProcedureValidator.Validate(ok));
        var bad = Procedure("p", Email("d1", StepTiming.AfterDue(10)), Email("d2", StepTiming.AfterPrevious(5)), Email("d3", StepTiming.AfterDue(9)));
        AssertSingleError(ProcedureValidator.Validate(bad), "p", "d3", "(10 days)");
    }

    [Theory]
    [InlineData(StepAction.Park)]
    [InlineData(StepAction.HandOver)]
    public void Steps_after_a_park_or_hand_over_are_reported(StepAction action)
    {
        var leave = action == StepAction.Park
            ? Park("leave", StepTiming.AfterDue(30))
            : HandOver("leave", StepTiming.AfterDue(30), new HandOverTarget(HandOverKind.Lawyer, "Studio Rossi"));
        var p = Procedure("p", Email("d1", StepTiming.AfterDue(10)), leave, Email("after", StepTiming.AfterPrevious(5)));
        var error = AssertSingleError(ProcedureValidator.Validate(p), "p", "leave", "steps after it can never fire");
        Assert.Contains("step 2", error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_park_without_area_is_reported()
    {
        var p = Procedure("p", Email("d1", StepTiming.AfterDue(10)), Park("park", StepTiming.AfterPrevious(5), area: null));
        AssertSingleError(ProcedureValidator.Validate(p), "p", "park", "needs a parking area");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData(" ")]
    public void A_hand_over_without_target_is_reported(string? name)
    {
        var target = name is null ? null : new HandOverTarget(HandOverKind.CollectionAgency, name);
        var p = Procedure("p", Email("d1", StepTiming.AfterDue(10)), HandOver("agency", StepTiming.AfterPrevious(5), target));
        AssertSingleError(ProcedureValidator.Validate(p), "p", "agency", "needs a lawyer or agency");
    }

    [Fact]
    public void A_fixed_assignee_without_operator_is_reported()
    {
        var p = Procedure("p", Call("call", StepTiming.AfterDue(10), new AssigneeRule(AssigneeKind.Fixed)));
        AssertSingleError(ProcedureValidator.Validate(p), "p", "call", "fixed assignee needs an operator");
        Assert.Empty(ProcedureValidator.Validate(Procedure("p", Call("call", StepTiming.AfterDue(10), AssigneeRule.Fixed(new OperatorId("anna"))))));
    }

    [Theory]
    [InlineData(TimingAnchor.BeforeDueDate)]
    [InlineData(TimingAnchor.AfterDueDate)]
    [InlineData(TimingAnchor.AfterPreviousStep)]
    public void Negative_days_are_reported(TimingAnchor anchor)
    {
        var step = anchor == TimingAnchor.BeforeDueDate
            ? Reminder("neg", new StepTiming(anchor, -1))
            : Call("neg", new StepTiming(anchor, -1));
        AssertSingleError(ProcedureValidator.Validate(Procedure("p", step)), "p", "neg", "days cannot be negative");
    }

    [Fact]
    public void A_negative_tolerance_or_minimum_residual_is_reported()
    {
        var p = Procedure("p", Call("call", StepTiming.AfterDue(1)) with { Conditions = new StepConditions { MinimumResidual = -1m } }) with { Tolerance = -0.01m };
        var errors = ProcedureValidator.Validate(p);
        Assert.Equal(2, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("procedure 'p': the tolerance", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("step 1 'call': the minimum residual", StringComparison.Ordinal));
    }

    [Fact]
    public void A_company_referencing_an_unknown_procedure_is_reported()
    {
        var errors = ProcedureValidator.Validate(Options(c =>
        {
            c.DefaultProcedureId = "missing-default";
            c.UnpaidReceiptProcedureId = "missing-unpaid";
            c.CategoryProcedures["VIP"] = "missing-vip";
        }));
        Assert.Equal(3, errors.Count);
        Assert.All(errors, e => Assert.Contains("company 'ACME'", e, StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("default procedure 'missing-default' is not a configured procedure", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("unpaid-receipt procedure 'missing-unpaid' is not a configured procedure", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("category 'VIP' 'missing-vip' is not a configured procedure", StringComparison.Ordinal));
    }

    [Fact]
    public void A_company_without_default_procedure_is_reported()
    {
        var error = Assert.Single(ProcedureValidator.Validate(Options(c => c.DefaultProcedureId = "")));
        Assert.Contains("company 'ACME': default procedure is not set", error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unpaid_receipt_procedure_with_a_before_due_step_is_reported()
    {
        var errors = ProcedureValidator.Validate(Options(c => c.UnpaidReceiptProcedureId = Harness.Standard.Id));
        AssertSingleError(errors, "standard", "reminder", "unpaid-receipt procedure");

        // The same procedure as the default, ordinary one is fine.
        Assert.Empty(ProcedureValidator.Validate(Options(c => c.UnpaidReceiptProcedureId = null)));
    }

    [Fact]
    public void ThrowIfInvalid_lists_every_problem()
    {
        var p = Procedure("bad", Email("mail", StepTiming.AfterDue(3), template: null), Park("park", StepTiming.AfterPrevious(3), area: null));
        var ex = Assert.Throws<ProcedureValidationException>(() => ProcedureValidator.ThrowIfInvalid(Options(null, p)));
        Assert.Equal(2, ex.Errors.Count);
        Assert.Contains(ex.Errors, e => e.Contains("'mail'", StringComparison.Ordinal));
        Assert.Contains(ex.Errors, e => e.Contains("'park'", StringComparison.Ordinal));
    }
}
