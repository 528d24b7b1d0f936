using CreditRecovery.Procedures;
using CreditRecovery.Work;

namespace CreditRecovery.Delivery;

/// <summary>Who dispatches and how much.</summary>
public sealed record DispatchOptions
{
    /// <summary>A stable id of this worker, the owner of the company's dispatch lease. Default: the machine and process.</summary>
    public string WorkerId { get; init; } = $"{Environment.MachineName}/{Environment.ProcessId}";

    /// <summary>At most this many messages in one call; <see langword="null"/> for all that are due.</summary>
    public int? MaxMessages { get; init; }
}

/// <summary>What one dispatch did.</summary>
public sealed class DispatchReport
{
    private readonly List<DispatchedMessage> _messages = [];

    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>Each message handled, in order.</summary>
    public IReadOnlyList<DispatchedMessage> Messages => _messages;

    /// <summary>Messages accepted by their channel.</summary>
    public int Sent { get; private set; }

    /// <summary>Messages that failed transiently and wait for a retry.</summary>
    public int Retrying { get; private set; }

    /// <summary>Messages that failed for good (each has an operator task).</summary>
    public int Failed { get; private set; }

    /// <summary>Messages cancelled because their installments were paid or closed meanwhile.</summary>
    public int Cancelled { get; private set; }

    /// <summary>Pending messages whose retry time has not come.</summary>
    public int Waiting { get; internal set; }

    /// <summary>Another worker holds the company's dispatch lease: nothing was sent by this call.</summary>
    public bool LeaseHeldElsewhere { get; internal set; }

    /// <summary>The lease was lost while working (another worker took over after it expired): the rest was left to it.</summary>
    public bool LeaseLost { get; internal set; }

    /// <summary>Sent messages by channel.</summary>
    public IReadOnlyDictionary<DeliveryChannel, int> SentByChannel =>
        _messages.Where(m => m.Outcome == DispatchOutcome.Sent).GroupBy(m => m.Channel).ToDictionary(g => g.Key, g => g.Count());

    internal void Add(OutboxMessage message, DispatchOutcome outcome, string detail)
    {
        _messages.Add(new DispatchedMessage(message.Id, message.CustomerCode, message.Channel, message.Recipient, outcome, detail));
        switch (outcome)
        {
            case DispatchOutcome.Sent:
                Sent++;
                break;
            case DispatchOutcome.Retrying:
                Retrying++;
                break;
            case DispatchOutcome.Failed:
                Failed++;
                break;
            case DispatchOutcome.Cancelled:
                Cancelled++;
                break;
        }
    }
}

/// <summary>One message handled by a dispatch.</summary>
/// <param name="MessageId">The outbox id.</param>
/// <param name="CustomerCode">The customer.</param>
/// <param name="Channel">The channel.</param>
/// <param name="Recipient">The recipient.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">Why, or the channel's answer.</param>
public sealed record DispatchedMessage(string MessageId, string CustomerCode, DeliveryChannel Channel, string Recipient, DispatchOutcome Outcome, string Detail);

/// <summary>The outcome of one delivery attempt.</summary>
public enum DispatchOutcome
{
    /// <summary>Accepted by the channel.</summary>
    Sent,

    /// <summary>Failed transiently; retried later.</summary>
    Retrying,

    /// <summary>Failed for good; an operator task says what to do.</summary>
    Failed,

    /// <summary>Not sent: its installments were paid or closed meanwhile.</summary>
    Cancelled,
}
