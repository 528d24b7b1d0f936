using BenchmarkDotNet.Attributes;
using CreditRecovery.Cases;
using CreditRecovery.Workflow;

namespace CreditRecovery.Benchmarks;

/// <summary>
/// One state transition: the engine's shared machine rebound per case, against building a configured machine per case
/// (the cost DECISIONS.md §3 measured). Target: ≤ 2 µs and ≤ 1.5 KB per transition.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("state transition")]
public class StateTransitionBenchmarks
{
    private static readonly CaseStatus[] From = [CaseStatus.NotDue, CaseStatus.Overdue, CaseStatus.InProcedure, CaseStatus.Promised];
    private static readonly RecoveryTrigger[] Triggers = [RecoveryTrigger.DueDatePassed, RecoveryTrigger.StepExecuted, RecoveryTrigger.LedgerPaid, RecoveryTrigger.PromiseBroken];
    private readonly RecoveryStateMachine _shared = new();
    private int _i;

    [Benchmark(Baseline = true, Description = "per-case machine (configure + fire)")]
    public CaseStatus PerCaseMachine()
    {
        var n = _i++ & 3;
        return new RecoveryStateMachine().Fire(From[n], Triggers[n], CaseStatus.InProcedure);
    }

    [Benchmark(Description = "shared machine, rebound per case")]
    public CaseStatus SharedRebound()
    {
        var n = _i++ & 3;
        return _shared.Fire(From[n], Triggers[n], CaseStatus.InProcedure);
    }
}
