using CreditRecovery.Procedures;
using CreditRecovery.Work;

namespace CreditRecovery.Running;

/// <summary>Chooses the operator of a task by the step's rule, balancing round robin by open workload.</summary>
internal sealed class TaskAssigner(CompanySettings settings, Dictionary<OperatorId, int> openWorkload)
{
    public (OperatorId? Operator, string Rule) Assign(AssigneeRule rule, Customer? customer, CustomerAssignment? assignment)
    {
        switch (rule.Kind)
        {
            case AssigneeKind.Fixed when rule.OperatorId is { } fixedOperator:
                return Count(fixedOperator, "fixed operator");
            case AssigneeKind.CustomerResponsible when assignment is { Responsibles.Count: > 0 }:
                return Count(assignment.Responsibles[0], "customer's responsible");
            case AssigneeKind.Agent when customer?.Agent is { } agent && settings.AgentOperators.TryGetValue(agent, out var byAgent):
                return Count(byAgent, $"operator of agent {agent}");
            case AssigneeKind.SalesArea when customer?.SalesArea is { } area && settings.SalesAreaOperators.TryGetValue(area, out var byArea):
                return Count(byArea, $"operator of sales area {area}");
        }

        // Fallback, and the round-robin rule itself: the least loaded operator of the pool, ties in pool order.
        if (assignment is { Responsibles.Count: > 0 } && rule.Kind != AssigneeKind.RoundRobinByWorkload)
        {
            return Count(assignment.Responsibles[0], "customer's responsible (fallback)");
        }

        OperatorId? best = null;
        var bestLoad = int.MaxValue;
        foreach (var candidate in settings.OperatorPool)
        {
            var load = openWorkload.GetValueOrDefault(candidate);
            if (load < bestLoad)
            {
                best = candidate;
                bestLoad = load;
            }
        }

        return best is { } chosen ? Count(chosen, "round robin by workload") : (null, "no operator available: supervisors see it unassigned");
    }

    private (OperatorId?, string) Count(OperatorId op, string rule)
    {
        openWorkload[op] = openWorkload.GetValueOrDefault(op) + 1;
        return (op, rule);
    }
}
