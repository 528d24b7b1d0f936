using CreditRecovery.Procedures;
using NodaTime;

namespace CreditRecovery.Cases;

/// <summary>
/// The recovery case (*pratica / scheda di gestione credito*) of one installment, kept in step with the ledger until it
/// is paid or parked (M4, M6). Cases are immutable values; the engine writes new versions through the store.
/// </summary>
public sealed record RecoveryCase
{
    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The installment's ledger key; one case per installment.</summary>
    public required InstallmentKey Key { get; init; }

    /// <summary>The customer code.</summary>
    public required string CustomerCode { get; init; }

    /// <summary>The installment as the ledger last showed it.</summary>
    public required Installment Installment { get; init; }

    /// <summary>Current status.</summary>
    public required CaseStatus Status { get; init; }

    /// <summary>
    /// The recovery cycle, from 1. A case that reopens (e.g. a paid RiBa that comes back unpaid) starts a new cycle,
    /// and the steps of the new cycle are tracked apart from the old ones.
    /// </summary>
    public int Cycle { get; init; } = 1;

    /// <summary>The procedure of the current cycle, chosen when the cycle started.</summary>
    public required string ProcedureId { get; init; }

    /// <summary>The date steps timed "after the due date" count from: the due date, or the unpaid-receipt date.</summary>
    public required LocalDate AnchorDate { get; init; }

    /// <summary>The steps that ran (or were skipped) in this and earlier cycles, in order.</summary>
    public IReadOnlyList<StepExecution> Steps { get; init; } = [];

    /// <summary>The next date the daily run must look at this case; <see langword="null"/> when nothing is scheduled.</summary>
    public LocalDate? NextActionDate { get; init; }

    /// <summary>
    /// Set when the case resumes after a pause (broken promise, resolved dispute, ended extension, unparking): steps
    /// that fell due during the pause run on this date, not all at once on their old dates' strength.
    /// </summary>
    public LocalDate? ResumedOn { get; init; }

    /// <summary>The step waiting for an operator, when <see cref="Status"/> is <see cref="CaseStatus.AwaitingOperator"/>.</summary>
    public int? PendingStepIndex { get; init; }

    /// <summary>The promise to pay or payment plan in force.</summary>
    public PaymentArrangement? Arrangement { get; init; }

    /// <summary>End of the suspension (inclusive), when <see cref="CaseStatus.Suspended"/>.</summary>
    public LocalDate? SuspendedUntil { get; init; }

    /// <summary>The customer's reason, when <see cref="CaseStatus.Disputed"/>.</summary>
    public string? DisputeReason { get; init; }

    /// <summary>The area, when <see cref="CaseStatus.Parked"/>.</summary>
    public ParkingArea? ParkedIn { get; init; }

    /// <summary>The lawyer or agency, when <see cref="CaseStatus.HandedOver"/>.</summary>
    public HandOverTarget? HandedOverTo { get; init; }

    /// <summary>Why the case closed, when <see cref="CaseStatus.Closed"/>.</summary>
    public ClosureReason? ClosedBecause { get; init; }

    /// <summary>When the case closed.</summary>
    public LocalDate? ClosedOn { get; init; }

    /// <summary>When the case opened.</summary>
    public required LocalDate OpenedOn { get; init; }

    /// <summary>The <see cref="HistoryEvent.Hash"/> of the case's latest history event: the head of its hash chain.</summary>
    public string? LastHistoryHash { get; init; }

    /// <summary>Optimistic-concurrency version: 0 before the first write, then incremented by every write.</summary>
    public long Version { get; init; }

    /// <summary>Whether the case is still being recovered (anything but closed).</summary>
    public bool IsOpen => Status != CaseStatus.Closed;

    /// <summary>The steps of the current cycle.</summary>
    public IEnumerable<StepExecution> CurrentCycleSteps => Steps.Where(s => s.Cycle == Cycle);
}

/// <summary>What happened to one step of a procedure for one case.</summary>
/// <param name="Cycle">The recovery cycle.</param>
/// <param name="ProcedureId">The procedure.</param>
/// <param name="StepIndex">The step's position in the procedure, from 0.</param>
/// <param name="StepId">The step's identifier.</param>
/// <param name="ScheduledOn">The date the step was due.</param>
/// <param name="ExecutedOn">The business date it was carried out (or skipped).</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Reference">The outbox message or operator task it produced, if any.</param>
/// <param name="Note">Why it was skipped, or the operator's note.</param>
public sealed record StepExecution(
    int Cycle,
    string ProcedureId,
    int StepIndex,
    string StepId,
    LocalDate ScheduledOn,
    LocalDate ExecutedOn,
    StepOutcome Outcome,
    string? Reference = null,
    string? Note = null);

/// <summary>What happened to a step.</summary>
public enum StepOutcome
{
    /// <summary>A message was queued in the outbox.</summary>
    MessageQueued,

    /// <summary>An operator carried out or confirmed the step.</summary>
    CompletedByOperator,

    /// <summary>The case was parked or handed over.</summary>
    CaseMoved,

    /// <summary>The step's conditions did not hold for this installment.</summary>
    SkippedByCondition,

    /// <summary>The step's moment passed before it could run (a pre-due reminder caught up after the due date).</summary>
    Expired,
}

/// <summary>
/// A promise to pay (*promessa di pagamento*) or a payment plan (*piano di rientro*, X4): agreed payments, each checked
/// against the ledger on its date. A promise is a plan with one payment.
/// </summary>
/// <param name="Payments">The agreed payments, by date.</param>
/// <param name="ResidualWhenAgreed">The open residual when the agreement was made.</param>
/// <param name="AgreedBy">The operator who recorded it.</param>
/// <param name="AgreedOn">The business date it was recorded.</param>
public sealed record PaymentArrangement(IReadOnlyList<AgreedPayment> Payments, Money ResidualWhenAgreed, OperatorId AgreedBy, LocalDate AgreedOn)
{
    /// <summary>Whether the arrangement has more than one payment.</summary>
    public bool IsPlan => Payments.Count > 1;

    /// <summary>The total due by <paramref name="date"/> (inclusive) under the arrangement.</summary>
    /// <param name="date">The date.</param>
    public Money DueBy(LocalDate date) =>
        Payments.Where(p => p.Date <= date).Aggregate(Money.Zero(ResidualWhenAgreed.Currency), (sum, p) => sum + p.Amount);
}

/// <summary>One agreed payment.</summary>
/// <param name="Date">The date by which it must be paid.</param>
/// <param name="Amount">The amount.</param>
public sealed record AgreedPayment(LocalDate Date, Money Amount);
