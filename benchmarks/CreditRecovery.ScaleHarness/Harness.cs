using System.Diagnostics;
using System.Globalization;
using CreditRecovery.Ledger;
using CreditRecovery.Running;
using CreditRecovery.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CreditRecovery.ScaleHarness;

/// <summary>How the harness runs.</summary>
public sealed record HarnessOptions
{
    /// <summary>The book sizes (open installments), smallest first.</summary>
    public required IReadOnlyList<int> Sizes { get; init; }

    /// <summary>The generator's seed.</summary>
    public int Seed { get; init; } = 20260311;

    /// <summary>Where the databases go; a temporary folder by default. Deleted afterwards unless <see cref="Keep"/>.</summary>
    public string? WorkDirectory { get; init; }

    /// <summary>Keep the databases.</summary>
    public bool Keep { get; init; }

    /// <summary>Progress lines; none by default.</summary>
    public TextWriter? Log { get; init; }
}

/// <summary>The figures of one book size.</summary>
public sealed record SizeResult
{
    /// <summary>Open installments in the book.</summary>
    public required int Installments { get; init; }

    /// <summary>Customers in the book.</summary>
    public required int Customers { get; init; }

    /// <summary>Loading the ERP file (informative).</summary>
    public required TimeSpan ErpLoad { get; init; }

    /// <summary>Setup: the first sync and daily run that open every case (informative).</summary>
    public required TimeSpan SetupSync { get; init; }

    /// <summary>Setup: the first daily run over every case (informative).</summary>
    public required TimeSpan SetupRun { get; init; }

    /// <summary>ERP rows changed for the measured day.</summary>
    public required int LedgerChanges { get; init; }

    /// <summary>P3: reading the snapshot to its end, doing nothing with it.</summary>
    public required TimeSpan SnapshotRead { get; init; }

    /// <summary>P3: records in the snapshot.</summary>
    public required int SnapshotRecords { get; init; }

    /// <summary>P3: reading the snapshot, CPU time of the process.</summary>
    public required TimeSpan SnapshotReadCpu { get; init; }

    /// <summary>P3: the engine's snapshot sync, CPU time of the process.</summary>
    public required TimeSpan SyncCpu { get; init; }

    /// <summary>P3: the engine's snapshot sync.</summary>
    public required TimeSpan Sync { get; init; }

    /// <summary>P3: the sync's report.</summary>
    public required LedgerSyncReport SyncReport { get; init; }

    /// <summary>P1: the engine's daily run.</summary>
    public required TimeSpan Run { get; init; }

    /// <summary>P1: the engine's daily run, CPU time of the process.</summary>
    public required TimeSpan RunCpu { get; init; }

    /// <summary>P1: the run's report.</summary>
    public required RunReport RunReport { get; init; }

    /// <summary>P1: the floor.</summary>
    public required TimeSpan Floor { get; init; }

    /// <summary>P1: the floor, CPU time of the process.</summary>
    public required TimeSpan FloorCpu { get; init; }

    /// <summary>P1: what the floor did.</summary>
    public required FloorResult FloorResult { get; init; }

    /// <summary>P2: peak working set of the process during the daily run, in bytes.</summary>
    public required long PeakWorkingSet { get; init; }

    /// <summary>P2: how the peak was taken.</summary>
    public required string PeakMethod { get; init; }

    /// <summary>P4: the aging query.</summary>
    public required TimeSpan Aging { get; init; }

    /// <summary>P4: the aging buckets.</summary>
    public required IReadOnlyList<AgingBucket> AgingBuckets { get; init; }

    /// <summary>Open cases after the run.</summary>
    public required int OpenCases { get; init; }

    /// <summary>P1 ratio, wall-clock time.</summary>
    public double RunRatio => Run / Floor;

    /// <summary>P1 ratio, CPU time.</summary>
    public double RunCpuRatio => RunCpu / FloorCpu;

    /// <summary>P3 ratio, wall-clock time.</summary>
    public double SyncRatio => Sync / SnapshotRead;

    /// <summary>P3 ratio, CPU time.</summary>
    public double SyncCpuRatio => SyncCpu / SnapshotReadCpu;
}

/// <summary>The harness's result.</summary>
public sealed record HarnessResult(IReadOnlyList<SizeResult> Sizes, MachineInfo Machine, TimeSpan Duration, string Medium = "")
{
    /// <summary>The table as Markdown.</summary>
    public string ToMarkdown() => ResultTable.Markdown(this);

    /// <summary>The table as plain text for a console.</summary>
    public string ToText() => ResultTable.Text(this);
}

/// <summary>
/// The scale harness: for each size, builds a deterministic book, aligns and runs a setup day through the engine, then
/// measures the measured day's snapshot sync (P3) against reading the snapshot, the daily run (P1) against the floor
/// with the peak working set (P2), and the aging query (P4); growth across sizes is P5.
/// </summary>
public static class Harness
{
    /// <summary>The measured business date: a Wednesday with no holiday around it.</summary>
    public static readonly LocalDate MeasuredDay = new(2026, 3, 11);

    private static readonly DateTimeZone Rome = DateTimeZoneProviders.Tzdb["Europe/Rome"];

    /// <summary>Runs the harness.</summary>
    /// <param name="options">The options.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    public static async Task<HarnessResult> RunAsync(HarnessOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var total = Stopwatch.StartNew();
        var root = options.WorkDirectory ?? Path.Combine(DefaultMedium(), "creditrecovery-scale-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(root);
        var results = new List<SizeResult>();
        try
        {
            foreach (var size in options.Sizes)
            {
                var folder = Path.Combine(root, "book-" + size.ToString(CultureInfo.InvariantCulture));
                if (Directory.Exists(folder))
                {
                    Directory.Delete(folder, recursive: true);
                }

                Directory.CreateDirectory(folder);
                results.Add(await RunSizeAsync(size, options, folder, cancellationToken).ConfigureAwait(false));
                if (!options.Keep)
                {
                    SqliteConnection.ClearAllPools();
                    Directory.Delete(folder, recursive: true);
                }
            }
        }
        finally
        {
            if (!options.Keep && options.WorkDirectory is null && Directory.Exists(root))
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(root, recursive: true);
            }
        }

        return new HarnessResult(results, MachineInfo.Describe(), total.Elapsed, Path.GetDirectoryName(Path.GetFullPath(root)) ?? root);
    }

    private static async Task<SizeResult> RunSizeAsync(int size, HarnessOptions options, string folder, CancellationToken cancellationToken)
    {
        var log = options.Log ?? TextWriter.Null;
        var company = BenchProcedures.Company;
        var book = new BookGenerator(size, options.Seed, company, MeasuredDay);
        var setupDay = MeasuredDay.PlusDays(-1);
        log.WriteLine($"[{size:N0}] {book.CustomerCount:N0} customers, up to {book.MaxInstallmentsPerCustomer} installments each");

        var watch = Stopwatch.StartNew();
        var erp = new ErpLedger(Path.Combine(folder, "erp.db"), company);
        erp.Load(book);
        var erpLoad = watch.Elapsed;
        log.WriteLine($"[{size:N0}] ERP loaded in {erpLoad.TotalSeconds:F1} s");

        var storePath = Path.Combine(folder, "store.db");
        var floorPath = Path.Combine(folder, "floor.db");
        var clock = new HarnessClock();
        await using var store = new SqliteRecoveryStore(storePath);
        var engine = new CreditRecoveryEngineBuilder()
            .Configure(BenchProcedures.Configure)
            .UseStore(store)
            .UseLedger(erp)
            .UseClock(clock)
            .Build();

        // Setup day: open every case and run the day, so the book reaches the measured day as it would in production.
        clock.Set(setupDay, Rome);
        watch.Restart();
        await engine.Ledger!.SynchronizeAsync(company, LedgerReadMode.Snapshot, setupDay, cancellationToken).ConfigureAwait(false);
        var setupSync = watch.Elapsed;
        watch.Restart();
        await engine.Runner.RunAsync(company, setupDay, cancellationToken: cancellationToken).ConfigureAwait(false);
        var setupRun = watch.Elapsed;
        log.WriteLine($"[{size:N0}] setup: first sync {setupSync.TotalSeconds:F1} s, first run {setupRun.TotalSeconds:F1} s");

        // The measured day: about 1 % of the ledger changed overnight.
        var changes = erp.ApplyChanges(book);
        clock.Set(MeasuredDay, Rome);

        // P3: read the snapshot to its end (twice: the first warms the cache), then the engine's sync.
        var records = await ReadSnapshotAsync(erp, company, cancellationToken).ConfigureAwait(false);
        var cpu = Cpu();
        watch.Restart();
        records = await ReadSnapshotAsync(erp, company, cancellationToken).ConfigureAwait(false);
        var snapshotRead = watch.Elapsed;
        var snapshotReadCpu = Cpu() - cpu;
        cpu = Cpu();
        watch.Restart();
        var syncReport = await engine.Ledger.SynchronizeAsync(company, LedgerReadMode.Snapshot, MeasuredDay, cancellationToken).ConfigureAwait(false);
        var sync = watch.Elapsed;
        var syncCpu = Cpu() - cpu;
        log.WriteLine($"[{size:N0}] P3: snapshot read {snapshotRead.TotalSeconds:F2} s, sync {sync.TotalSeconds:F2} s ({changes} ERP rows changed)");

        // The floor works on a copy of the store as it is now, before the run.
        Backup(storePath, floorPath);

        // P1 + P2: the engine's daily run.
        var peak = new PeakWorkingSet();
        cpu = Cpu();
        watch.Restart();
        var runReport = await engine.Runner.RunAsync(company, MeasuredDay, cancellationToken: cancellationToken).ConfigureAwait(false);
        var run = watch.Elapsed;
        var runCpu = Cpu() - cpu;
        var (peakBytes, peakMethod) = peak.Stop();
        log.WriteLine($"[{size:N0}] P1: run {run.TotalSeconds:F2} s, {runReport.CasesExamined:N0} due cases, {runReport.Messages.Count:N0} messages, {runReport.Tasks.Count:N0} tasks; P2 peak {peakBytes / 1048576.0:F0} MiB");

        // P1: the floor, on the copy, writing what the engine wrote.
        var plan = SqliteFloor.Plan(storePath, floorPath, company);
        cpu = Cpu();
        watch.Restart();
        var floorResult = SqliteFloor.Run(floorPath, company, MeasuredDay, plan, clock.GetCurrentInstant());
        var floor = watch.Elapsed;
        var floorCpu = Cpu() - cpu;
        log.WriteLine($"[{size:N0}] P1: floor {floor.TotalSeconds:F2} s ({floorResult.DueRows:N0} rows read, {floorResult.Transactions:N0} transactions, {floorResult.RowsWritten:N0} rows written)");

        // P4: aging of the open book.
        watch.Restart();
        var (buckets, agingCells) = await Aging.QueryAsync(store, company, MeasuredDay, cancellationToken).ConfigureAwait(false);
        var aging = watch.Elapsed;
        log.WriteLine($"[{size:N0}] P4: aging {aging.TotalSeconds:F2} s ({agingCells:N0} customer × bucket cells)");

        return new SizeResult
        {
            Installments = size,
            Customers = book.CustomerCount,
            ErpLoad = erpLoad,
            SetupSync = setupSync,
            SetupRun = setupRun,
            LedgerChanges = changes,
            SnapshotRead = snapshotRead,
            SnapshotRecords = records,
            SnapshotReadCpu = snapshotReadCpu,
            SyncCpu = syncCpu,
            Sync = sync,
            SyncReport = syncReport,
            Run = run,
            RunCpu = runCpu,
            RunReport = runReport,
            Floor = floor,
            FloorCpu = floorCpu,
            FloorResult = floorResult,
            PeakWorkingSet = peakBytes,
            PeakMethod = peakMethod,
            Aging = aging,
            AgingBuckets = buckets,
            OpenCases = buckets.Sum(b => b.Cases),
        };
    }

    /// <summary>
    /// Where the databases go by default: memory-backed <c>/dev/shm</c> when there is one, so that the figures measure the
    /// engine and SQLite, not the shared disk's fsync (which both the engine and the floor pay once per customer).
    /// </summary>
    public static string DefaultMedium() => Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();

    private static TimeSpan Cpu()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }

    private static async Task<int> ReadSnapshotAsync(ErpLedger erp, CompanyId company, CancellationToken cancellationToken)
    {
        var count = 0;
        await foreach (var record in erp.ReadSnapshotAsync(company, cancellationToken).ConfigureAwait(false))
        {
            GC.KeepAlive(record);
            count++;
        }

        return count;
    }

    private static void Backup(string source, string destination)
    {
        using var from = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = source, Pooling = false }.ToString());
        using var to = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = destination, Pooling = false }.ToString());
        from.Open();
        to.Open();
        from.BackupDatabase(to);
        using var wal = to.CreateCommand();
        wal.CommandText = "PRAGMA journal_mode = WAL;";
        wal.ExecuteNonQuery();
    }

    /// <summary>A clock the harness sets to 09:00 in Rome of each business date.</summary>
    private sealed class HarnessClock : IClock
    {
        private Instant _now;

        public void Set(LocalDate date, DateTimeZone zone) => _now = date.At(new LocalTime(9, 0)).InZoneLeniently(zone).ToInstant();

        public Instant GetCurrentInstant() => _now;
    }
}
