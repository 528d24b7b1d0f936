using NodaTime;

namespace CreditRecovery.Work;

/// <summary>
/// Something an operator did or received and recorded on a customer's cases: a call and its outcome, a visit, a note,
/// an agreement, an e-mail received (M4/M5, G1/G9).
/// </summary>
public sealed record Activity
{
    /// <summary>Identity.</summary>
    public required string Id { get; init; }

    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The customer.</summary>
    public required string CustomerCode { get; init; }

    /// <summary>The installments concerned; empty for the customer as a whole.</summary>
    public IReadOnlyList<InstallmentKey> Installments { get; init; } = [];

    /// <summary>Kind.</summary>
    public required ActivityKind Kind { get; init; }

    /// <summary>When it happened.</summary>
    public required Instant At { get; init; }

    /// <summary>Who recorded it.</summary>
    public required OperatorId By { get; init; }

    /// <summary>The outcome, e.g. "promised payment by 30/11", "no answer".</summary>
    public string? Outcome { get; init; }

    /// <summary>Notes.</summary>
    public string? Notes { get; init; }

    /// <summary>The task it completes, if any.</summary>
    public string? TaskId { get; init; }

    /// <summary>The follow-up task it created, if any.</summary>
    public string? FollowUpTaskId { get; init; }
}

/// <summary>Kinds of recorded activity.</summary>
public enum ActivityKind
{
    /// <summary>A phone call.</summary>
    PhoneCall,

    /// <summary>A visit.</summary>
    Visit,

    /// <summary>A note.</summary>
    Note,

    /// <summary>An agreement with the customer.</summary>
    Agreement,

    /// <summary>A message received from the customer.</summary>
    MessageReceived,

    /// <summary>A message an operator sent to the customer outside a procedure (e.g. a mass e-mail, H5).</summary>
    MessageSent,
}
