using System.Globalization;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Storage.Worker;

/// <summary>A clock the worker sets to 09:00 in Rome of each business date.</summary>
internal sealed class SettableClock : IClock
{
    public Instant Now { get; set; }

    public Instant GetCurrentInstant() => Now;
}

/// <summary>The worker's progress markers: one sync cursor per worker, holding the last completed day.</summary>
internal static class Progress
{
    /// <summary>The marker of the last day whose ledger alignment is complete (written by worker 1 only).</summary>
    public const string AlignedSource = "resilience-worker/aligned";

    public static string Source(int workerId) => "resilience-worker/" + workerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Waits until workers 1..<paramref name="workers"/> have all completed <paramref name="day"/>.</summary>
    public static async Task WaitForAllAsync(IRecoveryStore store, CompanyId company, int workers, LocalDate day)
    {
        for (var id = 1; id <= workers; id++)
        {
            await WaitForAsync(store, company, Source(id), day, $"Worker {id} did not complete");
        }
    }

    /// <summary>Waits until worker 1 has aligned the ledger for <paramref name="day"/>.</summary>
    public static Task WaitForAlignmentAsync(IRecoveryStore store, CompanyId company, LocalDate day) =>
        WaitForAsync(store, company, AlignedSource, day, "Worker 1 did not align the ledger for");

    /// <summary>Records that <paramref name="day"/> is done under a marker.</summary>
    public static async Task MarkAsync(IRecoveryStore store, CompanyId company, string source, LocalDate day)
    {
        var progress = new RecoveryChangeSet(company);
        progress.Cursors.Add(new SyncCursor(company, source, LocalDatePattern.Iso.Format(day)));
        await store.CommitAsync(progress);
    }

    private static async Task WaitForAsync(IRecoveryStore store, CompanyId company, string source, LocalDate day, string failure)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(10);
        while (true)
        {
            var marker = await store.GetCursorAsync(company, source);
            if (marker is not null && LocalDatePattern.Iso.Parse(marker).Value >= day)
            {
                return;
            }

            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"{failure} {LocalDatePattern.Iso.Format(day)} within 10 minutes.");
            }

            await Task.Delay(10);
        }
    }
}

/// <summary>The command line.</summary>
internal sealed record Arguments(string Store, string Connection, int Seed, int Customers, int Installments, LocalDate From, LocalDate To, int WorkerId, int Workers)
{
    public static Arguments Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[i + 1];
        }

        string Get(string name, string? fallback = null) =>
            values.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required.");
        int Int(string name, string? fallback = null) => int.Parse(Get(name, fallback), NumberStyles.Integer, CultureInfo.InvariantCulture);
        LocalDate Date(string name) => LocalDatePattern.Iso.Parse(Get(name)).GetValueOrThrow();

        return new Arguments(Get("store"), Get("connection"), Int("seed"), Int("customers"), Int("installments"), Date("from"), Date("to"), Int("worker-id", "1"), Int("workers", "1"));
    }
}
