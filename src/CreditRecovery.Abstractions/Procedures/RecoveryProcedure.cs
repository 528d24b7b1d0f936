namespace CreditRecovery.Procedures;

/// <summary>
/// A recovery procedure (*procedura di recupero*): an ordered list of steps with their timing, e.g. a pre-due
/// reminder 5 days before the due date, a 1st letter 10 days after it, a 2nd letter 15 days after the 1st, a phone
/// call, a formal demand by PEC, then hand-over to a lawyer (G4).
/// </summary>
public sealed record RecoveryProcedure
{
    /// <summary>Unique identifier, referenced by assignments and stored on cases.</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public required string Name { get; init; }

    /// <summary>The steps, in the order they run.</summary>
    public required IReadOnlyList<ProcedureStep> Steps { get; init; }

    /// <summary>
    /// Residual at or below which an installment is treated as settled for recovery (e.g. rounding differences of a
    /// few cents): nothing is sent for it. Zero means only a fully paid installment is left alone.
    /// </summary>
    public decimal Tolerance { get; init; }
}

/// <summary>One step of a procedure.</summary>
public sealed record ProcedureStep
{
    /// <summary>Identifier, unique within the procedure (e.g. <c>dunning-1</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Display name (e.g. "1° sollecito").</summary>
    public required string Name { get; init; }

    /// <summary>What the step does.</summary>
    public required StepAction Action { get; init; }

    /// <summary>When the step becomes due.</summary>
    public required StepTiming Timing { get; init; }

    /// <summary>
    /// Whether an operator must confirm the step before it runs (*manuale*). A confirmed communication is queued on
    /// confirmation; an unconfirmed one waits in the operator's worklist.
    /// </summary>
    public bool RequiresConfirmation { get; init; }

    /// <summary>The template of the message, for communication steps.</summary>
    public string? TemplateId { get; init; }

    /// <summary>Who gets the operator task (calls, visits, confirmations). Default: the customer's responsible.</summary>
    public AssigneeRule Assignee { get; init; } = AssigneeRule.CustomerResponsible;

    /// <summary>Conditions an installment must meet for the step to run; otherwise the step is skipped for it, with the reason recorded.</summary>
    public StepConditions Conditions { get; init; } = StepConditions.None;

    /// <summary>Copy the message to the company's internal manager (Cc, M2).</summary>
    public bool CopyToManager { get; init; }

    /// <summary>
    /// Whether the message states the statutory late-payment interest and the 40 EUR compensation (D.Lgs. 231/2002) as of
    /// its business date, and records the claim on the case when it is sent: typically the formal demand (*messa in mora*).
    /// </summary>
    public bool ClaimLatePaymentInterest { get; init; }

    /// <summary>The parking area, for <see cref="StepAction.Park"/>.</summary>
    public ParkingArea? ParkingArea { get; init; }

    /// <summary>Who the case goes to, for <see cref="StepAction.HandOver"/>.</summary>
    public HandOverTarget? HandOverTo { get; init; }

    /// <summary>Whether the step sends a message to the customer.</summary>
    public bool IsCommunication => Action.IsCommunication();
}

/// <summary>What a procedure step does.</summary>
public enum StepAction
{
    /// <summary>A courtesy reminder before the due date (*promemoria di scadenza*), by e-mail.</summary>
    PreDueReminder,

    /// <summary>An e-mail message.</summary>
    Email,

    /// <summary>A certified e-mail (*PEC*), e.g. a formal demand (*messa in mora / diffida*).</summary>
    Pec,

    /// <summary>A fax.</summary>
    Fax,

    /// <summary>A text message.</summary>
    Sms,

    /// <summary>A printed letter (*lettera*).</summary>
    Letter,

    /// <summary>A phone call by an operator (*telefonata*).</summary>
    PhoneCall,

    /// <summary>A visit by an operator or agent (*visita*).</summary>
    Visit,

    /// <summary>Any other operator task.</summary>
    CustomTask,

    /// <summary>Park the case in an area (*parcheggio*: legal, unrecoverable, not scheduled, COD).</summary>
    Park,

    /// <summary>Hand the case to a lawyer or a collection agency (*affidamento*).</summary>
    HandOver,
}

/// <summary>The delivery channel of a communication.</summary>
public enum DeliveryChannel
{
    /// <summary>Ordinary e-mail.</summary>
    Email,

    /// <summary>Certified e-mail (*PEC*).</summary>
    Pec,

    /// <summary>Fax.</summary>
    Fax,

    /// <summary>Text message.</summary>
    Sms,

    /// <summary>Printed letter.</summary>
    Letter,
}

/// <summary>Helpers on <see cref="StepAction"/>.</summary>
public static class StepActionExtensions
{
    /// <summary>Whether the action sends a message to the customer.</summary>
    /// <param name="action">The action.</param>
    public static bool IsCommunication(this StepAction action) => action.ToChannel() is not null;

    /// <summary>The delivery channel of a communication action, or <see langword="null"/> for tasks and case moves.</summary>
    /// <param name="action">The action.</param>
    public static DeliveryChannel? ToChannel(this StepAction action) => action switch
    {
        StepAction.PreDueReminder or StepAction.Email => DeliveryChannel.Email,
        StepAction.Pec => DeliveryChannel.Pec,
        StepAction.Fax => DeliveryChannel.Fax,
        StepAction.Sms => DeliveryChannel.Sms,
        StepAction.Letter => DeliveryChannel.Letter,
        _ => null,
    };

    /// <summary>Whether the action is work for an operator (call, visit, custom task).</summary>
    /// <param name="action">The action.</param>
    public static bool IsOperatorTask(this StepAction action) =>
        action is StepAction.PhoneCall or StepAction.Visit or StepAction.CustomTask;
}
