using NodaTime;

namespace CreditRecovery.Work;

/// <summary>Work for an operator in their worklist: a call, a visit, a confirmation, a broken promise to follow up.</summary>
public sealed record OperatorTask
{
    /// <summary>Deterministic identity: the same cause never creates two tasks.</summary>
    public required string Id { get; init; }

    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The customer.</summary>
    public required string CustomerCode { get; init; }

    /// <summary>What to do.</summary>
    public required OperatorTaskKind Kind { get; init; }

    /// <summary>Short title for the worklist.</summary>
    public required string Title { get; init; }

    /// <summary>The operator it is assigned to; <see langword="null"/> when nobody could be found (supervisors see it).</summary>
    public OperatorId? AssignedTo { get; init; }

    /// <summary>The date it is due.</summary>
    public required LocalDate DueOn { get; init; }

    /// <summary>The installments concerned.</summary>
    public required IReadOnlyList<InstallmentKey> Installments { get; init; }

    /// <summary>The procedure step that created it, if any.</summary>
    public string? ProcedureId { get; init; }

    /// <summary>The step's position, if any.</summary>
    public int? StepIndex { get; init; }

    /// <summary>The recovery cycle of the step.</summary>
    public int? Cycle { get; init; }

    /// <summary>Why it exists (X5).</summary>
    public required string Why { get; init; }

    /// <summary>Status.</summary>
    public OperatorTaskStatus Status { get; init; } = OperatorTaskStatus.Open;

    /// <summary>When it was created.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>The outcome recorded when it was done.</summary>
    public string? Outcome { get; init; }

    /// <summary>Who completed it.</summary>
    public OperatorId? CompletedBy { get; init; }

    /// <summary>When it was completed.</summary>
    public Instant? CompletedAt { get; init; }
}

/// <summary>Kinds of operator task.</summary>
public enum OperatorTaskKind
{
    /// <summary>Call the customer.</summary>
    PhoneCall,

    /// <summary>Visit the customer.</summary>
    Visit,

    /// <summary>Any task a procedure defines.</summary>
    Custom,

    /// <summary>Confirm a communication before it is sent.</summary>
    ConfirmCommunication,

    /// <summary>Confirm a parking or hand-over step.</summary>
    ConfirmCaseMove,

    /// <summary>A promise or plan payment was not kept.</summary>
    BrokenPromise,

    /// <summary>The customer lacks the address or number a step's channel needs.</summary>
    MissingContact,

    /// <summary>A follow-up linked to an earlier activity.</summary>
    FollowUp,

    /// <summary>A message could not be delivered (bad address, rejected, no channel): fix the data and resend, or act by hand.</summary>
    DeliveryFailed,
}

/// <summary>Task status.</summary>
public enum OperatorTaskStatus
{
    /// <summary>To do.</summary>
    Open,

    /// <summary>Done.</summary>
    Done,

    /// <summary>No longer needed (e.g. the customer paid).</summary>
    Cancelled,
}
