using BenchmarkDotNet.Attributes;
using CreditRecovery.Procedures;
using CreditRecovery.Testing;

namespace CreditRecovery.Benchmarks;

/// <summary>
/// Procedure resolution (G3: installment &gt; customer &gt; category &gt; company) for one installment: with no
/// assignments (the company default, the baseline) against a store holding 10,000 installment and 1,000 customer
/// assignments plus category rules, where every level is looked up.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("procedure resolution")]
public class ProcedureResolutionBenchmarks
{
    private ProcedureResolver _empty = null!;
    private ProcedureResolver _loaded = null!;
    private Installment[] _installments = null!;
    private Customer[] _customers = null!;
    private int _i;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var context = BenchBook.Context();
        _empty = await ProcedureResolver.LoadAsync(context, new InMemoryRecoveryStore(), CancellationToken.None);

        var store = new InMemoryRecoveryStore();
        var changes = new Ports.RecoveryChangeSet(BenchBook.Company);
        for (var i = 0; i < 10_000; i++)
        {
            changes.ProcedureAssignments.Add(new ProcedureAssignment(BenchBook.Company, ProcedureScope.Installment, $"C{i:D6}-999/1", ProcedurePurpose.Ordinary, BenchBook.Strict.Id));
        }

        for (var i = 0; i < 1_000; i += 2)
        {
            changes.ProcedureAssignments.Add(new ProcedureAssignment(BenchBook.Company, ProcedureScope.Customer, $"C{i:D6}", ProcedurePurpose.Ordinary, BenchBook.Strict.Id));
        }

        changes.ProcedureAssignments.Add(new ProcedureAssignment(BenchBook.Company, ProcedureScope.CustomerCategory, "GDO", ProcedurePurpose.Ordinary, BenchBook.Strict.Id));
        await store.CommitAsync(changes);
        _loaded = await ProcedureResolver.LoadAsync(context, store, CancellationToken.None);

        _customers = Enumerable.Range(0, 1_024).Select(BenchBook.Customer).ToArray();
        _installments = Enumerable.Range(0, 1_024).Select(i => BenchBook.Installment(i, i % 7, BenchBook.Today)).ToArray();
    }

    [Benchmark(Baseline = true, Description = "no assignments (company default)")]
    public RecoveryProcedure CompanyDefault()
    {
        var n = _i++ & 1023;
        return _empty.Resolve(_installments[n], _customers[n], ProcedurePurpose.Ordinary).Procedure;
    }

    [Benchmark(Description = "11,000 assignments, every level looked up")]
    public RecoveryProcedure WithAssignments()
    {
        var n = _i++ & 1023;
        return _loaded.Resolve(_installments[n], _customers[n], ProcedurePurpose.Ordinary).Procedure;
    }
}
