using System.Globalization;
using NodaTime;

namespace CreditRecovery.Interest;

/// <summary>
/// The statutory late-payment rate of one half-year: the ECB reference rate of the half-year plus the statutory margin
/// (8 points, or 7 for contracts before 2013) plus any extra margin (perishable agri-food products).
/// </summary>
/// <param name="HalfYearStart">The first day of the half-year the rate applies to.</param>
/// <param name="ReferenceRow">
/// The table row whose ECB rate was used. It is the half-year's own row, except when
/// <see cref="IsLastKnownRateFallback"/> is set: then it is the last known row.
/// </param>
/// <param name="MarginPoints">The statutory margin, in percentage points.</param>
/// <param name="ExtraMarginPoints">The extra margin, in percentage points (zero unless configured).</param>
/// <param name="IsLastKnownRateFallback">
/// Whether the half-year is after the last row of the table and the last known ECB rate was used because
/// <see cref="LatePaymentInterestOptions.UseLastKnownRate"/> was set.
/// </param>
public sealed record HalfYearRate(
    LocalDate HalfYearStart,
    EcbReferenceRate ReferenceRow,
    decimal MarginPoints,
    decimal ExtraMarginPoints,
    bool IsLastKnownRateFallback)
{
    /// <summary>The last day of the half-year.</summary>
    public LocalDate HalfYearEnd => HalfYearStart.PlusMonths(6).PlusDays(-1);

    /// <summary>The ECB reference rate used, in percent.</summary>
    public decimal EcbRatePercent => ReferenceRow.EcbRatePercent;

    /// <summary>The annual late-payment rate, in percent: ECB rate + margin + extra margin.</summary>
    public decimal RatePercent => EcbRatePercent + MarginPoints + ExtraMarginPoints;

    /// <summary>The half-year as <c>2026 H1</c>.</summary>
    public string Label => LabelOf(HalfYearStart);

    /// <summary>
    /// A one-line explanation for a breakdown, e.g. <c>2023 H1: ECB 2.50 % + 8 points = 10.50 % (GU n.14 18/01/2023 ...)</c>;
    /// a fallback says which half-year's rate it used instead.
    /// </summary>
    public string Description
    {
        get
        {
            var extra = ExtraMarginPoints == 0m ? string.Empty : string.Create(CultureInfo.InvariantCulture, $" + {ExtraMarginPoints:0.##} extra points");
            var formula = string.Create(
                CultureInfo.InvariantCulture,
                $"ECB {EcbRatePercent:0.00} % + {MarginPoints:0.##} points{extra} = {RatePercent:0.00} %");
            return IsLastKnownRateFallback
                ? $"{Label}: rate not published in the table; last known rate of {ReferenceRow.Label} used on request (UseLastKnownRate): {formula}"
                : $"{Label}: {formula} ({ReferenceRow.Source})";
        }
    }

    /// <summary>The first day of the half-year containing <paramref name="day"/>: 1 January or 1 July.</summary>
    /// <param name="day">Any day.</param>
    public static LocalDate StartOf(LocalDate day) => new(day.Year, day.Month <= 6 ? 1 : 7, 1);

    /// <summary>The label <c>yyyy H1</c> or <c>yyyy H2</c> of the half-year containing <paramref name="day"/>.</summary>
    /// <param name="day">Any day.</param>
    public static string LabelOf(LocalDate day) =>
        string.Create(CultureInfo.InvariantCulture, $"{day.Year} H{(day.Month <= 6 ? 1 : 2)}");
}
