using NodaTime;

namespace CreditRecovery.Work;

/// <summary>
/// An entry in an operator's agenda (H3/H4), optionally recurring with a NodaTime period (e.g. every 2 weeks, every
/// month). Occurrences are computed from the first date, never one from the previous, so they do not drift.
/// </summary>
public sealed record AgendaEntry
{
    /// <summary>Identity.</summary>
    public required string Id { get; init; }

    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The operator whose agenda it is in.</summary>
    public required OperatorId Owner { get; init; }

    /// <summary>Title.</summary>
    public required string Title { get; init; }

    /// <summary>The first (or only) date.</summary>
    public required LocalDate Date { get; init; }

    /// <summary>Time of day, if fixed.</summary>
    public LocalTime? Time { get; init; }

    /// <summary>The customer concerned, if any.</summary>
    public string? CustomerCode { get; init; }

    /// <summary>The recurrence period; <see langword="null"/> for a single entry.</summary>
    public Period? Recurrence { get; init; }

    /// <summary>The last date a recurrence may fall on (inclusive); <see langword="null"/> for no end.</summary>
    public LocalDate? RecurrenceEnd { get; init; }

    /// <summary>Notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Whether the entry was cancelled.</summary>
    public bool Cancelled { get; init; }
}
