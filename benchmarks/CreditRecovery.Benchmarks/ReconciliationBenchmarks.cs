using BenchmarkDotNet.Attributes;
using CreditRecovery.Ledger;
using CreditRecovery.Testing;

namespace CreditRecovery.Benchmarks;

/// <summary>
/// Ledger reconciliation of one page (the engine's batch, 500 installments of 50 customers) already aligned, as most
/// pages are on an ordinary day: the engine's snapshot sync against the baseline of just reading the same page from the
/// source. The store is the in-memory one, so this is the engine's own cost per page.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("ledger reconciliation")]
public class ReconciliationBenchmarks
{
    private const int Customers = 50;
    private const int PerCustomer = 10;
    private ScriptedLedgerSource _ledger = null!;
    private CreditRecoveryEngine _engine = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _ledger = new ScriptedLedgerSource();
        for (var c = 0; c < Customers; c++)
        {
            _ledger.Put(BenchBook.Customer(c));
            for (var n = 0; n < PerCustomer; n++)
            {
                _ledger.Put(BenchBook.Installment(c, n, BenchBook.Today.PlusDays((n * 17) - 60)));
            }
        }

        _engine = new CreditRecoveryEngineBuilder()
            .Configure(BenchBook.Configure)
            .UseStore(new InMemoryRecoveryStore())
            .UseLedger(_ledger)
            .UseClock(new BenchBook.FixedClock(BenchBook.Today))
            .Build();
        await _engine.Ledger!.SynchronizeAsync(BenchBook.Company, LedgerReadMode.Snapshot, BenchBook.Today);
    }

    [Benchmark(Baseline = true, Description = "read the page from the source")]
    public async Task<int> ReadPage()
    {
        var count = 0;
        await foreach (var record in _ledger.ReadSnapshotAsync(BenchBook.Company))
        {
            count += record is InstallmentRecord ? 1 : 0;
        }

        return count;
    }

    [Benchmark(Description = "reconcile the page (already aligned)")]
    public async Task<int> Reconcile()
    {
        var report = await _engine.Ledger!.SynchronizeAsync(BenchBook.Company, LedgerReadMode.Snapshot, BenchBook.Today);
        return report.InstallmentsRead;
    }
}
