using CreditRecovery.Procedures;
using CreditRecovery.Running;
using CreditRecovery.Work;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Running;

/// <summary>Operator tasks go to the operator the step's rule names, falling back to the least loaded one of the pool.</summary>
public sealed class TaskAssignerTests
{
    private static readonly OperatorId Anna = new("anna"), Bruno = new("bruno"), Carla = new("carla"), Dario = new("dario");

    private static TaskAssigner Assigner(Dictionary<OperatorId, int>? workload = null)
    {
        var settings = new CompanySettings { Id = "ACME" };
        settings.AgentOperators["AG1"] = Bruno;
        settings.SalesAreaOperators["NORD"] = Carla;
        settings.OperatorPool.Add(Anna);
        settings.OperatorPool.Add(Dario);
        return new TaskAssigner(settings, workload ?? []);
    }

    private static readonly Customer WithAgentAndArea = Customer("C1", c => c with { Agent = "AG1", SalesArea = "NORD" });

    [Fact]
    public void Each_rule_picks_its_operator()
    {
        var assigned = new CustomerAssignment(new CompanyId("ACME"), "C1", [Dario, Anna]);
        var a = Assigner();
        Assert.Equal(Dario, a.Assign(AssigneeRule.CustomerResponsible, WithAgentAndArea, assigned).Operator);
        Assert.Equal(Bruno, a.Assign(AssigneeRule.ByAgent, WithAgentAndArea, assigned).Operator);
        Assert.Equal(Carla, a.Assign(AssigneeRule.BySalesArea, WithAgentAndArea, assigned).Operator);
        Assert.Equal(Bruno, a.Assign(AssigneeRule.Fixed(Bruno), WithAgentAndArea, assigned).Operator);
    }

    [Fact]
    public void Without_a_match_the_customer_responsible_then_the_least_loaded_pool_operator_is_chosen()
    {
        var noAgent = Customer("C2");
        var a = Assigner(new Dictionary<OperatorId, int> { [Anna] = 3, [Dario] = 1 });
        Assert.Equal((Anna, "customer's responsible (fallback)"), a.Assign(AssigneeRule.ByAgent, noAgent, new CustomerAssignment(new CompanyId("ACME"), "C2", [Anna])));
        Assert.Equal(Dario, a.Assign(AssigneeRule.ByAgent, noAgent, null).Operator);
    }

    [Fact]
    public void Round_robin_balances_the_open_workload()
    {
        var a = Assigner(new Dictionary<OperatorId, int> { [Anna] = 2 });
        var picks = Enumerable.Range(0, 6).Select(_ => a.Assign(AssigneeRule.RoundRobin, null, null).Operator!.Value).ToList();

        // Dario starts two behind, so he takes two, then they alternate (ties in pool order).
        Assert.Equal([Dario, Dario, Anna, Dario, Anna, Dario], picks);
    }

    [Fact]
    public void With_nobody_in_the_pool_the_task_stays_unassigned_and_says_so()
    {
        var settings = new CompanySettings { Id = "ACME" };
        var (op, rule) = new TaskAssigner(settings, []).Assign(AssigneeRule.RoundRobin, null, null);
        Assert.Null(op);
        Assert.Contains("supervisors see it", rule, StringComparison.Ordinal);
    }
}
