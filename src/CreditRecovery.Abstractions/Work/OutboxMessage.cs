using CreditRecovery.Procedures;
using NodaTime;

namespace CreditRecovery.Work;

/// <summary>
/// A message to a customer, queued by the daily run in the same transaction as the step it carries out, and sent later
/// by the dispatcher. One message per customer, step and channel lists every installment at that step (X3).
/// </summary>
public sealed record OutboxMessage
{
    /// <summary>
    /// Deterministic identity built from company, customer, procedure, cycle, step, channel and business date: the same
    /// step can never queue two messages, and channels derive a stable Message-ID from it.
    /// </summary>
    public required string Id { get; init; }

    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The customer.</summary>
    public required string CustomerCode { get; init; }

    /// <summary>The channel.</summary>
    public required DeliveryChannel Channel { get; init; }

    /// <summary>The template to render.</summary>
    public required string TemplateId { get; init; }

    /// <summary>The procedure.</summary>
    public required string ProcedureId { get; init; }

    /// <summary>The step's identifier.</summary>
    public required string StepId { get; init; }

    /// <summary>The step's display name.</summary>
    public required string StepName { get; init; }

    /// <summary>The business date of the run that queued it.</summary>
    public required LocalDate BusinessDate { get; init; }

    /// <summary>When it was queued.</summary>
    public required Instant CreatedAt { get; init; }

    /// <summary>The recipient: e-mail, PEC address, fax or mobile number, or the postal address on one line.</summary>
    public required string Recipient { get; init; }

    /// <summary>Internal copies (Cc), e.g. the credit manager (M2).</summary>
    public IReadOnlyList<string> Cc { get; init; } = [];

    /// <summary>The installments, with their amounts as the ledger showed them when the message was queued.</summary>
    public required IReadOnlyList<MessageLine> Lines { get; init; }

    /// <summary>Why the message goes out: rule, dates and amounts (X5).</summary>
    public required string Why { get; init; }

    /// <summary>Delivery status.</summary>
    public OutboxStatus Status { get; init; } = OutboxStatus.Pending;

    /// <summary>Delivery attempts so far.</summary>
    public int Attempts { get; init; }

    /// <summary>The last delivery error.</summary>
    public string? LastError { get; init; }

    /// <summary>When the channel accepted it.</summary>
    public Instant? SentAt { get; init; }

    /// <summary>The channel's own identifier (SMTP Message-ID, gateway id...).</summary>
    public string? ProviderMessageId { get; init; }

    /// <summary>Not before this instant will the dispatcher try again after a transient failure (exponential backoff).</summary>
    public Instant? NextAttemptAt { get; init; }

    /// <summary>When the recipient's provider confirmed delivery (a PEC delivery receipt, *ricevuta di consegna*).</summary>
    public Instant? DeliveredAt { get; init; }

    /// <summary>
    /// Free text written by an operator (a mass e-mail, H5) that templates show as <c>operator_text</c>; <see langword="null"/>
    /// for messages of a procedure step.
    /// </summary>
    public string? OperatorText { get; init; }

    /// <summary>Subject written by an operator for a mass e-mail; overrides the template's subject when set.</summary>
    public string? OperatorSubject { get; init; }

    /// <summary>Files an operator attached (paths the dispatcher can read), sent with the message.</summary>
    public IReadOnlyList<string> AttachmentFiles { get; init; } = [];

    /// <summary>The total open residual of the lines (zero euro for a message without lines, e.g. a mass e-mail).</summary>
    public Money TotalResidual => Lines.Count == 0 ? Money.ZeroEur : Lines.Aggregate(Money.Zero(Lines[0].Residual.Currency), (sum, l) => sum + l.Residual);
}

/// <summary>One installment in a message.</summary>
/// <param name="Key">The installment.</param>
/// <param name="DocumentNumber">Document number.</param>
/// <param name="DocumentDate">Document date.</param>
/// <param name="InstallmentNumber">Installment number within the document.</param>
/// <param name="DueDate">Due date.</param>
/// <param name="OriginalAmount">Amount originally due.</param>
/// <param name="Residual">Open residual.</param>
/// <param name="DaysOverdue">Days past the due date on the message's business date (negative before it).</param>
/// <param name="PaymentType">Payment type.</param>
/// <param name="UnpaidReceiptDate">The date a bank receipt came back unpaid, if it did.</param>
public sealed record MessageLine(
    InstallmentKey Key,
    string DocumentNumber,
    LocalDate DocumentDate,
    int InstallmentNumber,
    LocalDate DueDate,
    Money OriginalAmount,
    Money Residual,
    int DaysOverdue,
    PaymentType PaymentType,
    LocalDate? UnpaidReceiptDate);

/// <summary>Delivery status of an outbox message.</summary>
public enum OutboxStatus
{
    /// <summary>Queued, not yet accepted by the channel.</summary>
    Pending,

    /// <summary>Accepted by the channel.</summary>
    Sent,

    /// <summary>Failed permanently; an operator must look at it.</summary>
    Failed,

    /// <summary>Cancelled before sending (e.g. the customer paid meanwhile).</summary>
    Cancelled,

    /// <summary>Accepted by the channel and confirmed delivered by the recipient's provider (PEC delivery receipt).</summary>
    Delivered,
}
