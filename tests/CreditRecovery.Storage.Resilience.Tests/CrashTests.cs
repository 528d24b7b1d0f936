using System.Diagnostics;
using System.Globalization;
using CreditRecovery.Storage.Sqlite;
using CreditRecovery.Storage.Worker;
using NodaTime;
using NodaTime.Text;
using Xunit.Abstractions;

namespace CreditRecovery.Storage.Resilience.Tests;

/// <summary>
/// The crash test of issue 4: a worker process runs daily runs over a generated book on a SQLite file while the test
/// kills it (SIGKILL) at random moments, at least 50 times (<c>CREDITRECOVERY_CRASH_KILLS</c> asks for more); after the
/// restarts the store holds exactly what an uninterrupted run leaves: nothing lost, nothing decided twice.
/// </summary>
/// <remarks>
/// The worker resumes at the first day its progress marker does not cover, so the work is finite: when a worker
/// finishes on its own before the kills are all spent, the test checks that database and starts over on a fresh one
/// (every kill then lands on real work: start-up, schema creation, ledger alignment or a daily run).
/// </remarks>
public sealed class CrashTests(ITestOutputHelper output)
{
    private const int Seed = 20260202;
    private const int Customers = 100;
    private const int Installments = 3;
    private const string From = "2026-02-02";
    private const string To = "2026-03-18";
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task Killing_the_worker_at_random_moments_loses_nothing_and_decides_nothing_twice()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("CREDITRECOVERY_CRASH_KILLS"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var k) && k > 0 ? k : 50;
        var randomSeed = int.TryParse(Environment.GetEnvironmentVariable("CREDITRECOVERY_CRASH_SEED"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? s : 4242;
        var random = new Random(randomSeed);
        var folder = Directory.CreateTempSubdirectory("cr-crash-").FullName;
        try
        {
            // The reference: one uninterrupted run.
            var clock = Stopwatch.StartNew();
            var reference = await WorkerProcess.RunAsync(Arguments(Path.Combine(folder, "reference.db")), RunTimeout);
            var referenceTime = clock.Elapsed;
            Log($"reference run: {referenceTime.TotalSeconds:0.0} s; {reference.FinalLine}");
            var expected = await ReadAsync(Path.Combine(folder, "reference.db"));
            Assert.NotEmpty(expected.Outbox);
            Assert.Empty(expected.DuplicateSteps());
            Assert.Empty(expected.DuplicateMessages());
            Assert.Empty(expected.BrokenChains);

            var done = 0;
            var duringStartUp = 0;
            var daysHit = new SortedDictionary<LocalDate, int>();
            var databases = 0;
            clock.Restart();
            while (done < kills)
            {
                databases++;
                var path = Path.Combine(folder, $"crashed-{databases}.db");
                var killsHere = 0;
                while (true)
                {
                    if (done == kills)
                    {
                        var last = await WorkerProcess.RunAsync(Arguments(path), RunTimeout);
                        Log($"database {databases}: {killsHere} kills, then ran to the end: {last.FinalLine}");
                        break;
                    }

                    using var worker = WorkerProcess.Start(Arguments(path));
                    var delay = TimeSpan.FromMilliseconds(random.Next(50, 1501));
                    if (await worker.WaitAsync(delay))
                    {
                        // It finished before the kill: this database is complete.
                        await worker.DrainAsync();
                        Assert.True(worker.ExitCode == 0, $"The worker failed after a restart (exit {worker.ExitCode}):{Environment.NewLine}{worker.Output}");
                        Log($"database {databases}: {killsHere} kills, then the worker finished on its own: {worker.FinalLine}");
                        break;
                    }

                    worker.Kill();
                    done++;
                    killsHere++;
                    if (!worker.Ready || worker.ResumedAt is null)
                    {
                        duringStartUp++;
                    }
                    else
                    {
                        var day = LocalDatePattern.Iso.Parse(worker.ResumedAt).GetValueOrThrow().PlusDays(worker.DaysDone);
                        daysHit[day] = daysHit.GetValueOrDefault(day) + 1;
                    }
                }

                var actual = await ReadAsync(path);
                var comparison = actual.CompareWith(expected);
                var duplicateSteps = actual.DuplicateSteps();
                var duplicateMessages = actual.DuplicateMessages();
                Assert.True(comparison.Same, $"Database {databases} after {killsHere} kills differs from the uninterrupted run: {comparison}");
                Assert.True(duplicateSteps.Count == 0, "Steps decided twice: " + string.Join("; ", duplicateSteps));
                Assert.True(duplicateMessages.Count == 0, "Messages queued twice: " + string.Join("; ", duplicateMessages));
                Assert.True(actual.BrokenChains.Count == 0, "Broken history chains: " + string.Join("; ", actual.BrokenChains));
            }

            Log($"{done} kills over {databases} database(s) in {clock.Elapsed.TotalSeconds:0.0} s ({duringStartUp} before the store was open, {done - duringStartUp} during alignment or runs); random seed {randomSeed}");
            Log("kills per business day being run: " + string.Join(", ", daysHit.Select(d => $"{LocalDatePattern.Iso.Format(d.Key)}×{d.Value}")));
            Log($"crash test: {done} kills, {expected.Outbox.Count} messages, {expected.StepDecisions} step decisions, {expected.HistoryEvents} history events over {expected.Cases.Count} cases, 0 lost, 0 duplicates");
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static WorkerArguments Arguments(string path) => new("sqlite", path, Seed, Customers, Installments, From, To);

    private static async Task<StoreSnapshot> ReadAsync(string path)
    {
        await using var store = new SqliteRecoveryStore(new SqliteStoreOptions { DatabasePath = path });
        return await StoreSnapshot.ReadAsync(store, GeneratedBook.Company);
    }

    private void Log(string line)
    {
        output.WriteLine(line);
        Console.WriteLine(line);
    }
}
