using System.Globalization;
using System.Net;
using System.Text;
using CreditRecovery.Reporting;
using NodaTime.Text;

namespace CreditRecovery.Reports;

/// <summary>
/// Builds one self-contained HTML report: inline CSS, charts as inline SVG (aging bars, trend lines), no script, no
/// external asset, so it opens offline and prints as it shows. Every value from the data is HTML-escaped.
/// </summary>
/// <param name="title">The report's title.</param>
/// <param name="culture">The culture of numbers; default Italian (<c>1.234,50</c>).</param>
public sealed class HtmlReport(string title, CultureInfo? culture = null)
{
    private const string Style = """
        body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;margin:24px;color:#222;font-size:13px}
        h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #ccc;padding-bottom:4px}
        p.meta{color:#555;margin:0 0 12px}
        table{border-collapse:collapse;margin:8px 0 16px}th,td{border:1px solid #ccc;padding:3px 8px}
        th{background:#f0f3f7;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
        tr.total td{font-weight:bold;background:#fafafa}
        svg{display:block;margin:8px 0 16px}svg text{font-family:inherit;font-size:11px;fill:#333}
        .err{color:#b00020}
        @media print{h2{page-break-after:avoid}table{page-break-inside:auto}}
        """;

    private static readonly string[] Palette = ["#2f6db5", "#e08a1e", "#3a9e4f", "#c0392b", "#7d4fb5", "#6b6b6b"];
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;
    private readonly StringBuilder _body = new();
    private readonly CultureInfo _culture = culture ?? CultureInfo.GetCultureInfo("it-IT");
    private readonly string _title = title ?? throw new ArgumentNullException(nameof(title));

    /// <summary>Adds a line of text under the title (company, date...).</summary>
    /// <param name="text">The text.</param>
    public HtmlReport AddMeta(string text)
    {
        _body.Append("<p class=\"meta\">").Append(E(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds an aging: a bar chart of the bucket totals per currency, then the table with a total row.</summary>
    /// <param name="report">The aging.</param>
    public HtmlReport AddAging(AgingReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _body.Append("<h2>").Append(E(string.Create(CultureInfo.InvariantCulture, $"Aging by {report.GroupBy} as of {Iso.Format(report.AsOf)}"))).Append("</h2>\n");
        foreach (var currency in report.Currencies)
        {
            var total = report.Total(currency);
            BarChart($"Open residual by age ({currency})", Enumerable.Range(0, report.Buckets.Count).Select(i => (report.Buckets.Label(i), total.Amounts[i])).ToList());
        }

        _body.Append("<table><thead><tr><th>").Append(E(report.GroupBy.ToString())).Append("</th><th>Name</th><th>Currency</th>");
        for (var i = 0; i < report.Buckets.Count; i++)
        {
            _body.Append("<th>").Append(E(report.Buckets.Label(i))).Append("</th>");
        }

        _body.Append("<th>Total</th><th>Installments</th></tr></thead><tbody>\n");
        foreach (var row in report.Rows)
        {
            AgingRowHtml(row, "");
        }

        foreach (var currency in report.Currencies)
        {
            AgingRowHtml(report.Total(currency), " class=\"total\"");
        }

        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>Adds the credit report by total (per customer).</summary>
    /// <param name="lines">The lines.</param>
    public HtmlReport AddCreditByCustomer(IEnumerable<CustomerCreditLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Table("Credit by customer", ["Customer", "Name", "Currency", "Open", "Not yet due", "Overdue", "Installments"],
            lines.Select(l => new[] { T(l.CustomerCode), T(l.CustomerName), T(l.Currency), N(l.OpenResidual), N(l.NotYetDue), N(l.Overdue), N(l.Installments) }));
        return this;
    }

    /// <summary>Adds the content of the parking areas and hand-overs.</summary>
    /// <param name="groups">The groups.</param>
    public HtmlReport AddParkingAreas(IEnumerable<ParkingGroup> groups)
    {
        ArgumentNullException.ThrowIfNull(groups);
        Table("Parking areas and hand-overs", ["Area", "Cases", "Open residual"],
            groups.Select(g => new[]
            {
                T(g.Title),
                N(g.Cases.Count),
                T(string.Join(" ", g.Totals.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => kv.Value.ToString("N2", _culture) + " " + kv.Key))),
            }));
        return this;
    }

    /// <summary>Adds the planned actions per day.</summary>
    /// <param name="days">The days.</param>
    public HtmlReport AddPlannedActions(IEnumerable<PlannedDay> days)
    {
        ArgumentNullException.ThrowIfNull(days);
        Table("Planned actions", ["Date", "Cases to review", "Tasks", "Agenda entries"],
            days.Select(d => new[] { T(Iso.Format(d.Date)), N(d.CasesToReview), N(d.TasksByKind.Values.Sum()), N(d.AgendaEntries) }));
        return this;
    }

    /// <summary>Adds the workload per operator and day.</summary>
    /// <param name="workload">The workload.</param>
    public HtmlReport AddWorkload(IEnumerable<CreditRecovery.Operators.DailyWorkload> workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        Table("Daily workload", ["Date", "Operator", "Tasks", "Agenda entries", "Total"],
            workload.Select(w => new[] { T(Iso.Format(w.Date)), T(w.Operator.Value), N(w.Tasks), N(w.AgendaEntries), N(w.Total) }));
        return this;
    }

    /// <summary>Adds effectiveness: trend lines (recovery rate, DSO) per currency, then the table per step.</summary>
    /// <param name="report">The report.</param>
    public HtmlReport AddEffectiveness(EffectivenessReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        _body.Append("<h2>Effectiveness</h2>\n");
        foreach (var group in report.Trend.GroupBy(p => p.Currency, StringComparer.Ordinal))
        {
            var points = group.OrderBy(p => p.Date).ToList();
            LineChart($"Recovery rate % ({group.Key})", points.Select(p => (Iso.Format(p.Date), p.RecoveryRate * 100m)).ToList());
            LineChart($"DSO, days ({group.Key})", points.Select(p => (Iso.Format(p.Date), p.Dso)).ToList());
        }

        Table(null, ["Procedure", "Step", "Currency", "Executions", $"Paid within {report.WithinDays} days", "Paid amount", "Paid rate"],
            report.Steps.Select(s => new[] { T(s.ProcedureId), T(s.StepId), T(s.Currency), N(s.Executions), N(s.PaidInstallments), N(s.PaidAmount), N(s.PaidRate * 100m, "N1") + " %" }));
        return this;
    }

    /// <summary>Adds the late-payment interest claimable per customer.</summary>
    /// <param name="lines">The lines.</param>
    public HtmlReport AddClaimableInterest(IEnumerable<CustomerInterestLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        Table("Claimable late-payment interest (D.Lgs. 231/2002)", ["Customer", "Name", "Currency", "Overdue", "Interest", "Compensation", "Total", "Note"],
            lines.Select(l => new[] { T(l.CustomerCode), T(l.CustomerName), T(l.Currency), N(l.OverdueResidual), N(l.Interest), N(l.Compensation), N(l.Total), l.Error is null ? "<td></td>" : "<td class=\"err\">" + E(l.Error) + "</td>" }));
        return this;
    }

    /// <summary>The whole document.</summary>
    public override string ToString() =>
        new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
            .Append(E(_title)).Append("</title><style>").Append(Style).Append("</style></head><body>\n<h1>").Append(E(_title)).Append("</h1>\n")
            .Append(_body).Append("</body></html>\n").ToString();

    /// <summary>Writes the document.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task WriteToAsync(TextWriter writer, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writer);
        return writer.WriteAsync(ToString().AsMemory(), cancellationToken);
    }

    private static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    private static string T(string? text) => "<td>" + E(text) + "</td>";

    private string N(decimal value, string format = "N2") => "<td class=\"n\">" + E(value.ToString(format, _culture)) + "</td>";

    private string N(int value) => "<td class=\"n\">" + E(value.ToString("N0", _culture)) + "</td>";

    private static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

    private void AgingRowHtml(AgingRow row, string attributes)
    {
        _body.Append("<tr").Append(attributes).Append('>').Append(T(row.GroupKey)).Append(T(row.GroupLabel)).Append(T(row.Currency));
        foreach (var amount in row.Amounts)
        {
            _body.Append(N(amount));
        }

        _body.Append(N(row.Total)).Append(N(row.Installments)).Append("</tr>\n");
    }

    private void Table(string? heading, string[] headers, IEnumerable<string[]> rows)
    {
        if (heading is not null)
        {
            _body.Append("<h2>").Append(E(heading)).Append("</h2>\n");
        }

        _body.Append("<table><thead><tr>");
        foreach (var h in headers)
        {
            _body.Append("<th>").Append(E(h)).Append("</th>");
        }

        _body.Append("</tr></thead><tbody>\n");
        foreach (var cells in rows)
        {
            _body.Append("<tr>").AppendJoin("", cells).Append("</tr>\n");
        }

        _body.Append("</tbody></table>\n");
    }

    private void BarChart(string caption, IReadOnlyList<(string Label, decimal Value)> bars)
    {
        const double width = 640, height = 240, left = 90, bottom = 40, top = 28;
        var max = (double)Math.Max(bars.Max(b => Math.Abs(b.Value)), 1m);
        var slot = (width - left - 10) / bars.Count;
        var plot = height - bottom - top;
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{E(caption)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"16\" font-weight=\"bold\">{E(caption)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - 10}\" y2=\"{height - bottom}\" stroke=\"#999\"/>");
        for (var i = 0; i < bars.Count; i++)
        {
            var h = (double)Math.Abs(bars[i].Value) / max * plot;
            var x = left + (i * slot) + (slot * 0.15);
            var y = height - bottom - h;
            svg.Append(CultureInfo.InvariantCulture, $"<rect x=\"{F(x)}\" y=\"{F(y)}\" width=\"{F(slot * 0.7)}\" height=\"{F(h)}\" fill=\"{Palette[Math.Min(i, Palette.Length - 1)]}\"><title>{E(bars[i].Label)}: {E(bars[i].Value.ToString("N2", _culture))}</title></rect>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + (slot * 0.35))}\" y=\"{F(y - 4)}\" text-anchor=\"middle\">{E(bars[i].Value.ToString("N0", _culture))}</text>");
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x + (slot * 0.35))}\" y=\"{F(height - bottom + 16)}\" text-anchor=\"middle\">{E(bars[i].Label)}</text>");
        }

        _body.Append(svg).Append("</svg>\n");
    }

    private void LineChart(string caption, IReadOnlyList<(string Label, decimal? Value)> points)
    {
        const double width = 640, height = 220, left = 60, bottom = 40, top = 28, right = 20;
        var values = points.Where(p => p.Value is not null).Select(p => (double)p.Value!.Value).ToList();
        var max = values.Count == 0 ? 1 : Math.Max(values.Max(), 1e-9);
        var min = values.Count == 0 ? 0 : Math.Min(values.Min(), 0);
        var plot = height - bottom - top;
        var step = points.Count > 1 ? (width - left - right) / (points.Count - 1) : 0;
        double Y(double v) => height - bottom - ((v - min) / (max - min) * plot);
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" role=\"img\" aria-label=\"{E(caption)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left}\" y=\"16\" font-weight=\"bold\">{E(caption)}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{height - bottom}\" x2=\"{width - right}\" y2=\"{height - bottom}\" stroke=\"#999\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<line x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\" stroke=\"#999\"/>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(Y(max) + 4)}\" text-anchor=\"end\">{E(max.ToString("N1", _culture))}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{left - 6}\" y=\"{F(Y(min) + 4)}\" text-anchor=\"end\">{E(min.ToString("N1", _culture))}</text>");
        var path = new StringBuilder();
        for (var i = 0; i < points.Count; i++)
        {
            var x = left + (i * step);
            svg.Append(CultureInfo.InvariantCulture, $"<text x=\"{F(x)}\" y=\"{F(height - bottom + 16)}\" text-anchor=\"middle\">{E(points[i].Label)}</text>");
            if (points[i].Value is { } v)
            {
                path.Append(path.Length == 0 ? "M" : " L").Append(F(x)).Append(',').Append(F(Y((double)v)));
                svg.Append(CultureInfo.InvariantCulture, $"<circle cx=\"{F(x)}\" cy=\"{F(Y((double)v))}\" r=\"3\" fill=\"{Palette[0]}\"><title>{E(points[i].Label)}: {E(v.ToString("N1", _culture))}</title></circle>");
            }
        }

        if (path.Length > 0)
        {
            svg.Append("<path d=\"").Append(path).Append(CultureInfo.InvariantCulture, $"\" fill=\"none\" stroke=\"{Palette[0]}\" stroke-width=\"2\"/>");
        }

        _body.Append(svg).Append("</svg>\n");
    }
}
