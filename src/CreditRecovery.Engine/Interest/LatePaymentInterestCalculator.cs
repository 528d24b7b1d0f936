using System.Globalization;
using NodaTime;

namespace CreditRecovery.Interest;

/// <summary>
/// Computes the statutory late-payment interest of D.Lgs. 231/2002 (*interessi moratori*) on installments, and the flat
/// 40 EUR compensation per invoice, with an itemised breakdown for a formal demand (*messa in mora*).
/// </summary>
/// <remarks>
/// <para>
/// Interest is simple and daily (art. 2(e)) on the amount due, VAT included (art. 2(g)), from the day after the due
/// date (art. 4(1)) up to and including the as-of date. The period is split at every half-year boundary (each half-year
/// has its own rate, art. 5(2)) and on the day after each partial payment (which lowers the base from that day). Each
/// line accrues <c>base × rate × days / (100 × 365)</c>, or 366 in leap years under
/// <see cref="DayCountConvention.ActualActual"/>.
/// </para>
/// <para>
/// Rounding: the lines are computed unrounded in decimal and the installment's total is rounded once to cents with
/// <see cref="MidpointRounding.AwayFromZero"/>; a claim adds the installments' rounded totals (the amounts a letter shows).
/// </para>
/// <para>
/// The flat compensation (art. 6(2)) is due once per invoice, not per installment (CJEU, 20 October 2022): see
/// <see cref="CalculateClaim"/>. The calculator is immutable and thread-safe; it reads no clock.
/// </para>
/// </remarks>
public sealed class LatePaymentInterestCalculator
{
    private static readonly LatePaymentInterestOptions DefaultOptions = new();

    /// <summary>Creates a calculator on the rate table shipped with the SDK (<see cref="LatePaymentRateTable.Default"/>).</summary>
    public LatePaymentInterestCalculator()
        : this(LatePaymentRateTable.Default)
    {
    }

    /// <summary>Creates a calculator on a rate table (e.g. the shipped one with newer rows, <see cref="LatePaymentRateTable.WithRows"/>).</summary>
    /// <param name="rates">The rate table.</param>
    public LatePaymentInterestCalculator(LatePaymentRateTable rates)
    {
        ArgumentNullException.ThrowIfNull(rates);
        Rates = rates;
    }

    /// <summary>The rate table.</summary>
    public LatePaymentRateTable Rates { get; }

    /// <summary>The interest on an amount due on <paramref name="dueDate"/>, as of <paramref name="asOf"/>.</summary>
    /// <param name="amountDue">The amount due, VAT included, before any payment.</param>
    /// <param name="dueDate">The due date; interest runs from the next day.</param>
    /// <param name="asOf">The last day of interest, included. On or before the due date the interest is zero.</param>
    /// <param name="payments">Payments of this amount (in its currency); each lowers the base from the day after its date.</param>
    /// <param name="options">The settings; <see langword="null"/> for the statutory defaults.</param>
    /// <returns>The interest and its breakdown.</returns>
    /// <exception cref="MissingRateException">A needed half-year is not in the rate table and <see cref="LatePaymentInterestOptions.UseLastKnownRate"/> is off.</exception>
    /// <exception cref="ArgumentException">A payment is negative or in another currency, or the options are invalid.</exception>
    public InterestCalculation Calculate(
        Money amountDue,
        LocalDate dueDate,
        LocalDate asOf,
        IEnumerable<InterestPayment>? payments = null,
        LatePaymentInterestOptions? options = null) =>
        CalculatePeriod(amountDue, dueDate.PlusDays(1), asOf, payments, options);

    /// <summary>
    /// The interest on an amount over an arbitrary run of days, <paramref name="from"/> to <paramref name="to"/> both
    /// included. Payments dated before <paramref name="from"/> already lower the base on the first day.
    /// </summary>
    /// <param name="amountDue">The amount due, VAT included, before any payment.</param>
    /// <param name="from">The first day of interest.</param>
    /// <param name="to">The last day of interest; before <paramref name="from"/> the interest is zero.</param>
    /// <param name="payments">Payments of this amount; each lowers the base from the day after its date.</param>
    /// <param name="options">The settings; <see langword="null"/> for the statutory defaults.</param>
    /// <returns>The interest and its breakdown.</returns>
    /// <exception cref="MissingRateException">A needed half-year is not in the rate table and <see cref="LatePaymentInterestOptions.UseLastKnownRate"/> is off.</exception>
    /// <exception cref="ArgumentException">A payment is negative or in another currency, or the options are invalid.</exception>
    public InterestCalculation CalculatePeriod(
        Money amountDue,
        LocalDate from,
        LocalDate to,
        IEnumerable<InterestPayment>? payments = null,
        LatePaymentInterestOptions? options = null)
    {
        options ??= DefaultOptions;
        options.Validate();
        if (amountDue.Currency is null)
        {
            throw new ArgumentException("The amount due has no currency.", nameof(amountDue));
        }

        var sorted = CheckPayments(amountDue, payments);
        var notes = new List<string>();
        if (options.WaiveInterest)
        {
            notes.Add("Interest waived for this customer or case.");
            return new InterestCalculation(amountDue, from, to, [], IsWaived: true, notes);
        }

        var lines = new List<InterestLine>();
        if (to < from || amountDue.Amount <= 0m)
        {
            return new InterestCalculation(amountDue, from, to, lines, IsWaived: false, notes);
        }

        // The base on a day d is the amount due less every payment dated before d, never below zero.
        var paid = sorted.Where(p => p.Date < from).Sum(p => p.Amount.Amount);
        var cuts = new SortedSet<LocalDate>(sorted.Select(p => p.Date.PlusDays(1)).Where(d => d > from && d <= to));
        for (var h = HalfYearRate.StartOf(from).PlusMonths(6); h <= to; h = h.PlusMonths(6))
        {
            cuts.Add(h);
        }

        var segmentStart = from;
        foreach (var cut in cuts.Append(to.PlusDays(1)))
        {
            var segmentEnd = cut.PlusDays(-1);
            var baseAmount = Math.Max(0m, amountDue.Amount - paid);
            if (baseAmount > 0m)
            {
                lines.Add(Line(segmentStart, segmentEnd, new Money(baseAmount, amountDue.Currency), options));
            }

            paid += sorted.Where(p => p.Date.PlusDays(1) == cut).Sum(p => p.Amount.Amount);
            segmentStart = cut;
        }

        if (paid > amountDue.Amount)
        {
            notes.Add(string.Create(CultureInfo.InvariantCulture, $"Payments ({paid:0.00}) exceed the amount due ({amountDue.Amount:0.00}); interest stops when it is paid in full."));
        }

        foreach (var fallback in lines.Select(l => l.HalfYearRate).OfType<HalfYearRate>().Where(r => r.IsLastKnownRateFallback).DistinctBy(r => r.HalfYearStart))
        {
            notes.Add(fallback.Description);
        }

        return new InterestCalculation(amountDue, from, to, lines, IsWaived: false, notes);
    }

    /// <summary>The interest of an installment as of a date, on its original amount (VAT included).</summary>
    /// <param name="installment">The installment.</param>
    /// <param name="asOf">The last day of interest, included.</param>
    /// <param name="payments">
    /// The installment's payments with their dates. Without them the whole original amount accrues interest up to
    /// <paramref name="asOf"/>: pass them whenever the installment was partly paid.
    /// </param>
    /// <param name="options">The settings; <see langword="null"/> for the statutory defaults.</param>
    /// <returns>The interest and its breakdown.</returns>
    /// <exception cref="MissingRateException">A needed half-year is not in the rate table and <see cref="LatePaymentInterestOptions.UseLastKnownRate"/> is off.</exception>
    /// <exception cref="ArgumentException">A payment is negative or in another currency, or the options are invalid.</exception>
    public InstallmentInterest Calculate(
        Installment installment,
        LocalDate asOf,
        IEnumerable<InterestPayment>? payments = null,
        LatePaymentInterestOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(installment);
        var amount = installment.Document.Kind == DocumentKind.CreditNote
            ? Money.Zero(installment.OriginalAmount.Currency)
            : installment.OriginalAmount;
        return new InstallmentInterest(installment, Calculate(amount, installment.DueDate, asOf, payments, options));
    }

    /// <summary>
    /// Everything claimable on a set of installments as of a date: the interest of each installment, and the flat
    /// compensation once per document (invoice), however many of its installments are late.
    /// </summary>
    /// <remarks>
    /// A document's compensation is due when at least one of its installments was not paid in full by its due date and
    /// <paramref name="asOf"/> is after that due date; it stays due after a late payment. Credit notes get neither
    /// interest nor compensation. The compensation amount comes from the options of the document's first late
    /// installment; it is waived when the options of any of its late installments waive it.
    /// </remarks>
    /// <param name="installments">The installments, of one company and one currency.</param>
    /// <param name="asOf">The last day of interest, included.</param>
    /// <param name="payments">The payments of each installment, by key; installments without an entry had none.</param>
    /// <param name="policy">The options per customer or case; <see langword="null"/> for the statutory defaults.</param>
    /// <returns>The claim.</returns>
    /// <exception cref="MissingRateException">A needed half-year is not in the rate table and <see cref="LatePaymentInterestOptions.UseLastKnownRate"/> is off.</exception>
    /// <exception cref="ArgumentException">The installments mix currencies, or a compensation is in another currency.</exception>
    public LatePaymentClaim CalculateClaim(
        IEnumerable<Installment> installments,
        LocalDate asOf,
        IReadOnlyDictionary<InstallmentKey, IReadOnlyList<InterestPayment>>? payments = null,
        LatePaymentInterestPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(installments);
        policy ??= new LatePaymentInterestPolicy();
        var list = installments.ToList();
        var currencies = list.Select(i => i.OriginalAmount.Currency).Distinct(StringComparer.Ordinal).ToList();
        if (currencies.Count > 1)
        {
            throw new ArgumentException($"A claim cannot mix currencies ({string.Join(", ", currencies)}).", nameof(installments));
        }

        var currency = currencies.Count == 1 ? currencies[0] : "EUR";
        IReadOnlyList<InterestPayment> PaymentsOf(Installment i) =>
            payments is not null && payments.TryGetValue(i.Key, out var p) ? p : [];

        var interests = list.Select(i => Calculate(i, asOf, PaymentsOf(i), policy.For(i))).ToList();

        var documents = new List<DocumentCompensation>();
        foreach (var group in list.GroupBy(i => (i.CustomerCode, i.Document.Kind, i.Document.Number, i.Document.Date)))
        {
            var members = group.OrderBy(i => i.Number).ToList();
            var document = members[0].Document;
            var late = document.Kind == DocumentKind.CreditNote
                ? []
                : members.Where(i => IsLate(i, asOf, PaymentsOf(i))).ToList();
            var isDue = late.Count > 0;
            var isWaived = isDue && late.Any(i => policy.For(i).WaiveCompensation);
            var amount = Money.Zero(currency);
            if (isDue && !isWaived)
            {
                amount = policy.For(late[0]).CompensationAmount;
                if (!string.Equals(amount.Currency, currency, StringComparison.Ordinal))
                {
                    throw new ArgumentException($"The compensation is in {amount.Currency}, the claim in {currency}: set CompensationAmount in {currency}.", nameof(policy));
                }
            }

            documents.Add(new DocumentCompensation(group.Key.CustomerCode, document, members.Select(i => i.Key).ToList(), isDue, isWaived, amount));
        }

        return new LatePaymentClaim(asOf, interests, documents);
    }

    /// <summary>
    /// What can be claimed today on what is still open: interest on each installment's open residual from the day after
    /// its due date, and the compensation once per document. ERP feeds give residuals but not the dates of partial
    /// payments, so this never asks interest on money already paid (it may ask less than the law allows on amounts that
    /// were paid late). Settled installments and credit notes are left out. Used by formal demands and by reports.
    /// </summary>
    /// <param name="installments">The installments, of one company and one currency.</param>
    /// <param name="asOf">The last day of interest, included.</param>
    /// <param name="policy">The options per customer or case; <see langword="null"/> for the statutory defaults.</param>
    /// <returns>The claim, whose amounts due are the open residuals.</returns>
    /// <exception cref="MissingRateException">A needed half-year is not in the rate table and <see cref="LatePaymentInterestOptions.UseLastKnownRate"/> is off.</exception>
    /// <exception cref="ArgumentException">The installments mix currencies.</exception>
    public LatePaymentClaim CalculateOpenClaim(IEnumerable<Installment> installments, LocalDate asOf, LatePaymentInterestPolicy? policy = null)
    {
        ArgumentNullException.ThrowIfNull(installments);
        var open = installments
            .Where(i => i.OpenResidual.Amount > 0m && i.Document.Kind != DocumentKind.CreditNote)
            .Select(i => i with { OriginalAmount = i.OpenResidual });
        return CalculateClaim(open, asOf, null, policy);
    }

    private static bool IsLate(Installment installment, LocalDate asOf, IReadOnlyList<InterestPayment> payments)
    {
        if (asOf <= installment.DueDate || installment.OriginalAmount.Amount <= 0m)
        {
            return false;
        }

        var paidOnTime = payments.Where(p => p.Date <= installment.DueDate).Sum(p => p.Amount.Amount);
        return paidOnTime < installment.OriginalAmount.Amount;
    }

    private static List<InterestPayment> CheckPayments(Money amountDue, IEnumerable<InterestPayment>? payments)
    {
        var list = payments?.ToList() ?? [];
        foreach (var payment in list)
        {
            ArgumentNullException.ThrowIfNull(payment, nameof(payments));
            if (payment.Amount.Amount < 0m)
            {
                throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"The payment of {payment.Date:uuuu-MM-dd} is negative."), nameof(payments));
            }

            if (!string.Equals(payment.Amount.Currency, amountDue.Currency, StringComparison.Ordinal))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"The payment of {payment.Date:uuuu-MM-dd} is in {payment.Amount.Currency}, the amount due in {amountDue.Currency}."),
                    nameof(payments));
            }
        }

        list.Sort((a, b) => a.Date.CompareTo(b.Date));
        return list;
    }

    private InterestLine Line(LocalDate start, LocalDate end, Money baseAmount, LatePaymentInterestOptions options)
    {
        var yearDays = options.DayCount == DayCountConvention.ActualActual && CalendarSystem.Iso.IsLeapYear(start.Year) ? 366 : 365;
        if (options.ContractualAnnualRatePercent is { } contractual)
        {
            return new InterestLine(start, end, baseAmount, contractual, InterestRateKind.Contractual, null, yearDays);
        }

        var rate = Rates.GetRate(start, options.EffectiveMarginPoints, options.ExtraMarginPoints, options.UseLastKnownRate);
        return new InterestLine(start, end, baseAmount, rate.RatePercent, InterestRateKind.Statutory, rate, yearDays);
    }
}
