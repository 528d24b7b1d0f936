using System.Globalization;
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
    public static string Source(int workerId) => "resilience-worker/" + workerId.ToString(CultureInfo.InvariantCulture);

    /// <summary>Waits until workers 1..<paramref name="workers"/> have all completed <paramref name="day"/>.</summary>
    public static async Task WaitForAllAsync(IRecoveryStore store, CompanyId company, int workers, LocalDate day)
    {
        var deadline = DateTimeOffset.UtcNow.AddMinutes(10);
        for (var id = 1; id <= workers; id++)
        {
            while (true)
            {
                var marker = await store.GetCursorAsync(company, Source(id));
                if (marker is not null && LocalDatePattern.Iso.Parse(marker).Value >= day)
                {
                    break;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new TimeoutException($"Worker {id} did not complete {LocalDatePattern.Iso.Format(day)} within 10 minutes.");
                }

                await Task.Delay(10);
            }
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
