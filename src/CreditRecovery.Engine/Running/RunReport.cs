using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Running;

/// <summary>Options of a daily run.</summary>
public sealed record RunOptions
{
    /// <summary>A normal, committing run.</summary>
    public static RunOptions Default { get; } = new();

    /// <summary>A dry run (X6): the same plan, nothing committed or sent.</summary>
    public static RunOptions Dry { get; } = new() { DryRun = true };

    /// <summary>Compute the plan without committing it (X6).</summary>
    public bool DryRun { get; init; }
}

/// <summary>What a daily run produced (or, in a dry run, would produce).</summary>
public sealed record RunReport
{
    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The business date.</summary>
    public required LocalDate BusinessDate { get; init; }

    /// <summary>Whether nothing was committed.</summary>
    public required bool DryRun { get; init; }

    /// <summary>Messages queued: one per customer, step and channel (X3), each with its "why" (X5).</summary>
    public required IReadOnlyList<OutboxMessage> Messages { get; init; }

    /// <summary>Operator tasks created or refreshed, each with its "why".</summary>
    public required IReadOnlyList<OperatorTask> Tasks { get; init; }

    /// <summary>Cases that had something due but were held, with the reason (exclusions, flags, extensions...).</summary>
    public required IReadOnlyList<CaseHold> Holds { get; init; }

    /// <summary>Cases the run examined.</summary>
    public int CasesExamined { get; init; }

    /// <summary>Cases the run changed.</summary>
    public int CasesChanged { get; init; }

    /// <summary>Customers whose work could not be committed, with the reason; the rest of the run went on.</summary>
    public IReadOnlyList<RunError> Errors { get; init; } = [];
}

/// <summary>A case that had something due but was held.</summary>
/// <param name="Key">The case.</param>
/// <param name="CustomerCode">The customer.</param>
/// <param name="Reason">Why it was held.</param>
public sealed record CaseHold(InstallmentKey Key, string CustomerCode, string Reason);

/// <summary>A customer whose work failed in a run.</summary>
/// <param name="CustomerCode">The customer.</param>
/// <param name="Error">What went wrong.</param>
public sealed record RunError(string CustomerCode, string Error);
