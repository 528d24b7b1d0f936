using CreditRecovery.Ports;
using CreditRecovery.Work;

namespace CreditRecovery.Operators;

/// <summary>
/// What an acting operator may see and do in a company (M10b): operators see the customers assigned to them,
/// supervisors also their team's and unassigned customers, administrators everything. <see cref="OperatorId.System"/>
/// (the host's own code) acts as an administrator.
/// </summary>
internal sealed class AccessScope
{
    private readonly HashSet<string>? _visibleCustomers;

    private readonly bool _unassignedVisible;
    private readonly HashSet<string> _assigned;

    private AccessScope(OperatorId actor, OperatorRole role, HashSet<OperatorId> team, HashSet<string>? visibleCustomers, bool unassignedVisible = false, HashSet<string>? assigned = null)
    {
        _unassignedVisible = unassignedVisible;
        _assigned = assigned ?? new HashSet<string>(StringComparer.Ordinal);
        Actor = actor;
        Role = role;
        Team = team;
        _visibleCustomers = visibleCustomers;
    }

    public OperatorId Actor { get; }

    public OperatorRole Role { get; }

    /// <summary>The actor and, for a supervisor, the operators they supervise.</summary>
    public HashSet<OperatorId> Team { get; }

    public bool SeesAll => _visibleCustomers is null;

    public static async ValueTask<AccessScope> LoadAsync(IRecoveryStore store, CompanyId company, OperatorId actor, CancellationToken cancellationToken)
    {
        if (actor == OperatorId.System)
        {
            return new AccessScope(actor, OperatorRole.Administrator, [actor], null);
        }

        Operator? self = null;
        var team = new HashSet<OperatorId> { actor };
        var operators = new List<Operator>();
        await foreach (var op in store.ReadOperatorsAsync(company, cancellationToken).ConfigureAwait(false))
        {
            operators.Add(op);
            if (op.Id == actor)
            {
                self = op;
            }
        }

        if (self is null || !self.Active || !self.Companies.Contains(company))
        {
            throw new AccessDeniedException($"Operator '{actor}' is not an active operator of company {company}.");
        }

        if (self.Role == OperatorRole.Administrator)
        {
            return new AccessScope(actor, self.Role, team, null);
        }

        if (self.Role == OperatorRole.Supervisor)
        {
            team.UnionWith(operators.Where(o => o.SupervisorId == actor).Select(o => o.Id));
        }

        var visible = new HashSet<string>(StringComparer.Ordinal);
        var assigned = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var a in store.ReadAssignmentsAsync(company, null, cancellationToken).ConfigureAwait(false))
        {
            if (a.Responsibles.Count > 0)
            {
                assigned.Add(a.CustomerCode);
            }

            if (a.Responsibles.Any(team.Contains))
            {
                visible.Add(a.CustomerCode);
            }
        }

        return new AccessScope(actor, self.Role, team, visible, self.Role == OperatorRole.Supervisor, assigned);
    }

    /// <summary>The same visibility for a store's set-based queries; <see langword="null"/> when the actor sees everything.</summary>
    public CustomerScope? ToCustomerScope() => SeesAll ? null : new CustomerScope(Team.ToList(), _unassignedVisible);

    public bool CanSee(string customerCode) =>
        _visibleCustomers is null || _visibleCustomers.Contains(customerCode) || (_unassignedVisible && !_assigned.Contains(customerCode));

    public bool CanSee(OperatorTask task) =>
        CanSee(task.CustomerCode) || (task.AssignedTo is { } to && Team.Contains(to));

    public void DemandCustomer(string customerCode)
    {
        if (!CanSee(customerCode))
        {
            throw new AccessDeniedException($"Operator '{Actor}' may not see or act on customer {customerCode}.");
        }
    }

    public void DemandRole(OperatorRole minimum, string what)
    {
        if (Role < minimum)
        {
            throw new AccessDeniedException($"Operator '{Actor}' ({Role}) may not {what}: it needs a {minimum}.");
        }
    }
}
