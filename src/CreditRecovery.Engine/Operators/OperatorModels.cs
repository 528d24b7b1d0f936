using CreditRecovery.Cases;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Operators;

/// <summary>Everything about one case, as an operator needs it on screen (G8).</summary>
public sealed record CaseFile
{
    /// <summary>The case.</summary>
    public required RecoveryCase Case { get; init; }

    /// <summary>The customer's master data, contact person, call window, extension.</summary>
    public Customer? Customer { get; init; }

    /// <summary>All the customer's cases (open and archived), with their installments.</summary>
    public required IReadOnlyList<RecoveryCase> CustomerCases { get; init; }

    /// <summary>The procedure in use.</summary>
    public required RecoveryProcedure Procedure { get; init; }

    /// <summary>The case's history, oldest first.</summary>
    public required IReadOnlyList<HistoryEvent> History { get; init; }

    /// <summary>Calls, visits, notes and agreements recorded on the customer.</summary>
    public required IReadOnlyList<Activity> Activities { get; init; }

    /// <summary>The customer's open tasks.</summary>
    public required IReadOnlyList<OperatorTask> OpenTasks { get; init; }

    /// <summary>The people responsible for the customer.</summary>
    public required IReadOnlyList<OperatorId> Responsibles { get; init; }
}

/// <summary>An operator's worklist (M7): open tasks and the open cases they handle.</summary>
/// <param name="Operator">Whose worklist.</param>
/// <param name="Tasks">Open tasks due up to the date asked, oldest first.</param>
/// <param name="Cases">Open cases of the customers they (or, for a supervisor, their team) handle.</param>
public sealed record Worklist(OperatorId Operator, IReadOnlyList<OperatorTask> Tasks, IReadOnlyList<RecoveryCase> Cases);

/// <summary>One occurrence of an agenda entry on a date.</summary>
/// <param name="Entry">The entry.</param>
/// <param name="Date">The date of this occurrence.</param>
public sealed record AgendaOccurrence(AgendaEntry Entry, LocalDate Date);

/// <summary>An operator's workload on one day (H4).</summary>
/// <param name="Operator">The operator.</param>
/// <param name="Date">The day.</param>
/// <param name="Tasks">Open tasks due that day.</param>
/// <param name="AgendaEntries">Agenda occurrences that day.</param>
public sealed record DailyWorkload(OperatorId Operator, LocalDate Date, int Tasks, int AgendaEntries)
{
    /// <summary>Tasks plus agenda entries.</summary>
    public int Total => Tasks + AgendaEntries;
}

/// <summary>A call, visit, note or agreement to record.</summary>
public sealed record ActivityRequest
{
    /// <summary>The customer.</summary>
    public required string CustomerCode { get; init; }

    /// <summary>Kind.</summary>
    public required ActivityKind Kind { get; init; }

    /// <summary>The installments concerned; empty for the customer as a whole.</summary>
    public IReadOnlyList<InstallmentKey> Installments { get; init; } = [];

    /// <summary>The outcome.</summary>
    public string? Outcome { get; init; }

    /// <summary>Notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Create a linked follow-up task due on this date.</summary>
    public LocalDate? FollowUpOn { get; init; }

    /// <summary>The follow-up's title.</summary>
    public string? FollowUpTitle { get; init; }
}

/// <summary>A mass e-mail (H5): one text with attachments to a selection of customers.</summary>
public sealed record MassEmailRequest
{
    /// <summary>The customers.</summary>
    public required IReadOnlyList<string> CustomerCodes { get; init; }

    /// <summary>The subject.</summary>
    public required string Subject { get; init; }

    /// <summary>The text, shown by the template as <c>operator_text</c>.</summary>
    public required string Text { get; init; }

    /// <summary>Files to attach (paths the dispatcher can read).</summary>
    public IReadOnlyList<string> AttachmentFiles { get; init; } = [];

    /// <summary>Whether the message lists the customer's open installments. Default <see langword="true"/>.</summary>
    public bool IncludeOpenInstallments { get; init; } = true;

    /// <summary>The template. Default <c>mass-email</c>.</summary>
    public string TemplateId { get; init; } = "mass-email";
}

/// <summary>What a mass e-mail did for one customer.</summary>
/// <param name="CustomerCode">The customer.</param>
/// <param name="MessageId">The queued outbox message, or <see langword="null"/>.</param>
/// <param name="NotQueuedBecause">Why none was queued.</param>
public sealed record MassEmailResult(string CustomerCode, string? MessageId, string? NotQueuedBecause);
