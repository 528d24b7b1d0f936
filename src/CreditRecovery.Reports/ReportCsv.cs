using System.Globalization;
using CreditRecovery.Reporting;
using NodaTime.Text;

namespace CreditRecovery.Reports;

/// <summary>The reports as CSV, one record per row with a header record (dates ISO <c>yyyy-MM-dd</c>).</summary>
public static class ReportCsv
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    /// <summary>Writes an aging: group, label, currency, one column per bucket, total, installments; then a total row per currency.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="report">The aging.</param>
    /// <param name="format">The CSV format; default RFC 4180.</param>
    public static void WriteAging(TextWriter writer, AgingReport report, CsvFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new CsvWriter(writer, format);
        csv.WriteField(report.GroupBy.ToString());
        csv.WriteField("Name");
        csv.WriteField("Currency");
        for (var i = 0; i < report.Buckets.Count; i++)
        {
            csv.WriteField(report.Buckets.Label(i));
        }

        csv.WriteField("Total");
        csv.WriteField("Installments");
        csv.EndRecord();
        foreach (var row in report.Rows.Concat(report.Currencies.Select(report.Total)))
        {
            csv.WriteField(row.GroupKey);
            csv.WriteField(row.GroupLabel);
            csv.WriteField(row.Currency);
            foreach (var amount in row.Amounts)
            {
                csv.WriteNumber(amount);
            }

            csv.WriteNumber(row.Total);
            csv.WriteNumber(row.Installments);
            csv.EndRecord();
        }
    }

    /// <summary>Writes the credit report by total (per customer).</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="lines">The lines.</param>
    /// <param name="format">The CSV format; default RFC 4180.</param>
    public static void WriteCreditByCustomer(TextWriter writer, IEnumerable<CustomerCreditLine> lines, CsvFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var csv = new CsvWriter(writer, format);
        csv.WriteRecord("Customer", "Name", "Currency", "Open", "Not yet due", "Overdue", "Installments");
        foreach (var l in lines)
        {
            csv.WriteField(l.CustomerCode);
            csv.WriteField(l.CustomerName);
            csv.WriteField(l.Currency);
            csv.WriteNumber(l.OpenResidual);
            csv.WriteNumber(l.NotYetDue);
            csv.WriteNumber(l.Overdue);
            csv.WriteNumber(l.Installments);
            csv.EndRecord();
        }
    }

    /// <summary>Writes the credit report by installment as it streams (constant memory, whatever the book's size).</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="lines">The lines.</param>
    /// <param name="format">The CSV format; default RFC 4180.</param>
    /// <param name="cancellationToken">Cancels the export.</param>
    /// <returns>How many lines were written.</returns>
    public static async Task<long> WriteCreditByInstallmentAsync(TextWriter writer, IAsyncEnumerable<InstallmentCreditLine> lines, CsvFormat? format = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var csv = new CsvWriter(writer, format);
        csv.WriteRecord("Customer", "Installment key", "Document kind", "Document", "Document date", "Number", "Due date", "Days overdue", "Bucket",
            "Currency", "Amount", "Open residual", "Payment type", "Status", "Parked in", "Handed over to");
        long count = 0;
        await foreach (var l in lines.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var c = l.Case;
            var i = c.Installment;
            csv.WriteField(c.CustomerCode);
            csv.WriteField(c.Key.Value);
            csv.WriteField(i.Document.Kind.ToString());
            csv.WriteField(i.Document.Number);
            csv.WriteField(Iso.Format(i.Document.Date));
            csv.WriteNumber(i.Number);
            csv.WriteField(Iso.Format(i.DueDate));
            csv.WriteNumber(l.DaysOverdue);
            csv.WriteField(l.Bucket);
            csv.WriteField(i.OpenResidual.Currency);
            csv.WriteNumber(i.OriginalAmount.Amount);
            csv.WriteNumber(i.OpenResidual.Amount);
            csv.WriteField(i.PaymentType.ToString());
            csv.WriteField(c.Status.ToString());
            csv.WriteField(c.ParkedIn?.ToString());
            csv.WriteField(c.HandedOverTo?.Name);
            csv.EndRecord();
            count++;
        }

        await csv.FlushAsync(cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>Writes the content of the parking areas and hand-overs, one record per case.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="groups">The groups.</param>
    /// <param name="format">The CSV format; default RFC 4180.</param>
    public static void WriteParkingAreas(TextWriter writer, IEnumerable<ParkingGroup> groups, CsvFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var csv = new CsvWriter(writer, format);
        csv.WriteRecord("Area", "Customer", "Installment key", "Document", "Due date", "Currency", "Open residual");
        foreach (var g in groups)
        {
            foreach (var c in g.Cases)
            {
                csv.WriteField(g.Title);
                csv.WriteField(c.CustomerCode);
                csv.WriteField(c.Key.Value);
                csv.WriteField(c.Installment.Document.Number);
                csv.WriteField(Iso.Format(c.Installment.DueDate));
                csv.WriteField(c.Installment.OpenResidual.Currency);
                csv.WriteNumber(c.Installment.OpenResidual.Amount);
                csv.EndRecord();
            }
        }
    }

    /// <summary>Writes the planned actions per day.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="days">The days.</param>
    /// <param name="format">The CSV format; default RFC 4180.</param>
    public static void WritePlannedActions(TextWriter writer, IEnumerable<PlannedDay> days, CsvFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(days);
        var csv = new CsvWriter(writer, format);
        csv.WriteRecord("Date", "Cases to review", "Residual", "Tasks", "Tasks by kind", "Agenda entries");
        foreach (var d in days)
        {
            csv.WriteField(Iso.Format(d.Date));
            csv.WriteNumber(d.CasesToReview);
            csv.WriteField(string.Join(" ", d.ResidualByCurrency.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => string.Create(csv.Format.Culture, $"{kv.Value:F2} {kv.Key}"))));
            csv.WriteNumber(d.TasksByKind.Values.Sum());
            csv.WriteField(string.Join(" ", d.TasksByKind.OrderBy(kv => kv.Key).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key}:{kv.Value}"))));
            csv.WriteNumber(d.AgendaEntries);
            csv.EndRecord();
        }
    }

    /// <summary>Writes the effectiveness per step.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="report">The report.</param>
    /// <param name="format">The CSV format; default RFC 4180.</param>
    public static void WriteEffectiveness(TextWriter writer, EffectivenessReport report, CsvFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(report);
        var csv = new CsvWriter(writer, format);
        csv.WriteRecord("Procedure", "Step", "Currency", "Executions", "Paid within " + report.WithinDays.ToString(CultureInfo.InvariantCulture) + " days", "Paid amount", "Paid rate");
        foreach (var s in report.Steps)
        {
            csv.WriteField(s.ProcedureId);
            csv.WriteField(s.StepId);
            csv.WriteField(s.Currency);
            csv.WriteNumber(s.Executions);
            csv.WriteNumber(s.PaidInstallments);
            csv.WriteNumber(s.PaidAmount);
            csv.WriteNumber(s.PaidRate, 4);
            csv.EndRecord();
        }
    }

    /// <summary>Writes the recovery trend (recovery rate and DSO).</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="trend">The points.</param>
    /// <param name="format">The CSV format; default RFC 4180.</param>
    public static void WriteTrend(TextWriter writer, IEnumerable<TrendPoint> trend, CsvFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(trend);
        var csv = new CsvWriter(writer, format);
        csv.WriteRecord("Date", "Currency", "Open receivables", "Overdue", "Collected", "Recovery rate", "DSO");
        foreach (var p in trend)
        {
            csv.WriteField(Iso.Format(p.Date));
            csv.WriteField(p.Currency);
            csv.WriteNumber(p.OpenReceivables);
            csv.WriteNumber(p.Overdue);
            csv.WriteNumber(p.Collected);
            csv.WriteNumber(p.RecoveryRate, 4);
            csv.WriteNumber(p.Dso, 1);
            csv.EndRecord();
        }
    }

    /// <summary>Writes the claimable late-payment interest per customer.</summary>
    /// <param name="writer">Where to write.</param>
    /// <param name="lines">The lines.</param>
    /// <param name="format">The CSV format; default RFC 4180.</param>
    public static void WriteClaimableInterest(TextWriter writer, IEnumerable<CustomerInterestLine> lines, CsvFormat? format = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var csv = new CsvWriter(writer, format);
        csv.WriteRecord("Customer", "Name", "Currency", "Overdue residual", "Installments", "Interest", "Compensation", "Total", "Error");
        foreach (var l in lines)
        {
            csv.WriteField(l.CustomerCode);
            csv.WriteField(l.CustomerName);
            csv.WriteField(l.Currency);
            csv.WriteNumber(l.OverdueResidual);
            csv.WriteNumber(l.Installments);
            csv.WriteNumber(l.Interest);
            csv.WriteNumber(l.Compensation);
            csv.WriteNumber(l.Total);
            csv.WriteField(l.Error);
            csv.EndRecord();
        }
    }
}
