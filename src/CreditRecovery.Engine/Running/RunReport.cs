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

    /// <summary>
    /// The id of this worker, unique among the processes running the same company and date on one store; set it to
    /// split the run with other workers. <see langword="null"/> (the default): no leasing, the run takes every due case.
    /// </summary>
    /// <remarks>
    /// With a worker id, customers are split into <see cref="Partitions"/> partitions by a stable hash of their code, and
    /// the run processes only the partitions whose lease (<see cref="Ports.IRecoveryStore.TryAcquireLeaseAsync"/>, resource
    /// <c>run/yyyy-MM-dd/partition</c>) it gets; partitions leased by other workers are skipped. A finished partition
    /// keeps its lease until it expires, so that workers starting later skip it too; the partitions of a worker that
    /// died are taken by the next run of the date after <see cref="LeaseDuration"/>. Leases only split the work: a
    /// customer processed twice still runs each step once (case writes are version-checked). Ignored by dry runs.
    /// </remarks>
    public string? WorkerId { get; init; }

    /// <summary>How many partitions the customers are split into when <see cref="WorkerId"/> is set (default 64).
    /// Every worker of a run must use the same number.</summary>
    public int Partitions { get; init; } = 64;

    /// <summary>How long a partition's lease lasts (default 10 minutes); a worker renews it while it works on the
    /// partition.</summary>
    public Duration LeaseDuration { get; init; } = Duration.FromMinutes(10);
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

    /// <summary>With <see cref="RunOptions.WorkerId"/>: the partitions (with due cases) this worker leased and processed.</summary>
    public IReadOnlyList<int> PartitionsProcessed { get; init; } = [];

    /// <summary>With <see cref="RunOptions.WorkerId"/>: the partitions (with due cases) skipped because another worker held them.</summary>
    public IReadOnlyList<int> PartitionsSkipped { get; init; } = [];
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
