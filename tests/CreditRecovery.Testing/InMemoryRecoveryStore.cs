using System.Runtime.CompilerServices;
using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Testing;

/// <summary>
/// A thread-safe, in-memory <see cref="IRecoveryStore"/> for tests. It honours the port's contract: reads never cross
/// companies, commits are atomic and checked against case versions, and reads return snapshots so callers may commit
/// while iterating.
/// </summary>
public sealed partial class InMemoryRecoveryStore : IRecoveryStore, ICreditAnalyticsStore
{
    private readonly Lock _gate = new();

    private readonly Dictionary<(CompanyId Company, string Code), Customer> _customers = [];
    private readonly Dictionary<(CompanyId Company, InstallmentKey Key), RecoveryCase> _cases = [];
    private readonly List<HistoryEvent> _history = [];
    private readonly Dictionary<(CompanyId Company, string Id), OutboxMessage> _outbox = [];
    private readonly Dictionary<(CompanyId Company, string Id), OperatorTask> _tasks = [];
    private readonly Dictionary<(CompanyId Company, string Id), Activity> _activities = [];
    private readonly Dictionary<(CompanyId Company, string Id), AgendaEntry> _agenda = [];
    private readonly Dictionary<OperatorId, Operator> _operators = [];
    private readonly Dictionary<(CompanyId Company, string CustomerCode), CustomerAssignment> _assignments = [];
    private readonly Dictionary<(CompanyId Company, ProcedureScope Scope, string ScopeKey, ProcedurePurpose Purpose), ProcedureAssignment> _procedureAssignments = [];
    private readonly List<QuarantinedRecord> _quarantine = [];
    private readonly Dictionary<(CompanyId Company, string Source), SyncCursor> _cursors = [];
    private readonly Dictionary<(CompanyId Company, string Resource), (string Owner, Instant ExpiresAt)> _leases = [];

    // Insertion order of upserted rows whose reads are "oldest first" with ties kept in the order they were first written.
    private int _commitCount;

    /// <summary>How many commits succeeded.</summary>
    public int CommitCount => Volatile.Read(ref _commitCount);

    /// <summary>
    /// Called by <see cref="CommitAsync"/> before it validates and applies the change set, outside the store's lock: a
    /// test can commit from here to simulate a concurrent writer.
    /// </summary>
    public Func<RecoveryChangeSet, ValueTask>? BeforeCommit { get; set; }

    /// <summary>Every history event of a company, in the order they were committed.</summary>
    /// <param name="company">The company.</param>
    public IReadOnlyList<HistoryEvent> AllHistory(CompanyId company)
    {
        lock (_gate)
        {
            return _history.Where(e => e.Company == company).ToList();
        }
    }

    /// <summary>Every outbox message of a company, whatever its status, ordered by creation time then id.</summary>
    /// <param name="company">The company.</param>
    public IReadOnlyList<OutboxMessage> AllOutbox(CompanyId company)
    {
        lock (_gate)
        {
            return _outbox.Values
                .Where(m => m.Company == company)
                .OrderBy(m => m.CreatedAt)
                .ThenBy(m => m.Id, StringComparer.Ordinal)
                .ToList();
        }
    }

    /// <inheritdoc />
    public async ValueTask CommitAsync(RecoveryChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        cancellationToken.ThrowIfCancellationRequested();

        var hook = BeforeCommit;
        if (hook is not null)
        {
            await hook(changes).ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        changes.Validate();

        lock (_gate)
        {
            // Validate every case write before applying anything. Several writes of the same case in one change set are
            // checked in order, each against the version the previous one produces.
            var pending = new Dictionary<InstallmentKey, long>();
            foreach (var write in changes.Cases)
            {
                var key = write.Case.Key;
                if (!pending.TryGetValue(key, out var stored))
                {
                    stored = _cases.TryGetValue((changes.Company, key), out var current) ? current.Version : 0;
                }

                if (stored != write.ExpectedVersion)
                {
                    throw new ConcurrencyConflictException(changes.Company, key, write.ExpectedVersion, stored);
                }

                if (write.Case.Version != write.ExpectedVersion + 1)
                {
                    throw new ConcurrencyConflictException(
                        $"Case {key} of company {changes.Company} is written at version {write.Case.Version}, but a write " +
                        $"expecting version {write.ExpectedVersion} must produce version {write.ExpectedVersion + 1}.");
                }

                pending[key] = write.Case.Version;
            }

            Apply(changes);
            _commitCount++;
        }
    }

    /// <inheritdoc />
    public ValueTask<Customer?> GetCustomerAsync(CompanyId company, string customerCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerCode);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_customers.GetValueOrDefault((company, customerCode)));
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Customer> ReadCustomersAsync(CompanyId company, IReadOnlyCollection<string>? customerCodes = null, CancellationToken cancellationToken = default)
    {
        return Snapshot(
            () =>
            {
                var codes = ToSet(customerCodes, StringComparer.Ordinal);
                return _customers.Values
                    .Where(c => c.Company == company && (codes is null || codes.Contains(c.Code)))
                    .OrderBy(c => c.Code, StringComparer.Ordinal)
                    .ToList();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<RecoveryCase?> GetCaseAsync(CompanyId company, InstallmentKey key, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_cases.GetValueOrDefault((company, key)));
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecoveryCase> ReadCasesAsync(CompanyId company, CaseFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Snapshot(
            () =>
            {
                var customers = ToSet(filter.CustomerCodes, StringComparer.Ordinal);
                var keys = ToSet(filter.Keys, EqualityComparer<InstallmentKey>.Default);
                var statuses = ToSet(filter.Statuses, EqualityComparer<CaseStatus>.Default);
                var until = filter.NextActionOnOrBefore;
                return _cases.Values
                    .Where(c => c.Company == company)
                    .Where(c => !filter.OpenOnly || c.Status != CaseStatus.Closed)
                    .Where(c => until is null || (c.NextActionDate is { } next && next <= until.Value))
                    .Where(c => customers is null || customers.Contains(c.CustomerCode))
                    .Where(c => keys is null || keys.Contains(c.Key))
                    .Where(c => statuses is null || statuses.Contains(c.Status))
                    .OrderBy(c => c.CustomerCode, StringComparer.Ordinal)
                    .ThenBy(c => c.Key.Value, StringComparer.Ordinal)
                    .ToList();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<HistoryEvent> ReadHistoryAsync(CompanyId company, InstallmentKey key, CancellationToken cancellationToken = default)
    {
        return Snapshot(() => _history.Where(e => e.Company == company && e.CaseKey == key).ToList(), cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<OutboxMessage> ReadOutboxAsync(CompanyId company, OutboxStatus status, CancellationToken cancellationToken = default)
    {
        return Snapshot(
            () => _outbox.Values
                .Where(m => m.Company == company && m.Status == status)
                .OrderBy(m => m.CreatedAt)
                .ThenBy(m => m.Id, StringComparer.Ordinal)
                .ToList(),
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<OutboxMessage?> GetOutboxMessageAsync(CompanyId company, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_outbox.GetValueOrDefault((company, id)));
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<OperatorTask> ReadTasksAsync(CompanyId company, TaskFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Snapshot(
            () =>
            {
                var assignees = ToSet(filter.AssignedTo, EqualityComparer<OperatorId>.Default);
                var customers = ToSet(filter.CustomerCodes, StringComparer.Ordinal);
                return _tasks.Values
                    .Where(t => t.Company == company)
                    .Where(t => assignees is null || (t.AssignedTo is { } assignee && assignees.Contains(assignee)))
                    .Where(t => filter.Status is null || t.Status == filter.Status.Value)
                    .Where(t => filter.DueFrom is null || t.DueOn >= filter.DueFrom.Value)
                    .Where(t => filter.DueTo is null || t.DueOn <= filter.DueTo.Value)
                    .Where(t => customers is null || customers.Contains(t.CustomerCode))
                    .OrderBy(t => t.DueOn)
                    .ThenBy(t => t.Id, StringComparer.Ordinal)
                    .ToList();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<OperatorTask?> GetTaskAsync(CompanyId company, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_tasks.GetValueOrDefault((company, id)));
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Activity> ReadActivitiesAsync(CompanyId company, string customerCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerCode);
        return Snapshot(
            () => _activities
                .Where(p => p.Key.Company == company && string.Equals(p.Value.CustomerCode, customerCode, StringComparison.Ordinal))
                .OrderBy(p => p.Value.At)
                .ThenBy(p => p.Value.Id, StringComparer.Ordinal)
                .Select(p => p.Value)
                .ToList(),
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<AgendaEntry> ReadAgendaAsync(CompanyId company, IReadOnlyCollection<OperatorId>? owners, LocalDate until, CancellationToken cancellationToken = default)
    {
        return Snapshot(
            () =>
            {
                var ownerSet = ToSet(owners, EqualityComparer<OperatorId>.Default);
                return _agenda.Values
                    .Where(a => a.Company == company && a.Date <= until && (ownerSet is null || ownerSet.Contains(a.Owner)))
                    .OrderBy(a => a.Date)
                    .ThenBy(a => a.Id, StringComparer.Ordinal)
                    .ToList();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<Operator> ReadOperatorsAsync(CompanyId company, CancellationToken cancellationToken = default)
    {
        return Snapshot(
            () => _operators.Values
                .Where(o => o.Companies.Contains(company))
                .OrderBy(o => o.Id.Value, StringComparer.Ordinal)
                .ToList(),
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<CustomerAssignment> ReadAssignmentsAsync(CompanyId company, IReadOnlyCollection<string>? customerCodes = null, CancellationToken cancellationToken = default)
    {
        return Snapshot(
            () =>
            {
                var codes = ToSet(customerCodes, StringComparer.Ordinal);
                return _assignments.Values
                    .Where(a => a.Company == company && (codes is null || codes.Contains(a.CustomerCode)))
                    .OrderBy(a => a.CustomerCode, StringComparer.Ordinal)
                    .ToList();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<ProcedureAssignment> ReadProcedureAssignmentsAsync(CompanyId company, CancellationToken cancellationToken = default)
    {
        return Snapshot(
            () => _procedureAssignments.Values
                .Where(a => a.Company == company)
                .OrderBy(a => a.Scope)
                .ThenBy(a => a.ScopeKey, StringComparer.Ordinal)
                .ThenBy(a => a.Purpose)
                .ToList(),
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<QuarantinedRecord> ReadQuarantineAsync(CompanyId company, CancellationToken cancellationToken = default)
    {
        return Snapshot(() => _quarantine.Where(q => q.Company == company).ToList(), cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask<string?> GetCursorAsync(CompanyId company, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return ValueTask.FromResult(_cursors.TryGetValue((company, source), out var cursor) ? cursor.Cursor : null);
        }
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAcquireLeaseAsync(CompanyId company, string resource, string owner, Instant now, Duration duration, CancellationToken cancellationToken = default)
    {
        LeaseArguments.Validate(company, resource, owner, duration);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_leases.TryGetValue((company, resource), out var held) && held.ExpiresAt > now && !string.Equals(held.Owner, owner, StringComparison.Ordinal))
            {
                return ValueTask.FromResult(false);
            }

            _leases[(company, resource)] = (owner, now + duration);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc />
    public ValueTask ReleaseLeaseAsync(CompanyId company, string resource, string owner, CancellationToken cancellationToken = default)
    {
        LeaseArguments.Validate(company, resource, owner);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            if (_leases.TryGetValue((company, resource), out var held) && string.Equals(held.Owner, owner, StringComparison.Ordinal))
            {
                _leases.Remove((company, resource));
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Who holds a lease now (ignoring expiry), or <see langword="null"/>.</summary>
    /// <param name="company">The company.</param>
    /// <param name="resource">The resource.</param>
    public (string Owner, Instant ExpiresAt)? LeaseOf(CompanyId company, string resource)
    {
        lock (_gate)
        {
            return _leases.TryGetValue((company, resource), out var held) ? held : null;
        }
    }

    private static HashSet<T>? ToSet<T>(IReadOnlyCollection<T>? items, IEqualityComparer<T> comparer) =>
        items is null ? null : new HashSet<T>(items, comparer);

    // Caller holds the lock and has validated the change set.
    private void Apply(RecoveryChangeSet changes)
    {
        var company = changes.Company;

        foreach (var c in changes.Customers)
        {
            _customers[(company, c.Code)] = c;
        }

        foreach (var w in changes.Cases)
        {
            _cases[(company, w.Case.Key)] = w.Case;
        }

        _history.AddRange(changes.History);

        foreach (var m in changes.Outbox)
        {
            _outbox[(company, m.Id)] = m;
        }

        foreach (var t in changes.Tasks)
        {
            _tasks[(company, t.Id)] = t;
        }

        foreach (var a in changes.Activities)
        {
            var key = (company, a.Id);
            _activities[key] = a;
        }

        foreach (var a in changes.Agenda)
        {
            _agenda[(company, a.Id)] = a;
        }

        foreach (var o in changes.Operators)
        {
            _operators[o.Id] = o;
        }

        foreach (var a in changes.Assignments)
        {
            _assignments[(company, a.CustomerCode)] = a;
        }

        foreach (var p in changes.ProcedureAssignments)
        {
            _procedureAssignments[(company, p.Scope, p.ScopeKey, p.Purpose)] = p;
        }

        _quarantine.AddRange(changes.Quarantine);

        foreach (var c in changes.Cursors)
        {
            _cursors[(company, c.Source)] = c;
        }
    }

    // Takes the snapshot under the lock when enumeration starts, then yields it without holding the lock, so callers may
    // commit while iterating.
    private async IAsyncEnumerable<T> Snapshot<T>(Func<List<T>> read, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        List<T> items;
        lock (_gate)
        {
            items = read();
        }

        foreach (var item in items)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return item;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }
}
