using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Running;
using CreditRecovery.Testing;
using NodaTime;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Running;

/// <summary>Workers that split a daily run by leased partitions of customers (<see cref="RunOptions.WorkerId"/>).</summary>
public sealed class PartitionedRunTests
{
    private static readonly LocalDate Day = new(2026, 3, 10);
    private const int Customers = 24;

    [Fact]
    public void The_partition_of_a_customer_is_a_stable_hash_of_its_code()
    {
        // FNV-1a 32 of UTF-8: fixed values, so that every process (and release) agrees.
        Assert.Equal(0xE40C292Cu % 64, (uint)RecoveryRunner.PartitionOf("a", 64));
        Assert.Equal(0x811C9DC5u % 7, (uint)RecoveryRunner.PartitionOf("", 7));
        Assert.Equal(RecoveryRunner.PartitionOf("CLIENTE-àè€", 64), RecoveryRunner.PartitionOf(new string("CLIENTE-àè€".ToCharArray()), 64));
        Assert.InRange(RecoveryRunner.PartitionOf(new string('x', 1000), 64), 0, 63);
        Assert.Equal("run/2026-03-10/17", RecoveryRunner.PartitionResource(Day, 17));
    }

    [Fact]
    public async Task Two_workers_split_the_partitions_and_process_each_customer_once_without_conflicts()
    {
        var (h, other) = await SetUpAsync();
        var options1 = new RunOptions { WorkerId = "w1", Partitions = 8 };
        var options2 = new RunOptions { WorkerId = "w2", Partitions = 8 };

        // Interleave deterministically: when w1 commits its first customer, w2 runs the whole day.
        var attempts = 0;
        var commitsBefore = h.Store.CommitCount;
        RunReport? second = null;
        var started = false;
        h.Store.BeforeCommit = async _ =>
        {
            Interlocked.Increment(ref attempts);
            if (!started)
            {
                started = true;
                second = await other.Runner.RunAsync(Company, Day, options2);
            }
        };
        var first = await h.Engine.Runner.RunAsync(Company, Day, options1);
        var reports = new[] { first, second! };

        // Disjoint partitions, both workers worked, and nothing due was left.
        Assert.All(reports, r => Assert.NotEmpty(r.PartitionsProcessed));
        Assert.Empty(reports[0].PartitionsProcessed.Intersect(reports[1].PartitionsProcessed));
        Assert.Equal(
            reports.SelectMany(r => r.PartitionsProcessed).Order(),
            reports.SelectMany(r => r.PartitionsProcessed.Concat(r.PartitionsSkipped)).Distinct().Order());

        var byCustomer = reports.SelectMany(r => r.Messages).GroupBy(m => m.CustomerCode).ToList();
        Assert.Equal(Customers, byCustomer.Count);
        Assert.All(byCustomer, g => Assert.Single(g));
        Assert.Equal(Customers * 2, reports.Sum(r => r.CasesExamined));
        Assert.Equal(attempts, h.Store.CommitCount - commitsBefore); // 0 conflicts
        Assert.All(reports, r => Assert.Empty(r.Errors));
        await AssertEveryCustomerDunnedOnceAsync(h);
    }

    [Fact]
    public async Task Two_concurrent_workers_never_process_the_same_customer()
    {
        var (h, other) = await SetUpAsync();
        var attempts = 0;
        var commitsBefore = h.Store.CommitCount;
        h.Store.BeforeCommit = async _ =>
        {
            Interlocked.Increment(ref attempts);
            await Task.Delay(2);
        };
        var reports = await Task.WhenAll(
            Task.Run(async () => await h.Engine.Runner.RunAsync(Company, Day, new RunOptions { WorkerId = "w1", Partitions = 16 })),
            Task.Run(async () => await other.Runner.RunAsync(Company, Day, new RunOptions { WorkerId = "w2", Partitions = 16 })));

        Assert.Empty(reports[0].PartitionsProcessed.Intersect(reports[1].PartitionsProcessed));
        var customers = reports.SelectMany(r => r.Messages).Select(m => m.CustomerCode).ToList();
        Assert.Equal(Customers, customers.Count);
        Assert.Equal(Customers, customers.Distinct().Count());
        Assert.Equal(attempts, h.Store.CommitCount - commitsBefore);
        await AssertEveryCustomerDunnedOnceAsync(h);
    }

    [Fact]
    public async Task A_partition_leased_by_a_dead_worker_is_taken_over_after_the_lease_expires()
    {
        var (h, other) = await SetUpAsync();
        var lease = Duration.FromMinutes(10);

        // w1 dies on its second commit: its first partition stays leased and half done.
        var commits = 0;
        h.Store.BeforeCommit = _ => ++commits == 2 ? throw new InvalidOperationException("worker w1 died") : ValueTask.CompletedTask;
        await Assert.ThrowsAsync<InvalidOperationException>(async () => await h.Engine.Runner.RunAsync(Company, Day, new RunOptions { WorkerId = "w1", Partitions = 4, LeaseDuration = lease }));
        h.Store.BeforeCommit = null;
        var dead = Enumerable.Range(0, 4).Single(p => h.Store.LeaseOf(Company, RecoveryRunner.PartitionResource(Day, p))?.Owner == "w1");

        // w2, a minute later: skips w1's partition, does the rest.
        h.Clock.Advance(Duration.FromMinutes(1));
        var early = await other.Runner.RunAsync(Company, Day, new RunOptions { WorkerId = "w2", Partitions = 4, LeaseDuration = lease });
        Assert.Equal([dead], early.PartitionsSkipped);
        Assert.DoesNotContain(dead, early.PartitionsProcessed);
        var left = await DueCustomersAsync(h);
        Assert.NotEmpty(left);
        Assert.All(left, c => Assert.Equal(dead, RecoveryRunner.PartitionOf(c, 4)));

        // Once w1's lease has expired, w2 runs the date again and takes the partition over; the partitions it finished
        // are its own (renewed) and have nothing left to do.
        h.Clock.Advance(lease);
        var late = await other.Runner.RunAsync(Company, Day, new RunOptions { WorkerId = "w2", Partitions = 4, LeaseDuration = lease });
        Assert.Empty(late.PartitionsSkipped);
        Assert.Contains(dead, late.PartitionsProcessed);
        Assert.Equal(left.Order(StringComparer.Ordinal), late.Messages.Select(m => m.CustomerCode).Order(StringComparer.Ordinal));
        Assert.Equal("w2", h.Store.LeaseOf(Company, RecoveryRunner.PartitionResource(Day, dead))?.Owner);
        Assert.Empty(await DueCustomersAsync(h));
        await AssertEveryCustomerDunnedOnceAsync(h);
    }

    [Fact]
    public async Task Without_a_worker_id_a_run_takes_no_lease()
    {
        var (h, _) = await SetUpAsync();
        var report = await h.Engine.Runner.RunAsync(Company, Day);
        Assert.Equal(Customers, report.Messages.Count);
        Assert.Empty(report.PartitionsProcessed);
        Assert.All(Enumerable.Range(0, 64), p => Assert.Null(h.Store.LeaseOf(Company, RecoveryRunner.PartitionResource(Day, p))));
    }

    /// <summary>Customers C01..C24, each with two installments 20 days overdue: the first reminder is due for each.</summary>
    private static async Task<(EngineHarness H, CreditRecoveryEngine Other)> SetUpAsync()
    {
        var h = new EngineHarness();
        for (var n = 1; n <= Customers; n++)
        {
            var code = $"C{n:00}";
            h.Ledger.Put(Customer(code));
            h.Ledger.Put(Installment($"{code}-1", code, Day.PlusDays(-20), 100m + n));
            h.Ledger.Put(Installment($"{code}-2", code, Day.PlusDays(-20), 200m + n));
        }

        h.SetDate(Day);
        await h.Engine.Ledger!.SynchronizeAsync(Company, LedgerReadMode.Snapshot, Day);
        var other = new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                foreach (var p in h.Engine.Options.Procedures)
                {
                    o.Procedures.Add(p);
                }

                foreach (var c in h.Engine.Options.Companies)
                {
                    o.Companies.Add(c);
                }
            })
            .UseStore(h.Store).UseLedger(h.Ledger).UseClock(h.Clock).Build();
        return (h, other);
    }

    private static async Task<List<string>> DueCustomersAsync(EngineHarness h)
    {
        var codes = new List<string>();
        await foreach (var c in h.Store.ReadCasesAsync(Company, new CaseFilter { OpenOnly = true, NextActionOnOrBefore = Day }))
        {
            codes.Add(c.CustomerCode);
        }

        return codes.Distinct().ToList();
    }

    private static async Task AssertEveryCustomerDunnedOnceAsync(EngineHarness h)
    {
        var outbox = h.Store.AllOutbox(Company);
        Assert.Equal(Customers, outbox.Count);
        Assert.Equal(Customers, outbox.Select(m => m.CustomerCode).Distinct().Count());
        await foreach (var c in h.Store.ReadCasesAsync(Company, CaseFilter.All))
        {
            Assert.Single(c.Steps, s => s.Outcome == StepOutcome.MessageQueued);
        }
    }
}
