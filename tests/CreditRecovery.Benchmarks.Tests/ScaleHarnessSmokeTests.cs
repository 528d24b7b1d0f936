using CreditRecovery.ScaleHarness;

namespace CreditRecovery.Benchmarks.Tests;

/// <summary>
/// CI's smoke run of the scale harness: small books, in process. It checks that the harness works end to end and that
/// its figures agree with each other; it never checks timings, so a slow machine cannot fail it.
/// </summary>
public sealed class ScaleHarnessSmokeTests
{
    [Fact]
    public async Task Harness_produces_the_table_and_consistent_results_on_small_books()
    {
        var work = Path.Combine(Path.GetTempPath(), "creditrecovery-harness-test-" + Guid.NewGuid().ToString("N"));
        var result = await Harness.RunAsync(new HarnessOptions { Sizes = [1_000, 2_000], WorkDirectory = work });

        Assert.Equal([1_000, 2_000], result.Sizes.Select(s => s.Installments));
        foreach (var s in result.Sizes)
        {
            // The generator's book: one customer per ten installments.
            Assert.Equal(s.Installments / 10, s.Customers);

            // P3: the snapshot holds every customer and installment, and the sync saw the night's changes.
            var sync = s.SyncReport;
            Assert.Equal(s.Customers + s.Installments + sync.CasesOpened, s.SnapshotRecords);
            Assert.True(s.LedgerChanges > 0);
            var seen = sync.CasesOpened + sync.CasesPaid + sync.PartialPayments + sync.UnpaidReceipts;
            Assert.InRange(seen, 1, s.LedgerChanges);
            Assert.Empty(sync.Rejected);

            // P1: the engine found work for the day, and the floor read exactly the rows the engine examined and
            // committed one transaction per customer the engine wrote for.
            var run = s.RunReport;
            Assert.Empty(run.Errors);
            Assert.True(run.CasesExamined > 0);
            Assert.NotEmpty(run.Messages);
            Assert.Equal(run.CasesExamined, s.FloorResult.DueRows);
            Assert.Equal(run.CasesChanged, s.FloorResult.CaseRows);
            Assert.Equal(run.Messages.Count, s.FloorResult.OutboxRows);
            Assert.Equal(run.Tasks.Count, s.FloorResult.TaskRows);
            Assert.True(s.FloorResult.HistoryRows >= run.Messages.Sum(m => m.Lines.Count), "every installment in a message has its history event");
            Assert.InRange(s.FloorResult.Transactions, 1, run.CasesExamined);

            // P4: the aging covers exactly the open book: the setup opened every installment, the night added new ones
            // and closed the paid ones, and the run closes none.
            Assert.Equal(s.Installments + sync.CasesOpened - sync.CasesPaid, s.OpenCases);
            Assert.Equal(Aging.Names, s.AgingBuckets.Select(b => b.Name));
            Assert.All(s.AgingBuckets, b => Assert.True(b.Residual >= 0));

            Assert.True(s.PeakWorkingSet > 0);
        }

        var table = result.ToText();
        foreach (var measure in new[] { "P1 daily run", "P2 peak working set", "P3 snapshot sync", "P4 aging", "P5 growth" })
        {
            Assert.Contains(measure, table, StringComparison.Ordinal);
        }

        Assert.Empty(Directory.GetFileSystemEntries(work)); // the harness deletes each book's databases
        Directory.Delete(work);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_book()
    {
        var a = new BookGenerator(3_000, 7, BenchProcedures.Company, Harness.MeasuredDay);
        var b = new BookGenerator(3_000, 7, BenchProcedures.Company, Harness.MeasuredDay);
        Assert.Equal(a.AllInstallments(changed: true), b.AllInstallments(changed: true));
        Assert.Equal(a.Customers(), b.Customers());
        Assert.Equal(3_000, a.AllInstallments(changed: false).Count());

        var perCustomer = Enumerable.Range(0, a.CustomerCount).Select(i => a.InstallmentsOf(i).Count()).ToList();
        Assert.InRange(perCustomer.Min(), 1, 50);
        Assert.InRange(perCustomer.Max(), 1, 50);

        // About 5 % of the book has an event on the measured day.
        var onDay = a.AllInstallments(changed: false).Count(i => BookGenerator.HasEventOn(i.DueDate, Harness.MeasuredDay));
        Assert.InRange(onDay, 3_000 * 0.03, 3_000 * 0.07);
        await Task.CompletedTask;
    }

    [Fact]
    public void The_document_keeps_the_text_around_the_generated_block()
    {
        var path = Path.Combine(Path.GetTempPath(), "benchmarks-" + Guid.NewGuid().ToString("N") + ".md");
        File.WriteAllText(path, $"# Benchmarks\n\nHow we measure.\n\n{BenchmarksDocument.Begin}\nold\n{BenchmarksDocument.End}\n\nAfter.\n");
        try
        {
            var result = new HarnessResult([], MachineInfo.Describe(), TimeSpan.FromSeconds(1));
            BenchmarksDocument.Write(path, result, ["--size", "10000"]);
            var text = File.ReadAllText(path);
            Assert.StartsWith("# Benchmarks\n\nHow we measure.\n\n" + BenchmarksDocument.Begin, text, StringComparison.Ordinal);
            Assert.DoesNotContain("\nold\n", text, StringComparison.Ordinal);
            Assert.Contains("--size 10000", text, StringComparison.Ordinal);
            Assert.Contains("| Measure | Book |", text, StringComparison.Ordinal);
            Assert.EndsWith(BenchmarksDocument.End + "\n\nAfter.\n", text, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
