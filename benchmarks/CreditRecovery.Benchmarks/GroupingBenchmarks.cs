using BenchmarkDotNet.Attributes;
using CreditRecovery.Cases;
using CreditRecovery.Running;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Benchmarks;

/// <summary>
/// Grouping a day's actions (X3): a customer with 12 installments at the same step gets one message listing them all,
/// against the baseline of one message per installment. Per customer.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("grouping")]
public class GroupingBenchmarks
{
    private CompanyContext _context = null!;
    private Customer _customer = null!;
    private (RecoveryCase Case, string Why)[] _lines = null!;
    private Instant _now;

    [Params(12)]
    public int Installments { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _context = BenchBook.Context();
        _customer = BenchBook.Customer(1);
        _now = new BenchBook.FixedClock(BenchBook.Today).GetCurrentInstant();
        _lines = Enumerable.Range(0, Installments)
            .Select(n => (BenchBook.Case(BenchBook.Installment(1, n, BenchBook.Today.PlusDays(-10))), $"step 2 '1° sollecito' of procedure 'Standard': installment {n}"))
            .ToArray();
    }

    [Benchmark(Baseline = true, Description = "one message per installment")]
    public int PerInstallment()
    {
        var count = 0;
        foreach (var line in _lines)
        {
            count += MessageFactory.Build(_context, _customer, BenchBook.Standard, BenchBook.Standard.Steps[1], [line], BenchBook.Today, _now).Lines.Count;
        }

        return count;
    }

    [Benchmark(Description = "one message per customer, step and channel")]
    public OutboxMessage Grouped() =>
        MessageFactory.Build(_context, _customer, BenchBook.Standard, BenchBook.Standard.Steps[1], _lines, BenchBook.Today, _now);
}
