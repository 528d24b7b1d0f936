using System.Diagnostics;
using CreditRecovery.Storage.PostgreSql;
using CreditRecovery.Storage.Worker;
using CreditRecovery.Testing;
using Xunit.Abstractions;

namespace CreditRecovery.Storage.Resilience.Tests;

/// <summary>
/// The concurrency test of issue 4: four worker processes run the same days over the same book (≥ 10,000 cases) on one
/// PostgreSQL database at once; no step is decided twice, and the result equals a single worker's on another database.
/// </summary>
/// <remarks>
/// Worker 1 aligns the ledger for a day; the others wait for its marker. Then every worker runs the day with its own
/// <c>RunOptions.WorkerId</c>, so they split the customers by leased partitions instead of racing on each of them;
/// should two still meet on a customer, the store's version check lets one commit win and the other re-read and find the
/// step done. They wait for each other at the end of each day (the worker's --workers barrier).
/// </remarks>
[Collection(PostgreSqlCollection.Name)]
public sealed class ConcurrencyTests(PostgreSqlFixture fixture, ITestOutputHelper output)
{
    private const int Seed = 7;
    private const int Customers = 2_700;
    private const int Installments = 4;
    private const int Workers = 4;
    private const string From = "2026-02-02";
    private const string To = "2026-02-06";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(10);

    [PostgreSqlFact]
    public async Task Four_workers_on_one_database_decide_every_step_once()
    {
        var referenceDb = await fixture.Server.CreateDatabaseAsync("reference");
        var sharedDb = await fixture.Server.CreateDatabaseAsync("shared");

        var clock = Stopwatch.StartNew();
        var single = await WorkerProcess.RunAsync(new WorkerArguments("postgres", referenceDb, Seed, Customers, Installments, From, To), RunTimeout);
        Log($"single worker: {clock.Elapsed.TotalSeconds:0.0} s; {single.FinalLine}");
        LogDays(single);
        var expected = await ReadAsync(referenceDb);

        clock.Restart();
        var workers = Enumerable.Range(1, Workers)
            .Select(id => WorkerProcess.RunAsync(new WorkerArguments("postgres", sharedDb, Seed, Customers, Installments, From, To, id, Workers), RunTimeout))
            .ToList();
        var finished = await Task.WhenAll(workers);
        Log($"{Workers} workers: {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var w in finished)
        {
            Log("  " + w.FinalLine);
        }

        LogDays(finished[0]);
        LogDays(finished[^1]);

        var actual = await ReadAsync(sharedDb);
        var duplicateSteps = actual.DuplicateSteps();
        var duplicateMessages = actual.DuplicateMessages();
        var comparison = actual.CompareWith(expected);
        Assert.True(expected.Cases.Count >= 10_000, $"Only {expected.Cases.Count} cases: the test needs at least 10,000.");
        Assert.True(duplicateSteps.Count == 0, $"{duplicateSteps.Count} steps decided twice: " + string.Join("; ", duplicateSteps.Take(20)));
        Assert.True(duplicateMessages.Count == 0, $"{duplicateMessages.Count} messages queued twice: " + string.Join("; ", duplicateMessages.Take(20)));
        Assert.True(comparison.Same, "The four workers' database differs from the single worker's: " + comparison);
        Assert.True(actual.BrokenChains.Count == 0, "Broken history chains: " + string.Join("; ", actual.BrokenChains.Take(20)));

        // Each worker reports only the messages it committed itself: together they must be every message, once.
        var queued = finished.Sum(w => QueuedBy(w.FinalLine));
        Assert.Equal(actual.Outbox.Count, queued);

        Log($"concurrency test: {Workers} workers, {actual.Cases.Count} cases, {actual.StepDecisions} step decisions, {actual.Outbox.Count} messages ({queued} queued by the workers together), 0 decided twice");
    }

    private static int QueuedBy(string? finalLine)
    {
        // "... N messages queued, ..."
        var match = System.Text.RegularExpressions.Regex.Match(finalLine ?? "", @"(\d+) messages queued");
        return match.Success ? int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) : throw new InvalidOperationException("No final line: " + finalLine);
    }

    private static async Task<StoreSnapshot> ReadAsync(string connectionString)
    {
        await using var store = new PostgreSqlRecoveryStore(new PostgreSqlStoreOptions { ConnectionString = connectionString });
        return await StoreSnapshot.ReadAsync(store, GeneratedBook.Company);
    }

    private void LogDays(WorkerProcess worker)
    {
        foreach (var line in worker.Output.Split('\n').Where(l => l.StartsWith("day ", StringComparison.Ordinal)))
        {
            Log("    " + line.TrimEnd());
        }
    }

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
