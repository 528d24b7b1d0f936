using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using CreditRecovery.Ports;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CreditRecovery.ScaleHarness;

/// <summary>
/// The peak working set (resident memory) of the process over an interval. On Linux the kernel's high-water mark
/// (<c>VmHWM</c>) is reset at the start by writing 5 to <c>/proc/self/clear_refs</c>, so the peak is the interval's,
/// not the setup's; elsewhere (or when the reset is refused) the working set is sampled every 10 ms.
/// </summary>
public sealed class PeakWorkingSet
{
    private readonly bool _reset;
    private readonly Thread _sampler;
    private volatile bool _stop;
    private long _sampled;

    /// <summary>Collects garbage, resets the high-water mark and starts sampling.</summary>
    public PeakWorkingSet()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        try
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                File.WriteAllText("/proc/self/clear_refs", "5");
                _reset = true;
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        _sampler = new Thread(Sample) { IsBackground = true, Name = "peak working set" };
        _sampler.Start();
    }

    /// <summary>Stops and returns the peak in bytes and how it was taken.</summary>
    public (long Bytes, string Method) Stop()
    {
        _stop = true;
        _sampler.Join();
        if (_reset && ReadHighWaterMark() is { } hwm)
        {
            return (Math.Max(hwm, Interlocked.Read(ref _sampled)), "VmHWM after reset");
        }

        return (Interlocked.Read(ref _sampled), "sampled every 10 ms");
    }

    private static long? ReadHighWaterMark()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                var kb = line["VmHWM:".Length..].Trim().Split(' ')[0];
                return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
            }
        }

        return null;
    }

    private void Sample()
    {
        using var process = Process.GetCurrentProcess();
        while (!_stop)
        {
            process.Refresh();
            var now = process.WorkingSet64;
            if (now > Interlocked.Read(ref _sampled))
            {
                Interlocked.Exchange(ref _sampled, now);
            }

            Thread.Sleep(10);
        }
    }
}

/// <summary>One aging bucket: open installments and their open residual.</summary>
/// <param name="Name">The bucket.</param>
/// <param name="Cases">Open installments.</param>
/// <param name="Residual">Open residual, in euros.</param>
public sealed record AgingBucket(string Name, int Cases, decimal Residual);

/// <summary>
/// P4: the reports' aging (<see cref="ICreditAnalyticsStore.ReadAgingAsync"/>) of the open book by customer in the
/// default buckets, as an operator's aging report asks it; the per-customer cells are summed into the totals shown.
/// </summary>
public static class Aging
{
    /// <summary>The bucket names.</summary>
    public static IReadOnlyList<string> Names { get; } = Enumerable.Range(0, AgingBuckets.Default.Count).Select(AgingBuckets.Default.Label).ToList();

    /// <summary>Runs the aging on a store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="company">The company.</param>
    /// <param name="today">The date the ages count to.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public static async Task<(IReadOnlyList<AgingBucket> Buckets, int Cells)> QueryAsync(ICreditAnalyticsStore store, CompanyId company, LocalDate today, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var counts = new int[Names.Count];
        var residuals = new decimal[Names.Count];
        var cells = 0;
        await foreach (var cell in store.ReadAgingAsync(company, new AgingQuery { AsOf = today, GroupBy = AgingDimension.Customer }, cancellationToken).ConfigureAwait(false))
        {
            counts[cell.Bucket] += cell.Installments;
            residuals[cell.Bucket] += cell.Residual;
            cells++;
        }

        return (Names.Select((name, i) => new AgingBucket(name, counts[i], residuals[i])).ToList(), cells);
    }
}

/// <summary>The machine the figures were measured on.</summary>
/// <param name="Cpu">CPU model.</param>
/// <param name="Cores">Logical cores.</param>
/// <param name="MemoryGiB">Installed memory.</param>
/// <param name="Os">Operating system.</param>
/// <param name="Runtime">.NET runtime.</param>
/// <param name="Sqlite">SQLite version.</param>
public sealed record MachineInfo(string Cpu, int Cores, double MemoryGiB, string Os, string Runtime, string Sqlite)
{
    /// <summary>Describes this machine.</summary>
    public static MachineInfo Describe()
    {
        var cpu = "unknown CPU";
        double memory = 0;
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }

        if (File.Exists("/proc/meminfo"))
        {
            var line = File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal));
            if (line is not null)
            {
                memory = long.Parse(line["MemTotal:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1048576.0;
            }
        }

        string sqlite;
        using (var connection = new SqliteConnection("Data Source=:memory:"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT sqlite_version();";
            sqlite = (string)command.ExecuteScalar()!;
        }

        return new MachineInfo(cpu, Environment.ProcessorCount, Math.Round(memory, 1), RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription, sqlite);
    }
}
