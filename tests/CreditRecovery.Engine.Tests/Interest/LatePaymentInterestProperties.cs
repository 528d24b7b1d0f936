using CreditRecovery.Interest;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CreditRecovery.Engine.Tests.Interest;

/// <summary>A generated debt: amount, due date, payments and settings, with two as-of dates d1 &lt;= d2.</summary>
public sealed record InterestScenario(
    decimal Amount,
    LocalDate DueDate,
    IReadOnlyList<InterestPayment> Payments,
    LocalDate AsOf1,
    LocalDate AsOf2,
    DayCountConvention DayCount,
    decimal ExtraMarginPoints)
{
    /// <summary>The settings; the last known rate is allowed so that dates after 2026 H1 can be generated.</summary>
    public LatePaymentInterestOptions Options => new() { DayCount = DayCount, ExtraMarginPoints = ExtraMarginPoints, UseLastKnownRate = true };

    public override string ToString() =>
        $"{Amount} due {DueDate} payments [{string.Join(", ", Payments.Select(p => $"{p.Date}:{p.Amount.Amount}"))}] d1 {AsOf1} d2 {AsOf2} {DayCount} +{ExtraMarginPoints}";
}

public static class InterestArbitraries
{
    private static readonly LocalDate Earliest = new(2013, 1, 1);

    public static Arbitrary<InterestScenario> Scenarios()
    {
        var payment =
            from offset in Gen.Choose(-60, 1_500)
            from cents in Gen.Choose(0, 5_000_000)
            select (offset, cents);
        var scenario =
            from cents in Gen.Choose(1, 100_000_000)
            from dueOffset in Gen.Choose(0, 4_900)
            from payments in Gen.ListOf(payment).Select(l => l.Take(4).ToList())
            from a in Gen.Choose(-30, 1_800)
            from b in Gen.Choose(-30, 1_800)
            from dayCount in Gen.Elements(DayCountConvention.Actual365, DayCountConvention.ActualActual)
            from extra in Gen.Elements(0m, 2m, 4m)
            let due = Earliest.PlusDays(dueOffset)
            select new InterestScenario(
                cents / 100m,
                due,
                payments.Select(p => new InterestPayment(due.PlusDays(p.offset), Money.Eur(p.cents / 100m))).ToList(),
                due.PlusDays(Math.Min(a, b)),
                due.PlusDays(Math.Max(a, b)),
                dayCount,
                extra);
        return Arb.From(scenario);
    }
}

/// <summary>
/// Properties of the late-payment interest: monotonic in the as-of date, additive across a split date, zero up to the
/// due date, never negative.
/// </summary>
[Properties(Arbitrary = [typeof(InterestArbitraries)], MaxTest = 300)]
public sealed class LatePaymentInterestProperties
{
    private static readonly LatePaymentInterestCalculator Calculator = new();

    private static InterestCalculation Until(InterestScenario s, LocalDate asOf) =>
        Calculator.Calculate(Money.Eur(s.Amount), s.DueDate, asOf, s.Payments, s.Options);

    /// <summary>The exact value of an unrounded total: the sum of the numerators for each divisor.</summary>
    private static Dictionary<int, decimal> ExactNumerators(params InterestCalculation[] calculations) =>
        calculations.SelectMany(c => c.Lines).GroupBy(l => l.Divisor).ToDictionary(g => g.Key, g => g.Sum(l => l.Numerator));

    [Property]
    public Property Interest_is_monotonic_in_the_as_of_date(InterestScenario s)
    {
        var early = Until(s, s.AsOf1);
        var late = Until(s, s.AsOf2);
        return (early.UnroundedInterest <= late.UnroundedInterest && early.Interest.Amount <= late.Interest.Amount)
            .Label($"{early.UnroundedInterest} > {late.UnroundedInterest}");
    }

    [Property]
    public Property Interest_is_additive_across_a_split_date(InterestScenario s)
    {
        // due -> d2 equals due -> d1 plus (d1 + 1) -> d2 with the same amount and payments.
        var whole = Until(s, s.AsOf2);
        var first = Until(s, s.AsOf1);
        var splitStart = s.AsOf1 < s.DueDate ? s.DueDate.PlusDays(1) : s.AsOf1.PlusDays(1);
        var second = Calculator.CalculatePeriod(Money.Eur(s.Amount), splitStart, s.AsOf2, s.Payments, s.Options);

        var exactWhole = ExactNumerators(whole);
        var exactParts = ExactNumerators(first, second);
        var exactEqual = exactWhole.Count == exactParts.Count && exactWhole.All(kv => exactParts.TryGetValue(kv.Key, out var v) && v == kv.Value);

        // The decimal totals differ at most in the last digits of decimal precision (one division each vs one overall).
        var difference = Math.Abs(whole.UnroundedInterest - (first.UnroundedInterest + second.UnroundedInterest));
        var roundedDifference = Math.Abs(whole.Interest.Amount - (first.Interest.Amount + second.Interest.Amount));
        return (exactEqual && difference <= 0.000_000_000_000_01m && roundedDifference <= 0.01m && whole.Days == first.Days + second.Days)
            .Label($"whole {whole.UnroundedInterest} parts {first.UnroundedInterest} + {second.UnroundedInterest}");
    }

    [Property]
    public Property Interest_is_zero_on_or_before_the_due_date(InterestScenario s, NonNegativeInt daysBefore)
    {
        var asOf = s.DueDate.PlusDays(-(daysBefore.Get % 400));
        var result = Until(s, asOf);
        return (result.Lines.Count == 0 && result.UnroundedInterest == 0m && result.Interest.Amount == 0m).ToProperty();
    }

    [Property]
    public Property Interest_is_never_negative_and_the_breakdown_is_consistent(InterestScenario s)
    {
        var result = Until(s, s.AsOf2);
        var lines = result.Lines;
        var ok = result.UnroundedInterest >= 0m
            && result.Interest.Amount >= 0m
            && lines.All(l => l.Interest >= 0m && l.Base.Amount > 0m && l.Base.Amount <= s.Amount && l.Days >= 1)
            && lines.All(l => HalfYearRate.StartOf(l.Start) == HalfYearRate.StartOf(l.End))
            && lines.All(l => l.Start > s.DueDate && l.End <= s.AsOf2)
            && lines.Zip(lines.Skip(1)).All(p => p.First.End < p.Second.Start)
            && lines.Zip(lines.Skip(1)).All(p => p.First.Base.Amount >= p.Second.Base.Amount);
        return ok.Label(string.Join("; ", lines.Select(l => $"{l.Start}..{l.End} {l.Base.Amount} {l.RatePercent}")));
    }

    [Property]
    public Property Without_payments_every_day_from_the_day_after_the_due_date_is_counted(InterestScenario s)
    {
        var result = Calculator.Calculate(Money.Eur(s.Amount), s.DueDate, s.AsOf2, options: s.Options);
        var expectedDays = s.AsOf2 <= s.DueDate ? 0 : Period.Between(s.DueDate, s.AsOf2, PeriodUnits.Days).Days;
        return (result.Days == expectedDays).Label($"{result.Days} != {expectedDays}");
    }
}
