using NodaTime;

namespace CreditRecovery.Interest;

/// <summary>
/// One row of the late-payment rate table: the ECB main refinancing operations rate in force on the first day of a
/// half-year (D.Lgs. 231/2002 art. 5(2): 1 January for the first half-year, 1 July for the second).
/// </summary>
/// <param name="HalfYearStart">The first day of the half-year: 1 January or 1 July.</param>
/// <param name="EcbRatePercent">The ECB rate in force on that day, in percent (for example <c>2.15</c>).</param>
/// <param name="Source">
/// Where the row comes from: the MEF notice in the Gazzetta Ufficiale, or <c>derived: ECB rate from &lt;date&gt;</c>
/// when no notice was located and the value follows from the ECB rate history.
/// </param>
public sealed record EcbReferenceRate(LocalDate HalfYearStart, decimal EcbRatePercent, string Source)
{
    /// <summary>The last day of the half-year (30 June or 31 December).</summary>
    public LocalDate HalfYearEnd => HalfYearStart.PlusMonths(6).PlusDays(-1);

    /// <summary>The half-year as <c>2026 H1</c>.</summary>
    public string Label => HalfYearRate.LabelOf(HalfYearStart);
}
