using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Reporting;

/// <summary>An aging (*analisi per anzianità*, H2): open residuals by group, bucket and currency, as of a date.</summary>
/// <param name="Company">The company.</param>
/// <param name="AsOf">The date ages are measured to.</param>
/// <param name="GroupBy">The grouping.</param>
/// <param name="Buckets">The buckets.</param>
/// <param name="Rows">One row per group and currency, ordered by currency then group key (ordinal).</param>
public sealed record AgingReport(CompanyId Company, LocalDate AsOf, AgingDimension GroupBy, AgingBuckets Buckets, IReadOnlyList<AgingRow> Rows)
{
    /// <summary>The currencies present, ordered.</summary>
    public IReadOnlyList<string> Currencies => Rows.Select(r => r.Currency).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    /// <summary>The totals of a currency: per bucket, and overall.</summary>
    /// <param name="currency">The currency.</param>
    public AgingRow Total(string currency)
    {
        var rows = Rows.Where(r => string.Equals(r.Currency, currency, StringComparison.Ordinal)).ToList();
        return new AgingRow(
            "",
            "Total",
            currency,
            Enumerable.Range(0, Buckets.Count).Select(i => rows.Sum(r => r.Amounts[i])).ToList(),
            Enumerable.Range(0, Buckets.Count).Select(i => rows.Sum(r => r.Counts[i])).ToList());
    }
}

/// <summary>One group of an aging in one currency.</summary>
/// <param name="GroupKey">The group (customer code, operator, agent, area, payment type); empty for "none".</param>
/// <param name="GroupLabel">The group's display name, when there is one (the customer's name).</param>
/// <param name="Currency">The currency.</param>
/// <param name="Amounts">The residual per bucket.</param>
/// <param name="Counts">The installments per bucket.</param>
public sealed record AgingRow(string GroupKey, string? GroupLabel, string Currency, IReadOnlyList<decimal> Amounts, IReadOnlyList<int> Counts)
{
    /// <summary>The sum of the buckets.</summary>
    public decimal Total => Amounts.Sum();

    /// <summary>The installments in all buckets.</summary>
    public int Installments => Counts.Sum();
}

/// <summary>What an aging asks.</summary>
public sealed record AgingRequest
{
    /// <summary>The date ages are measured to; default today in the company's zone.</summary>
    public LocalDate? AsOf { get; init; }

    /// <summary>The grouping.</summary>
    public AgingDimension GroupBy { get; init; } = AgingDimension.Customer;

    /// <summary>The buckets.</summary>
    public AgingBuckets Buckets { get; init; } = AgingBuckets.Default;
}

/// <summary>One line of the credit report by total (*situazione crediti per cliente*).</summary>
/// <param name="CustomerCode">The customer.</param>
/// <param name="CustomerName">The customer's name, when known.</param>
/// <param name="Currency">The currency.</param>
/// <param name="OpenResidual">Everything open.</param>
/// <param name="NotYetDue">Open and not yet due.</param>
/// <param name="Overdue">Open and overdue.</param>
/// <param name="Installments">How many open installments.</param>
public sealed record CustomerCreditLine(string CustomerCode, string? CustomerName, string Currency, decimal OpenResidual, decimal NotYetDue, decimal Overdue, int Installments);

/// <summary>One line of the credit report by installment (*situazione crediti per rata*).</summary>
/// <param name="Case">The case, with its installment snapshot.</param>
/// <param name="DaysOverdue">Days from the due date to the as-of date (negative: not yet due).</param>
/// <param name="Bucket">The bucket's label under the default buckets.</param>
public sealed record InstallmentCreditLine(RecoveryCase Case, int DaysOverdue, string Bucket);

/// <summary>A customer's open position, drilled down to documents, installments and case history.</summary>
/// <param name="CustomerCode">The customer.</param>
/// <param name="Customer">The master data, when known.</param>
/// <param name="Responsibles">The responsible operators, main one first.</param>
/// <param name="AsOf">The as-of date of the days overdue.</param>
/// <param name="Documents">The documents with open cases, oldest document first.</param>
public sealed record CustomerDrillDown(string CustomerCode, Customer? Customer, IReadOnlyList<OperatorId> Responsibles, LocalDate AsOf, IReadOnlyList<DocumentDrillDown> Documents);

/// <summary>A document of a drill-down.</summary>
/// <param name="Document">The document.</param>
/// <param name="Installments">Its installments with open cases.</param>
public sealed record DocumentDrillDown(DocumentReference Document, IReadOnlyList<InstallmentDrillDown> Installments);

/// <summary>An installment of a drill-down.</summary>
/// <param name="Case">The case.</param>
/// <param name="DaysOverdue">Days overdue as of the drill-down's date.</param>
/// <param name="History">The case's history, oldest first.</param>
public sealed record InstallmentDrillDown(RecoveryCase Case, int DaysOverdue, IReadOnlyList<HistoryEvent> History);

/// <summary>The content of one parking area, or of the cases handed to one lawyer or agency (G10, H8).</summary>
/// <param name="Title">"Parked: Legal", "Lawyer: Studio Bianchi"...</param>
/// <param name="Area">The parking area, for parked cases.</param>
/// <param name="HandedOverTo">The lawyer or agency, for handed-over cases.</param>
/// <param name="Cases">The cases, by customer then key.</param>
public sealed record ParkingGroup(string Title, ParkingArea? Area, HandOverTarget? HandedOverTo, IReadOnlyList<RecoveryCase> Cases)
{
    /// <summary>The open residuals per currency.</summary>
    public IReadOnlyDictionary<string, decimal> Totals =>
        Cases.GroupBy(c => c.Installment.OpenResidual.Currency ?? "", StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Sum(c => c.Installment.OpenResidual.Amount), StringComparer.Ordinal);
}

/// <summary>What is planned on one day (H7).</summary>
/// <param name="Date">The day.</param>
/// <param name="CasesToReview">Open cases whose next action date is that day (the daily run looks at them).</param>
/// <param name="ResidualByCurrency">Their open residuals per currency.</param>
/// <param name="TasksByKind">Open operator tasks due that day, per kind.</param>
/// <param name="AgendaEntries">Agenda occurrences that day.</param>
public sealed record PlannedDay(LocalDate Date, int CasesToReview, IReadOnlyDictionary<string, decimal> ResidualByCurrency, IReadOnlyDictionary<OperatorTaskKind, int> TasksByKind, int AgendaEntries);

/// <summary>Effectiveness of one procedure step (X8), in one currency.</summary>
/// <param name="ProcedureId">The procedure.</param>
/// <param name="StepId">The step.</param>
/// <param name="Currency">The installments' currency.</param>
/// <param name="Executions">How many times the step ran on an installment in the period.</param>
/// <param name="PaidInstallments">Of those, how many installments were paid within the window after it, with this step as the last one before payment.</param>
/// <param name="PaidAmount">The amounts of those installments.</param>
public sealed record StepEffectiveness(string ProcedureId, string StepId, string Currency, int Executions, int PaidInstallments, decimal PaidAmount)
{
    /// <summary>Paid installments per execution (0 to 1).</summary>
    public decimal PaidRate => Executions == 0 ? 0m : (decimal)PaidInstallments / Executions;
}

/// <summary>A point of the recovery trend, at a month end (or the period's end).</summary>
/// <param name="Date">The date.</param>
/// <param name="Currency">The currency.</param>
/// <param name="OpenReceivables">Receivables open at the date.</param>
/// <param name="Overdue">Of those, overdue at the date.</param>
/// <param name="Collected">Overdue installments paid in the month up to the date.</param>
/// <param name="RecoveryRate">Collected / (collected + overdue at the date); <see langword="null"/> when both are zero.</param>
/// <param name="Dso">Days sales outstanding: open receivables / amounts invoiced in the 90 days up to the date × 90; <see langword="null"/> without invoices.</param>
public sealed record TrendPoint(LocalDate Date, string Currency, decimal OpenReceivables, decimal Overdue, decimal Collected, decimal? RecoveryRate, decimal? Dso);

/// <summary>The effectiveness report (X8).</summary>
/// <param name="Period">The period.</param>
/// <param name="WithinDays">The window after a step in which a payment counts for it.</param>
/// <param name="Steps">Per procedure step and currency.</param>
/// <param name="Trend">Monthly recovery rate and DSO.</param>
public sealed record EffectivenessReport(DateInterval Period, int WithinDays, IReadOnlyList<StepEffectiveness> Steps, IReadOnlyList<TrendPoint> Trend);

/// <summary>The late-payment interest claimable from one customer (issue 9, D.Lgs. 231/2002), in one currency.</summary>
/// <param name="CustomerCode">The customer.</param>
/// <param name="CustomerName">The name, when known.</param>
/// <param name="Currency">The currency.</param>
/// <param name="OverdueResidual">The overdue open residual the interest runs on.</param>
/// <param name="Installments">How many overdue installments.</param>
/// <param name="Interest">The interest, rounded per installment.</param>
/// <param name="Compensation">The flat compensation, once per late document.</param>
/// <param name="Error">Why it could not be computed (e.g. a missing rate), or <see langword="null"/>.</param>
public sealed record CustomerInterestLine(string CustomerCode, string? CustomerName, string Currency, decimal OverdueResidual, int Installments, decimal Interest, decimal Compensation, string? Error = null)
{
    /// <summary>Interest plus compensation.</summary>
    public decimal Total => Interest + Compensation;
}
