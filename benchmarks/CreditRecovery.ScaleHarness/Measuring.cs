using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

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

/// <summary>One aging bucket: open cases and their open residual.</summary>
/// <param name="Name">The bucket.</param>
/// <param name="Cases">Open cases.</param>
/// <param name="Residual">Open residual, in euros.</param>
public sealed record AgingBucket(string Name, int Cases, decimal Residual);

/// <summary>
/// P4: aging of the open book per customer in five buckets (not yet due, 1–30, 31–60, 61–90, over 90 days past due) as
/// one set-based query over the store's cases (the due date and residual read from the stored JSON), grouped by customer
/// and bucket; the per-customer rows are then summed into the totals shown.
/// </summary>
public static class Aging
{
    /// <summary>The bucket names.</summary>
    public static readonly string[] Names = ["not due", "1-30", "31-60", "61-90", "90+"];

    /// <summary>The query.</summary>
    public const string Sql = """
        SELECT customer_code,
               CASE WHEN due >= $today THEN 0
                    WHEN julianday($today) - julianday(due) <= 30 THEN 1
                    WHEN julianday($today) - julianday(due) <= 60 THEN 2
                    WHEN julianday($today) - julianday(due) <= 90 THEN 3
                    ELSE 4 END AS bucket,
               count(*), total(residual)
        FROM (SELECT customer_code,
                     json_extract(payload, '$.installment.dueDate') AS due,
                     json_extract(payload, '$.installment.openResidual.amount') AS residual
              FROM cases WHERE company = $company AND status <> 'Closed')
        GROUP BY customer_code, bucket;
        """;

    /// <summary>Runs the query on a store file.</summary>
    /// <param name="database">The store's file.</param>
    /// <param name="company">The company.</param>
    /// <param name="today">The date the ages count to.</param>
    public static IReadOnlyList<AgingBucket> Query(string database, CompanyId company, LocalDate today)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = Sql;
        command.Parameters.AddWithValue("$company", company.Value);
        command.Parameters.AddWithValue("$today", LocalDatePattern.Iso.Format(today));
        var counts = new int[Names.Length];
        var residuals = new decimal[Names.Length];
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var bucket = reader.GetInt32(1);
            counts[bucket] += reader.GetInt32(2);
            residuals[bucket] += (decimal)reader.GetDouble(3);
        }

        return Names.Select((name, i) => new AgingBucket(name, counts[i], decimal.Round(residuals[i], 2))).ToList();
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
