using System.Globalization;

namespace CreditRecovery.Procedures;

/// <summary>When a step becomes due, relative to an anchor: e.g. "10 business days after the due date".</summary>
/// <param name="Anchor">What the days count from.</param>
/// <param name="Days">How many days; zero means on the anchor date itself. Never negative: use <see cref="TimingAnchor.BeforeDueDate"/>.</param>
/// <param name="Unit">Calendar or business days.</param>
public sealed record StepTiming(TimingAnchor Anchor, int Days, DayUnit Unit = DayUnit.Calendar)
{
    /// <summary><paramref name="days"/> calendar days before the due date.</summary>
    /// <param name="days">Days.</param>
    public static StepTiming BeforeDue(int days) => new(TimingAnchor.BeforeDueDate, days);

    /// <summary><paramref name="days"/> days after the due date (or after the unpaid-receipt date on the unpaid-receipt procedure).</summary>
    /// <param name="days">Days.</param>
    /// <param name="unit">Calendar or business days.</param>
    public static StepTiming AfterDue(int days, DayUnit unit = DayUnit.Calendar) => new(TimingAnchor.AfterDueDate, days, unit);

    /// <summary><paramref name="days"/> days after the previous step ran.</summary>
    /// <param name="days">Days.</param>
    /// <param name="unit">Calendar or business days.</param>
    public static StepTiming AfterPrevious(int days, DayUnit unit = DayUnit.Calendar) => new(TimingAnchor.AfterPreviousStep, days, unit);

    /// <summary>A short English description, e.g. "10 business days after the previous step".</summary>
    public override string ToString()
    {
        var unit = (Unit == DayUnit.Business ? "business day" : "day") + (Days == 1 ? "" : "s");
        return Anchor switch
        {
            TimingAnchor.BeforeDueDate => string.Create(CultureInfo.InvariantCulture, $"{Days} {unit} before the due date"),
            TimingAnchor.AfterDueDate => string.Create(CultureInfo.InvariantCulture, $"{Days} {unit} after the due date"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{Days} {unit} after the previous step"),
        };
    }
}

/// <summary>What a step's days count from.</summary>
public enum TimingAnchor
{
    /// <summary>Before the installment's due date (pre-due reminders).</summary>
    BeforeDueDate,

    /// <summary>After the due date; on the unpaid-receipt procedure, after the date the receipt came back unpaid.</summary>
    AfterDueDate,

    /// <summary>After the date the previous step of the procedure ran.</summary>
    AfterPreviousStep,
}

/// <summary>How days are counted.</summary>
public enum DayUnit
{
    /// <summary>Calendar days; a date that falls on a non-working day moves to the next working day.</summary>
    Calendar,

    /// <summary>Working days of the company's business calendar.</summary>
    Business,
}

/// <summary>Conditions for a step to run for an installment. All given conditions must hold.</summary>
public sealed record StepConditions
{
    /// <summary>No condition.</summary>
    public static StepConditions None { get; } = new();

    /// <summary>Minimum open residual of the installment; below it, the step is skipped.</summary>
    public decimal? MinimumResidual { get; init; }

    /// <summary>Only for these payment types; <see langword="null"/> or empty means all.</summary>
    public IReadOnlySet<PaymentType>? PaymentTypes { get; init; }

    /// <summary>Only for customers of these categories; <see langword="null"/> or empty means all.</summary>
    public IReadOnlySet<string>? CustomerCategories { get; init; }
}

/// <summary>Who receives an operator task created by a step.</summary>
/// <param name="Kind">The rule.</param>
/// <param name="OperatorId">The operator, for <see cref="AssigneeKind.Fixed"/>.</param>
public sealed record AssigneeRule(AssigneeKind Kind, OperatorId? OperatorId = null)
{
    /// <summary>The customer's first responsible operator.</summary>
    public static AssigneeRule CustomerResponsible { get; } = new(AssigneeKind.CustomerResponsible);

    /// <summary>The operator mapped to the customer's agent.</summary>
    public static AssigneeRule ByAgent { get; } = new(AssigneeKind.Agent);

    /// <summary>The operator mapped to the customer's sales area.</summary>
    public static AssigneeRule BySalesArea { get; } = new(AssigneeKind.SalesArea);

    /// <summary>Round robin over the company's pool, least loaded first.</summary>
    public static AssigneeRule RoundRobin { get; } = new(AssigneeKind.RoundRobinByWorkload);

    /// <summary>Always the given operator.</summary>
    /// <param name="operatorId">The operator.</param>
    public static AssigneeRule Fixed(OperatorId operatorId) => new(AssigneeKind.Fixed, operatorId);
}

/// <summary>Assignment rules for operator tasks.</summary>
public enum AssigneeKind
{
    /// <summary>The customer's first responsible operator; falls back to round robin when the customer has none.</summary>
    CustomerResponsible,

    /// <summary>The operator mapped to the customer's agent; falls back to round robin.</summary>
    Agent,

    /// <summary>The operator mapped to the customer's sales area; falls back to round robin.</summary>
    SalesArea,

    /// <summary>The least loaded operator of the company's pool on the task's date (ties: pool order).</summary>
    RoundRobinByWorkload,

    /// <summary>A fixed operator.</summary>
    Fixed,
}
