using NodaTime;

namespace CreditRecovery.Interest;

/// <summary>How days are turned into a fraction of a year.</summary>
public enum DayCountConvention
{
    /// <summary>
    /// Actual days / 365, leap years included: Italian practice (<c>capital × rate × days / 365</c>, civil year) and
    /// the default. The law only says "simple, daily".
    /// </summary>
    Actual365,

    /// <summary>Actual days / the days of the calendar year the period falls in (366 in leap years).</summary>
    ActualActual,
}

/// <summary>
/// The settings of one late-payment interest calculation: the margin, an extra margin, a contractual rate, the day
/// count, what to do after the last known half-year, and waivers. One instance applies to a customer or a case (see
/// <see cref="LatePaymentInterestPolicy"/>).
/// </summary>
public sealed record LatePaymentInterestOptions
{
    /// <summary>The statutory flat compensation of D.Lgs. 231/2002 art. 6(2): 40 EUR per invoice.</summary>
    public static Money StatutoryCompensation { get; } = Money.Eur(40m);

    /// <summary>
    /// The date the contract (commercial transaction) was concluded, when known. Before 1 January 2013 the statutory
    /// margin is 7 points instead of 8 (see <see cref="LatePaymentRateTable.MarginPointsFor"/>). Ignored when
    /// <see cref="MarginPoints"/> is set.
    /// </summary>
    public LocalDate? ContractDate { get; set; }

    /// <summary>
    /// An explicit margin over the ECB rate, in percentage points, overriding the one derived from
    /// <see cref="ContractDate"/>. <see langword="null"/> (the default) means 8, or 7 for contracts before 2013.
    /// </summary>
    public decimal? MarginPoints { get; set; }

    /// <summary>
    /// Extra percentage points over the statutory rate, zero by default: for the sale of perishable agri-food products
    /// the law adds 2 to 4 points (DL 1/2012 art. 62; D.Lgs. 198/2021), to be set here by the integrator.
    /// </summary>
    public decimal ExtraMarginPoints { get; set; }

    /// <summary>
    /// A fixed annual rate, in percent, agreed with the customer (D.Lgs. 231/2002 art. 5(1)) that replaces the
    /// statutory rate for every day; the rate table is then not consulted. <see langword="null"/> (the default) means
    /// the statutory rate.
    /// </summary>
    public decimal? ContractualAnnualRatePercent { get; set; }

    /// <summary>The day count, <see cref="DayCountConvention.Actual365"/> by default.</summary>
    public DayCountConvention DayCount { get; set; } = DayCountConvention.Actual365;

    /// <summary>
    /// For days in a half-year after the last row of the rate table: when <see langword="true"/>, apply the last known
    /// ECB rate and flag each such line (<see cref="HalfYearRate.IsLastKnownRateFallback"/>) and the calculation's notes;
    /// when <see langword="false"/> (the default), throw <see cref="MissingRateException"/>.
    /// </summary>
    public bool UseLastKnownRate { get; set; }

    /// <summary>Waive interest: the calculation returns zero, marked as waived.</summary>
    public bool WaiveInterest { get; set; }

    /// <summary>Waive the flat compensation: the document's compensation is zero, marked as waived.</summary>
    public bool WaiveCompensation { get; set; }

    /// <summary>The flat compensation per invoice, <see cref="StatutoryCompensation"/> (40 EUR) by default.</summary>
    public Money CompensationAmount { get; set; } = StatutoryCompensation;

    /// <summary>The margin that applies: <see cref="MarginPoints"/>, or the one for <see cref="ContractDate"/>.</summary>
    public decimal EffectiveMarginPoints => MarginPoints ?? LatePaymentRateTable.MarginPointsFor(ContractDate);

    /// <summary>Checks the settings.</summary>
    /// <exception cref="ArgumentException">A margin, rate or compensation is negative, or the day count is unknown.</exception>
    public void Validate()
    {
        if (MarginPoints is < 0m)
        {
            throw new ArgumentException("MarginPoints must not be negative.", nameof(MarginPoints));
        }

        if (ExtraMarginPoints < 0m)
        {
            throw new ArgumentException("ExtraMarginPoints must not be negative.", nameof(ExtraMarginPoints));
        }

        if (ContractualAnnualRatePercent is < 0m)
        {
            throw new ArgumentException("ContractualAnnualRatePercent must not be negative.", nameof(ContractualAnnualRatePercent));
        }

        if (!Enum.IsDefined(DayCount))
        {
            throw new ArgumentException($"Unknown day count {DayCount}.", nameof(DayCount));
        }

        if (CompensationAmount.Currency is null || CompensationAmount.Amount < 0m)
        {
            throw new ArgumentException("CompensationAmount must be a non-negative amount with a currency.", nameof(CompensationAmount));
        }
    }
}

/// <summary>
/// Which <see cref="LatePaymentInterestOptions"/> apply to an installment: those of its case, else those of its
/// customer, else <see cref="Default"/>. The most specific entry replaces the others as a whole (entries are not merged).
/// </summary>
public sealed class LatePaymentInterestPolicy
{
    /// <summary>The options for customers and cases without their own entry.</summary>
    public LatePaymentInterestOptions Default { get; set; } = new();

    /// <summary>Options per customer code (e.g. a contractual rate, or a waiver for a key customer).</summary>
    public IDictionary<string, LatePaymentInterestOptions> Customers { get; set; } = new Dictionary<string, LatePaymentInterestOptions>(StringComparer.Ordinal);

    /// <summary>Options per case, keyed by the installment (e.g. interest waived in a settlement).</summary>
    public IDictionary<InstallmentKey, LatePaymentInterestOptions> Cases { get; set; } = new Dictionary<InstallmentKey, LatePaymentInterestOptions>();

    /// <summary>The options that apply to <paramref name="installment"/>.</summary>
    /// <param name="installment">The installment.</param>
    /// <returns>The case's options, else the customer's, else <see cref="Default"/>.</returns>
    public LatePaymentInterestOptions For(Installment installment)
    {
        ArgumentNullException.ThrowIfNull(installment);
        if (Cases.TryGetValue(installment.Key, out var forCase))
        {
            return forCase;
        }

        return Customers.TryGetValue(installment.CustomerCode, out var forCustomer) ? forCustomer : Default;
    }
}
