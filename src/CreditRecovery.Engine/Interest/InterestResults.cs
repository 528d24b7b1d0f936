using NodaTime;

namespace CreditRecovery.Interest;

/// <summary>Where the rate of an interest line comes from.</summary>
public enum InterestRateKind
{
    /// <summary>The statutory rate of the half-year (ECB reference rate + margin), from the rate table.</summary>
    Statutory,

    /// <summary>A fixed rate agreed with the customer (<see cref="LatePaymentInterestOptions.ContractualAnnualRatePercent"/>).</summary>
    Contractual,
}

/// <summary>
/// One line of an interest breakdown: a run of days with the same base and the same rate, within one half-year.
/// </summary>
/// <param name="Start">The first day of interest, included.</param>
/// <param name="End">The last day of interest, included.</param>
/// <param name="Base">The amount on which interest accrues over the line (amount due, VAT included, less earlier payments).</param>
/// <param name="RatePercent">The annual rate, in percent.</param>
/// <param name="RateKind">Statutory or contractual.</param>
/// <param name="HalfYearRate">For a statutory rate, the half-year's rate and its source; <see langword="null"/> for a contractual rate.</param>
/// <param name="YearDays">The day-count divisor: 365, or 366 for a leap year under <see cref="DayCountConvention.ActualActual"/>.</param>
public sealed record InterestLine(
    LocalDate Start,
    LocalDate End,
    Money Base,
    decimal RatePercent,
    InterestRateKind RateKind,
    HalfYearRate? HalfYearRate,
    int YearDays)
{
    /// <summary>The number of days, both ends included.</summary>
    public int Days => Period.Between(Start, End, PeriodUnits.Days).Days + 1;

    /// <summary>
    /// <c>base × rate (percent) × days</c>, exact in decimal: the line's interest before the division by
    /// <see cref="Divisor"/> (the Italian *numeri* times the rate).
    /// </summary>
    public decimal Numerator => Base.Amount * RatePercent * Days;

    /// <summary><c>100 × YearDays</c>: 36500, or 36600.</summary>
    public int Divisor => 100 * YearDays;

    /// <summary>The line's interest, unrounded: <c>Numerator / Divisor</c> (decimal precision, about 28 digits).</summary>
    public decimal Interest => Numerator / Divisor;

    /// <summary>The line's interest rounded to cents, for display only: the total is rounded once, from the unrounded lines.</summary>
    public Money RoundedInterest => new(Math.Round(Interest, 2, MidpointRounding.AwayFromZero), Base.Currency);
}

/// <summary>
/// The late-payment interest on one amount over a period, with its itemised breakdown.
/// </summary>
/// <remarks>
/// Rounding: each line is computed unrounded in decimal; <see cref="UnroundedInterest"/> adds, for each divisor
/// (36500 or 36600), the exact sum of the lines' numerators divided once by that divisor; <see cref="Interest"/> rounds
/// that total once to cents with <see cref="MidpointRounding.AwayFromZero"/>. Lines are never rounded before adding.
/// </remarks>
/// <param name="AmountDue">The amount due (VAT included) before any payment.</param>
/// <param name="AccrualStart">The first day of interest (the day after the due date).</param>
/// <param name="AsOf">The last day of interest, included.</param>
/// <param name="Lines">The breakdown, in date order; days with nothing left to pay have no line.</param>
/// <param name="IsWaived">Whether interest was waived (<see cref="LatePaymentInterestOptions.WaiveInterest"/>); then there are no lines.</param>
/// <param name="Notes">Explanations for the reader: a waiver, a last-known-rate fallback, an overpayment.</param>
public sealed record InterestCalculation(
    Money AmountDue,
    LocalDate AccrualStart,
    LocalDate AsOf,
    IReadOnlyList<InterestLine> Lines,
    bool IsWaived,
    IReadOnlyList<string> Notes)
{
    /// <summary>The total interest, unrounded (see the remarks on rounding).</summary>
    public decimal UnroundedInterest =>
        Lines.GroupBy(l => l.Divisor).Sum(g => g.Sum(l => l.Numerator) / g.Key);

    /// <summary>The total interest rounded to cents (midpoint away from zero).</summary>
    public Money Interest => new(Math.Round(UnroundedInterest, 2, MidpointRounding.AwayFromZero), AmountDue.Currency);

    /// <summary>The total number of interest days in the breakdown.</summary>
    public int Days => Lines.Sum(l => l.Days);

    /// <summary>Whether some line used the last known rate for a half-year missing from the table.</summary>
    public bool UsesLastKnownRate => Lines.Any(l => l.HalfYearRate?.IsLastKnownRateFallback == true);
}

/// <summary>The interest of one installment as of a date.</summary>
/// <param name="Installment">The installment.</param>
/// <param name="Calculation">The interest and its breakdown.</param>
public sealed record InstallmentInterest(Installment Installment, InterestCalculation Calculation)
{
    /// <summary>The interest, rounded to cents.</summary>
    public Money Interest => Calculation.Interest;
}

/// <summary>The flat compensation (D.Lgs. 231/2002 art. 6(2), 40 EUR) of one document, due once per invoice.</summary>
/// <param name="CustomerCode">The customer.</param>
/// <param name="Document">The document.</param>
/// <param name="Installments">The document's installments among those claimed.</param>
/// <param name="IsDue">Whether the compensation is due: some installment was not paid in full by its due date and the as-of date is after it.</param>
/// <param name="IsWaived">Whether it was due but waived (<see cref="LatePaymentInterestOptions.WaiveCompensation"/>).</param>
/// <param name="Compensation">The compensation claimed: the configured amount, or zero when not due or waived.</param>
public sealed record DocumentCompensation(
    string CustomerCode,
    DocumentReference Document,
    IReadOnlyList<InstallmentKey> Installments,
    bool IsDue,
    bool IsWaived,
    Money Compensation);

/// <summary>
/// Everything claimable on a set of installments as of a date: the interest of each installment and the flat
/// compensation of each document.
/// </summary>
/// <param name="AsOf">The last day of interest.</param>
/// <param name="Installments">The interest of each installment.</param>
/// <param name="Documents">The compensation of each document (one entry per document, whatever its number of installments).</param>
public sealed record LatePaymentClaim(
    LocalDate AsOf,
    IReadOnlyList<InstallmentInterest> Installments,
    IReadOnlyList<DocumentCompensation> Documents)
{
    /// <summary>The currency of the claim (EUR when there are no installments).</summary>
    public string Currency => Installments.Count > 0 ? Installments[0].Calculation.AmountDue.Currency : "EUR";

    /// <summary>The sum of the installments' interest, each already rounded to cents (as shown per installment).</summary>
    public Money TotalInterest => new(Installments.Sum(i => i.Interest.Amount), Currency);

    /// <summary>The sum of the documents' compensation.</summary>
    public Money TotalCompensation => new(Documents.Sum(d => d.Compensation.Amount), Currency);

    /// <summary>Interest plus compensation (the amounts due themselves are not included).</summary>
    public Money Total => TotalInterest + TotalCompensation;
}
