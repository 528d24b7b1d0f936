using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Ports;

/// <summary>
/// Where the engine keeps its state: customers, cases, history, outbox, operator tasks, agenda, assignments, quarantined
/// ledger records and sync cursors. Storage packages (SQLite, PostgreSQL) implement it.
/// </summary>
/// <remarks>
/// <para>Every read names the company, and implementations must never return another company's rows.</para>
/// <para>
/// All writes go through <see cref="CommitAsync"/>, which applies a <see cref="RecoveryChangeSet"/> atomically: a case's
/// new version, its history events and the outbox messages and tasks that a step produced commit together or not at
/// all. Case writes are checked against the version they were read at; a mismatch throws
/// <see cref="ConcurrencyConflictException"/> and nothing of the change set is applied. This is what makes a step
/// impossible to send twice, even with several workers.
/// </para>
/// </remarks>
public interface IRecoveryStore
{
    /// <summary>Applies a change set atomically.</summary>
    /// <param name="changes">The changes.</param>
    /// <param name="cancellationToken">Cancels the commit (before it is applied).</param>
    /// <exception cref="ConcurrencyConflictException">A case changed since it was read; nothing was applied.</exception>
    ValueTask CommitAsync(RecoveryChangeSet changes, CancellationToken cancellationToken = default);

    /// <summary>Reads one customer.</summary>
    /// <param name="company">The company.</param>
    /// <param name="customerCode">The customer code.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<Customer?> GetCustomerAsync(CompanyId company, string customerCode, CancellationToken cancellationToken = default);

    /// <summary>Reads customers, all of them or those with the given codes.</summary>
    /// <param name="company">The company.</param>
    /// <param name="customerCodes">The codes, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<Customer> ReadCustomersAsync(CompanyId company, IReadOnlyCollection<string>? customerCodes = null, CancellationToken cancellationToken = default);

    /// <summary>Reads one case.</summary>
    /// <param name="company">The company.</param>
    /// <param name="key">The installment key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<RecoveryCase?> GetCaseAsync(CompanyId company, InstallmentKey key, CancellationToken cancellationToken = default);

    /// <summary>Reads the cases matching a filter, ordered by customer code then installment key.</summary>
    /// <param name="company">The company.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<RecoveryCase> ReadCasesAsync(CompanyId company, CaseFilter filter, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads only the keys and customers of the cases matching a filter, in the order of <see cref="ReadCasesAsync"/>. The
    /// default reads the cases and keeps those two fields; stores override it to skip reading and decoding the cases.
    /// The daily run uses it to list the day's customers with a short read before it works on them (so no read stays
    /// open across its commits), and the ledger alignment to find the open cases a snapshot no longer lists.
    /// </summary>
    /// <param name="company">The company.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<CaseRef> ReadCaseRefsAsync(CompanyId company, CaseFilter filter, CancellationToken cancellationToken = default) =>
        RecoveryStoreDefaults.ReadCaseRefsAsync(this, company, filter, cancellationToken);

    /// <summary>Reads a case's history, oldest first.</summary>
    /// <param name="company">The company.</param>
    /// <param name="key">The case.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<HistoryEvent> ReadHistoryAsync(CompanyId company, InstallmentKey key, CancellationToken cancellationToken = default);

    /// <summary>Reads outbox messages in a status, oldest first.</summary>
    /// <param name="company">The company.</param>
    /// <param name="status">The status.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<OutboxMessage> ReadOutboxAsync(CompanyId company, OutboxStatus status, CancellationToken cancellationToken = default);

    /// <summary>Reads one outbox message.</summary>
    /// <param name="company">The company.</param>
    /// <param name="id">The message id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<OutboxMessage?> GetOutboxMessageAsync(CompanyId company, string id, CancellationToken cancellationToken = default);

    /// <summary>Reads operator tasks matching a filter, by due date.</summary>
    /// <param name="company">The company.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<OperatorTask> ReadTasksAsync(CompanyId company, TaskFilter filter, CancellationToken cancellationToken = default);

    /// <summary>Reads one operator task.</summary>
    /// <param name="company">The company.</param>
    /// <param name="id">The task id.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<OperatorTask?> GetTaskAsync(CompanyId company, string id, CancellationToken cancellationToken = default);

    /// <summary>Reads the recorded activities of a customer, oldest first.</summary>
    /// <param name="company">The company.</param>
    /// <param name="customerCode">The customer.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<Activity> ReadActivitiesAsync(CompanyId company, string customerCode, CancellationToken cancellationToken = default);

    /// <summary>Reads agenda entries of some operators (all when <paramref name="owners"/> is null) that may occur on or before <paramref name="until"/>.</summary>
    /// <param name="company">The company.</param>
    /// <param name="owners">The operators, or <see langword="null"/> for all.</param>
    /// <param name="until">The last date of interest.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<AgendaEntry> ReadAgendaAsync(CompanyId company, IReadOnlyCollection<OperatorId>? owners, LocalDate until, CancellationToken cancellationToken = default);

    /// <summary>Reads the operators of a company.</summary>
    /// <param name="company">The company.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<Operator> ReadOperatorsAsync(CompanyId company, CancellationToken cancellationToken = default);

    /// <summary>Reads customer assignments, all of them or those of the given customers.</summary>
    /// <param name="company">The company.</param>
    /// <param name="customerCodes">The customers, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<CustomerAssignment> ReadAssignmentsAsync(CompanyId company, IReadOnlyCollection<string>? customerCodes = null, CancellationToken cancellationToken = default);

    /// <summary>Reads the procedure assignments of a company.</summary>
    /// <param name="company">The company.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<ProcedureAssignment> ReadProcedureAssignmentsAsync(CompanyId company, CancellationToken cancellationToken = default);

    /// <summary>Reads quarantined ledger records, oldest first.</summary>
    /// <param name="company">The company.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<QuarantinedRecord> ReadQuarantineAsync(CompanyId company, CancellationToken cancellationToken = default);

    /// <summary>Reads a change-feed cursor.</summary>
    /// <param name="company">The company.</param>
    /// <param name="source">The ledger source's name.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    ValueTask<string?> GetCursorAsync(CompanyId company, string source, CancellationToken cancellationToken = default);

    /// <summary>
    /// Tries to take, or renew, a time-limited lease on a named resource of a company, so that several workers sharing
    /// one store can split work instead of racing on it. Atomic: of several owners asking at once, at most one gets it.
    /// </summary>
    /// <remarks>
    /// <para>The lease is granted when nobody holds it, when the holder's lease has expired (its expiry is at or before
    /// <paramref name="now"/>), or when <paramref name="owner"/> already holds it; the lease then belongs to
    /// <paramref name="owner"/> until <paramref name="now"/> + <paramref name="duration"/>. Otherwise nothing changes.</para>
    /// <para>Leases only coordinate work: correctness never depends on them, because case writes stay version-checked
    /// (<see cref="CommitAsync"/>). A worker that dies keeps its lease until it expires; then another may take it.</para>
    /// <para>Leases are not part of the records <see cref="CommitAsync"/> writes, and the time is the caller's (its
    /// clock), not the database's.</para>
    /// </remarks>
    /// <param name="company">The company.</param>
    /// <param name="resource">The resource's name, e.g. <c>run/2025-03-31/17</c>.</param>
    /// <param name="owner">Who asks: a stable id of the worker.</param>
    /// <param name="now">The current time, from the caller's clock.</param>
    /// <param name="duration">How long the lease lasts from <paramref name="now"/>; must be positive.</param>
    /// <param name="cancellationToken">Cancels the attempt.</param>
    /// <returns><see langword="true"/> when <paramref name="owner"/> holds the lease now.</returns>
    /// <exception cref="ArgumentException">The resource or owner is empty, or the duration is not positive.</exception>
    ValueTask<bool> TryAcquireLeaseAsync(CompanyId company, string resource, string owner, Instant now, Duration duration, CancellationToken cancellationToken = default);

    /// <summary>
    /// Releases a lease taken with <see cref="TryAcquireLeaseAsync"/>, if <paramref name="owner"/> holds it; a lease held
    /// by another owner, or none, is left as it is.
    /// </summary>
    /// <param name="company">The company.</param>
    /// <param name="resource">The resource's name.</param>
    /// <param name="owner">The owner that took it.</param>
    /// <param name="cancellationToken">Cancels the release.</param>
    ValueTask ReleaseLeaseAsync(CompanyId company, string resource, string owner, CancellationToken cancellationToken = default);
}

/// <summary>The default implementations of <see cref="IRecoveryStore"/>'s optional members.</summary>
internal static class RecoveryStoreDefaults
{
    public static async IAsyncEnumerable<CaseRef> ReadCaseRefsAsync(
        IRecoveryStore store,
        CompanyId company,
        CaseFilter filter,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var c in store.ReadCasesAsync(company, filter, cancellationToken).ConfigureAwait(false))
        {
            yield return new CaseRef(c.Key, c.CustomerCode);
        }
    }
}

/// <summary>A case's identity and customer, without the case (<see cref="IRecoveryStore.ReadCaseRefsAsync"/>).</summary>
/// <param name="Key">The installment key.</param>
/// <param name="CustomerCode">The customer.</param>
public readonly record struct CaseRef(InstallmentKey Key, string CustomerCode);

/// <summary>Checks the arguments of <see cref="IRecoveryStore.TryAcquireLeaseAsync"/> the same way for every store.</summary>
public static class LeaseArguments
{
    /// <summary>Throws when a lease request is not usable.</summary>
    /// <param name="company">The company.</param>
    /// <param name="resource">The resource's name.</param>
    /// <param name="owner">The owner.</param>
    /// <param name="duration">The duration, or <see langword="null"/> for a release.</param>
    /// <exception cref="ArgumentException">The company, resource or owner is empty, or the duration is not positive.</exception>
    public static void Validate(CompanyId company, string resource, string owner, Duration? duration = null)
    {
        if (string.IsNullOrEmpty(company.Value))
        {
            throw new ArgumentException("A lease needs a company.", nameof(company));
        }

        ArgumentException.ThrowIfNullOrEmpty(resource);
        ArgumentException.ThrowIfNullOrEmpty(owner);
        if (duration is { } d && d <= Duration.Zero)
        {
            throw new ArgumentException($"A lease must last a positive time, not {d}.", nameof(duration));
        }
    }
}

/// <summary>Which cases to read. Conditions combine with AND; an unset one does not filter.</summary>
public sealed record CaseFilter
{
    /// <summary>Every case of the company.</summary>
    public static CaseFilter All { get; } = new();

    /// <summary>Open cases only.</summary>
    public static CaseFilter Open { get; } = new() { OpenOnly = true };

    /// <summary>Only open cases.</summary>
    public bool OpenOnly { get; init; }

    /// <summary>Only cases whose next action date is on or before this date (stores index it).</summary>
    public LocalDate? NextActionOnOrBefore { get; init; }

    /// <summary>Only these customers.</summary>
    public IReadOnlyCollection<string>? CustomerCodes { get; init; }

    /// <summary>Only these cases.</summary>
    public IReadOnlyCollection<InstallmentKey>? Keys { get; init; }

    /// <summary>Only cases in these statuses.</summary>
    public IReadOnlyCollection<CaseStatus>? Statuses { get; init; }
}

/// <summary>Which operator tasks to read.</summary>
public sealed record TaskFilter
{
    /// <summary>Only tasks assigned to these operators; <see langword="null"/> for all.</summary>
    public IReadOnlyCollection<OperatorId>? AssignedTo { get; init; }

    /// <summary>Only tasks in this status.</summary>
    public OperatorTaskStatus? Status { get; init; }

    /// <summary>Only tasks due on or after this date.</summary>
    public LocalDate? DueFrom { get; init; }

    /// <summary>Only tasks due on or before this date.</summary>
    public LocalDate? DueTo { get; init; }

    /// <summary>Only tasks of these customers.</summary>
    public IReadOnlyCollection<string>? CustomerCodes { get; init; }
}

/// <summary>A case write checked against the version the case was read at.</summary>
/// <param name="Case">The new case value; its <see cref="RecoveryCase.Version"/> must be <paramref name="ExpectedVersion"/> + 1.</param>
/// <param name="ExpectedVersion">The version stored now: 0 for a new case.</param>
public sealed record CaseWrite(RecoveryCase Case, long ExpectedVersion);

/// <summary>
/// Everything one unit of work changes, applied atomically by <see cref="IRecoveryStore.CommitAsync"/>. Customers,
/// outbox messages, tasks, activities, agenda entries, operators, assignments and cursors are upserted by identity;
/// history and quarantine are appended.
/// </summary>
public sealed class RecoveryChangeSet
{
    /// <summary>Creates an empty change set for a company.</summary>
    /// <param name="company">The company every change belongs to.</param>
    public RecoveryChangeSet(CompanyId company) => Company = company;

    /// <summary>The company every change belongs to; stores reject rows of another company.</summary>
    public CompanyId Company { get; }

    /// <summary>Customer upserts.</summary>
    public List<Customer> Customers { get; } = [];

    /// <summary>Case writes.</summary>
    public List<CaseWrite> Cases { get; } = [];

    /// <summary>History appends.</summary>
    public List<HistoryEvent> History { get; } = [];

    /// <summary>Outbox upserts.</summary>
    public List<OutboxMessage> Outbox { get; } = [];

    /// <summary>Task upserts.</summary>
    public List<OperatorTask> Tasks { get; } = [];

    /// <summary>Activity upserts.</summary>
    public List<Activity> Activities { get; } = [];

    /// <summary>Agenda upserts.</summary>
    public List<AgendaEntry> Agenda { get; } = [];

    /// <summary>Operator upserts.</summary>
    public List<Operator> Operators { get; } = [];

    /// <summary>Customer assignment upserts (by customer).</summary>
    public List<CustomerAssignment> Assignments { get; } = [];

    /// <summary>Procedure assignment upserts (by scope, key and purpose).</summary>
    public List<ProcedureAssignment> ProcedureAssignments { get; } = [];

    /// <summary>Quarantine appends.</summary>
    public List<QuarantinedRecord> Quarantine { get; } = [];

    /// <summary>Cursor upserts.</summary>
    public List<SyncCursor> Cursors { get; } = [];

    /// <summary>
    /// Checks the change set as a whole before anything is written: every row belongs to <see cref="Company"/> and has its
    /// identity. Stores call it first in <see cref="IRecoveryStore.CommitAsync"/>, so that a bad change set is refused
    /// (<see cref="ArgumentException"/>) with nothing applied, the same way by every store.
    /// </summary>
    /// <exception cref="ArgumentException">A row belongs to another company, lacks its identity, or is null.</exception>
    public void Validate()
    {
        var changes = this;
        var company = changes.Company;
        if (string.IsNullOrEmpty(company.Value))
        {
            throw new ArgumentException("The change set names no company.", nameof(changes));
        }

        foreach (var customer in changes.Customers)
        {
            Check(company, Required(customer, "customer").Company, "customer", customer.Code);
            RequireText(customer.Code, "customer", "Code");
        }

        foreach (var write in changes.Cases)
        {
            var value = Required(Required(write, "case write").Case, "case write's case");
            Check(company, value.Company, "case", value.Key.Value);
            RequireText(value.Key.Value, "case", "Key");
            RequireText(value.CustomerCode, "case", "CustomerCode");
        }

        foreach (var entry in changes.History)
        {
            Check(company, Required(entry, "history event").Company, "history event of case", entry.CaseKey.Value);
            RequireText(entry.CaseKey.Value, "history event", "CaseKey");
        }

        foreach (var message in changes.Outbox)
        {
            Check(company, Required(message, "outbox message").Company, "outbox message", message.Id);
            RequireText(message.Id, "outbox message", "Id");
            RequireText(message.CustomerCode, "outbox message", "CustomerCode");
        }

        foreach (var task in changes.Tasks)
        {
            Check(company, Required(task, "task").Company, "task", task.Id);
            RequireText(task.Id, "task", "Id");
            RequireText(task.CustomerCode, "task", "CustomerCode");
        }

        foreach (var activity in changes.Activities)
        {
            Check(company, Required(activity, "activity").Company, "activity", activity.Id);
            RequireText(activity.Id, "activity", "Id");
            RequireText(activity.CustomerCode, "activity", "CustomerCode");
        }

        foreach (var entry in changes.Agenda)
        {
            Check(company, Required(entry, "agenda entry").Company, "agenda entry", entry.Id);
            RequireText(entry.Id, "agenda entry", "Id");
            RequireText(entry.Owner.Value, "agenda entry", "Owner");
        }

        foreach (var op in changes.Operators)
        {
            RequireText(Required(op, "operator").Id.Value, "operator", "Id");
            if (op.Companies is null || !op.Companies.Contains(company))
            {
                throw new ArgumentException($"Operator {op.Id} does not work for company {company}: a change set may only write operators of its own company.", nameof(changes));
            }

            foreach (var member in op.Companies)
            {
                RequireText(member.Value, "operator " + op.Id, "Companies");
            }
        }

        foreach (var assignment in changes.Assignments)
        {
            Check(company, Required(assignment, "customer assignment").Company, "customer assignment", assignment.CustomerCode);
            RequireText(assignment.CustomerCode, "customer assignment", "CustomerCode");
        }

        foreach (var assignment in changes.ProcedureAssignments)
        {
            Check(company, Required(assignment, "procedure assignment").Company, "procedure assignment", assignment.ScopeKey);
            if (assignment.ScopeKey is null)
            {
                throw new ArgumentException("A procedure assignment has no ScopeKey (use an empty string for the company default).", nameof(changes));
            }
        }

        foreach (var record in changes.Quarantine)
        {
            Check(company, Required(record, "quarantined record").Company, "quarantined record of source", record.Source);
            RequireText(record.Source, "quarantined record", "Source");
        }

        foreach (var cursor in changes.Cursors)
        {
            Check(company, Required(cursor, "cursor").Company, "cursor of source", cursor.Source);
            RequireText(cursor.Source, "cursor", "Source");
            if (cursor.Cursor is null)
            {
                throw new ArgumentException($"The cursor of source {cursor.Source} is null.", nameof(changes));
            }
        }
    }

    private static T Required<T>(T? value, string what)
        where T : class =>
        value ?? throw new ArgumentException($"The change set holds a null {what}.", "changes");

    private static void Check(CompanyId expected, CompanyId actual, string what, string? id)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"The {what} '{id}' belongs to company {actual}, not to the change set's company {expected}.", "changes");
        }
    }

    private static void RequireText(string? value, string what, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"A {what} has no {field}.", "changes");
        }
    }

    /// <summary>Whether there is nothing to write.</summary>
    public bool IsEmpty =>
        Customers.Count == 0 && Cases.Count == 0 && History.Count == 0 && Outbox.Count == 0 && Tasks.Count == 0 &&
        Activities.Count == 0 && Agenda.Count == 0 && Operators.Count == 0 && Assignments.Count == 0 &&
        ProcedureAssignments.Count == 0 && Quarantine.Count == 0 && Cursors.Count == 0;
}
