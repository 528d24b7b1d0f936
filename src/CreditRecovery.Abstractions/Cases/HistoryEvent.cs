using NodaTime;

namespace CreditRecovery.Cases;

/// <summary>
/// One entry of a case's history (*storico*): a transition or a recorded fact, with who, when and why. History is
/// append-only (M9/G12).
/// </summary>
public sealed record HistoryEvent
{
    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The case.</summary>
    public required InstallmentKey CaseKey { get; init; }

    /// <summary>The case version this event produced (1 for the event that created the case).</summary>
    public required long CaseVersion { get; init; }

    /// <summary>When it was recorded.</summary>
    public required Instant At { get; init; }

    /// <summary>The business date it belongs to.</summary>
    public required LocalDate BusinessDate { get; init; }

    /// <summary>Who did it: an operator, or <see cref="OperatorId.System"/> for the engine.</summary>
    public required OperatorId Actor { get; init; }

    /// <summary>What happened, e.g. <c>LedgerPaid</c>, <c>StepExecuted</c>, <c>PromiseRecorded</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>Status before.</summary>
    public CaseStatus? From { get; init; }

    /// <summary>Status after.</summary>
    public CaseStatus? To { get; init; }

    /// <summary>Why, in a sentence a person can read (X5).</summary>
    public required string Reason { get; init; }

    /// <summary>The <see cref="Hash"/> of the case's previous event; <see langword="null"/> for its first event.</summary>
    public string? PreviousHash { get; init; }

    /// <summary>
    /// SHA-256 (hex) of this event's content and <see cref="PreviousHash"/>: the case's history is a hash chain, so an event
    /// changed or removed after the fact breaks every link after it. Set by the engine when the event is written.
    /// </summary>
    public string? Hash { get; init; }
}
