using System.Globalization;
using System.Text;

namespace CreditRecovery.ScaleHarness;

/// <summary>Formats the harness's figures as one table (Markdown or plain text) plus the details behind it.</summary>
public static class ResultTable
{
    /// <summary>The column headers.</summary>
    public static readonly string[] Headers = ["Measure", "Book", "Engine", "Reference", "Ratio", "Target", "Met"];

    /// <summary>The rows of the table.</summary>
    /// <param name="result">The result.</param>
    public static IReadOnlyList<string[]> Rows(HarnessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var rows = new List<string[]>();
        foreach (var s in result.Sizes)
        {
            var book = Book(s);
            rows.Add(["P1 daily run", book, Pair(s.Run, s.RunCpu), "floor " + Pair(s.Floor, s.FloorCpu), Ratios(s.RunRatio, s.RunCpuRatio), "≤ 2.0×", Met(s.RunCpuRatio <= 2.0)]);
            rows.Add(["P2 peak working set, daily run", book, Mib(s.PeakWorkingSet), "", "", s.Installments >= 1_000_000 ? "≤ 512 MiB" : "(at 1M)", s.Installments >= 1_000_000 ? Met(s.PeakWorkingSet <= 512L * 1048576) : ""]);
            rows.Add(["P3 snapshot sync, 1 % changed", book, Pair(s.Sync, s.SyncCpu), "raw read " + Pair(s.SnapshotRead, s.SnapshotReadCpu), Ratios(s.SyncRatio, s.SyncCpuRatio), "≤ 1.5×", Met(s.SyncCpuRatio <= 1.5)]);
            rows.Add(["P4 aging by customer (reports' ReadAgingAsync)", book, Time(s.Aging), "", "", s.Installments >= 1_000_000 ? "< 5 s" : "(at 1M)", s.Installments >= 1_000_000 ? Met(s.Aging.TotalSeconds < 5) : ""]);
        }

        var first = result.Sizes.Count > 0 ? result.Sizes[0] : null;
        foreach (var s in result.Sizes.Skip(1))
        {
            var growth = PerDueCase(s.RunCpu, s) / PerDueCase(first!.RunCpu, first);
            var wallGrowth = PerDueCase(s.Run, s) / PerDueCase(first.Run, first);
            var floorGrowth = PerDueCase(s.FloorCpu, s) / PerDueCase(first.FloorCpu, first);
            rows.Add([
                $"P5 growth of the daily run per due case, {Short(first.Installments)} → {Short(s.Installments)}",
                Book(s),
                $"cpu {Micro(PerDueCase(s.RunCpu, s))} vs {Micro(PerDueCase(first.RunCpu, first))}",
                $"floor cpu {Ratio(floorGrowth)}",
                Ratios(wallGrowth, growth),
                "≤ 1.10×",
                Met(growth <= 1.10),
            ]);
        }

        return rows;
    }

    /// <summary>The table and details as Markdown.</summary>
    /// <param name="result">The result.</param>
    public static string Markdown(HarnessResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var md = new StringBuilder();
        md.AppendLine("| " + string.Join(" | ", Headers) + " |");
        md.AppendLine("|" + string.Concat(Headers.Select(_ => "---|")));
        foreach (var row in Rows(result))
        {
            md.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        md.AppendLine();
        md.AppendLine(Inv($"Measured on: {result.Machine.Cpu}, {result.Machine.Cores} logical cores, {result.Machine.MemoryGiB} GiB RAM, {result.Machine.Os}, {result.Machine.Runtime}, SQLite {result.Machine.Sqlite}; databases in {result.Medium}. Harness duration: {Time(result.Duration)}."));
        md.AppendLine();
        md.AppendLine("| Book | Customers | ERP load | Setup sync | Setup run | Due cases | Messages | Tasks | Holds | Floor rows read / transactions / rows written | Sync: opened / paid / partial / unpaid | Open cases | Peak taken by |");
        md.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var s in result.Sizes)
        {
            var r = s.SyncReport;
            md.AppendLine(Inv($"| {Short(s.Installments)} | {s.Customers:N0} | {Time(s.ErpLoad)} | {Time(s.SetupSync)} | {Time(s.SetupRun)} | {s.RunReport.CasesExamined:N0} | {s.RunReport.Messages.Count:N0} | {s.RunReport.Tasks.Count:N0} | {s.RunReport.Holds.Count:N0} | {s.FloorResult.DueRows:N0} / {s.FloorResult.Transactions:N0} / {s.FloorResult.RowsWritten:N0} | {r.CasesOpened:N0} / {r.CasesPaid:N0} / {r.PartialPayments:N0} / {r.UnpaidReceipts:N0} | {s.OpenCases:N0} | {s.PeakMethod} |"));
        }

        return md.ToString();
    }

    /// <summary>The table as aligned plain text.</summary>
    /// <param name="result">The result.</param>
    public static string Text(HarnessResult result)
    {
        var rows = new List<string[]> { Headers };
        rows.AddRange(Rows(result));
        var widths = Headers.Select((_, i) => rows.Max(r => r[i].Length)).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.AppendLine(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd());
        }

        return text.ToString();
    }

    private static double PerDueCase(TimeSpan time, SizeResult s) => time.TotalMilliseconds * 1000 / Math.Max(1, s.RunReport.CasesExamined);

    private static string Book(SizeResult s) => Inv($"{Short(s.Installments)} inst. / {Short(s.Customers)} cust.");

    private static string Short(int n) => n switch
    {
        >= 1_000_000 when n % 1_000_000 == 0 => Inv($"{n / 1_000_000}M"),
        >= 1_000 when n % 1_000 == 0 => Inv($"{n / 1_000}k"),
        _ => n.ToString("N0", CultureInfo.InvariantCulture),
    };

    private static string Time(TimeSpan t) => t.TotalSeconds >= 1 ? Inv($"{t.TotalSeconds:F2} s") : Inv($"{t.TotalMilliseconds:F0} ms");

    private static string Pair(TimeSpan wall, TimeSpan cpu) => $"{Time(wall)} (cpu {Time(cpu)})";

    private static string Ratios(double wall, double cpu) => $"{Ratio(wall)} wall, {Ratio(cpu)} cpu";

    private static string Micro(double microseconds) => Inv($"{microseconds:F0} µs");

    private static string Mib(long bytes) => Inv($"{bytes / 1048576.0:F0} MiB");

    private static string Ratio(double ratio) => Inv($"{ratio:F2}×");

    private static string Met(bool met) => met ? "yes" : "no";

    private static string Inv(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
