using CreditRecovery.Ports;
using CreditRecovery.Running;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Delivery;

/// <summary>
/// What a failed delivery leaves for a person, the same whether the channel refused the message (dispatcher) or the
/// recipient's provider did (a PEC non-delivery notice): one task per message, for the customer's responsible.
/// </summary>
internal static class DeliveryFailures
{
    /// <summary>The customer's first responsible, if the customer is assigned.</summary>
    public static async ValueTask<OperatorId?> ResponsibleAsync(IRecoveryStore store, CompanyId company, string customerCode, CancellationToken cancellationToken)
    {
        var assignment = await store.ReadAssignmentsAsync(company, [customerCode], cancellationToken).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
        return assignment is { Responsibles.Count: > 0 } ? assignment.Responsibles[0] : null;
    }

    /// <summary>The task for a message that could not be delivered; its id is the message's, so it is created once.</summary>
    public static OperatorTask Task(CompanyId company, OutboxMessage message, string title, string why, OperatorId? assignee, LocalDate today, Instant now) => new()
    {
        Id = MessageFactory.Id(company, message.CustomerCode, "delivery-failed", message.Id),
        Company = company,
        CustomerCode = message.CustomerCode,
        Kind = OperatorTaskKind.DeliveryFailed,
        Title = title,
        AssignedTo = assignee,
        DueOn = today,
        Installments = message.Lines.Select(l => l.Key).ToList(),
        ProcedureId = message.ProcedureId,
        Why = why,
        CreatedAt = now,
    };
}
