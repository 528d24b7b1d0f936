using CreditRecovery.Interest;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Engine.Tests.Interest;

public sealed class LatePaymentInterestCalculatorTests
{
    private static readonly LatePaymentInterestCalculator Calculator = new();

    private static LocalDate D(string iso) => LocalDatePattern.Iso.Parse(iso).Value;

    private static Money Eur(decimal amount) => Money.Eur(amount);

    private static Installment Inst(string key, string document, int number, string due, decimal amount, string customer = "C1", DocumentKind kind = DocumentKind.Invoice) => new()
    {
        Company = new CompanyId("ACME"),
        Key = new InstallmentKey(key),
        CustomerCode = customer,
        Document = new DocumentReference(kind, document, D("2022-01-10")),
        Number = number,
        DueDate = D(due),
        OriginalAmount = Eur(amount),
        OpenResidual = Eur(amount),
    };

    private static void AssertLine(InterestLine line, string start, string end, int days, decimal baseAmount, decimal rate)
    {
        Assert.Equal(D(start), line.Start);
        Assert.Equal(D(end), line.End);
        Assert.Equal(days, line.Days);
        Assert.Equal(Eur(baseAmount), line.Base);
        Assert.Equal(rate, line.RatePercent);
    }

    [Fact]
    public void Crossing_two_half_year_boundaries_uses_each_half_year_rate()
    {
        // 10,000.00 EUR due 2022-11-15, as of 2023-08-10, actual/365:
        //   2022-11-16..2022-12-31:  46 days (15 + 31) at  8.00 % (2022 H2, ECB 0.00): 10000 ×  8.00 ×  46 / 36500 = 100.8219178...
        //   2023-01-01..2023-06-30: 181 days             at 10.50 % (2023 H1, ECB 2.50): 10000 × 10.50 × 181 / 36500 = 520.6849315...
        //   2023-07-01..2023-08-10:  41 days (31 + 10)   at 12.00 % (2023 H2, ECB 4.00): 10000 × 12.00 ×  41 / 36500 = 134.7945205...
        //   total = (3,680,000 + 19,005,000 + 4,920,000) / 36500 = 27,605,000 / 36500 = 756.3013698... -> 756.30
        var result = Calculator.Calculate(Eur(10_000m), D("2022-11-15"), D("2023-08-10"));

        Assert.Equal(3, result.Lines.Count);
        AssertLine(result.Lines[0], "2022-11-16", "2022-12-31", 46, 10_000m, 8.00m);
        AssertLine(result.Lines[1], "2023-01-01", "2023-06-30", 181, 10_000m, 10.50m);
        AssertLine(result.Lines[2], "2023-07-01", "2023-08-10", 41, 10_000m, 12.00m);
        Assert.Equal(3_680_000m, result.Lines[0].Numerator);
        Assert.Equal(36500, result.Lines[0].Divisor);
        Assert.Equal(27_605_000m / 36500m, result.UnroundedInterest);
        Assert.Equal(Eur(756.30m), result.Interest);
        Assert.Equal(Eur(100.82m), result.Lines[0].RoundedInterest);
        Assert.Equal(Eur(520.68m), result.Lines[1].RoundedInterest);
        Assert.Equal(Eur(134.79m), result.Lines[2].RoundedInterest);
        Assert.Equal(268, result.Days);
        Assert.Equal(D("2022-11-16"), result.AccrualStart);
        Assert.All(result.Lines, l => Assert.Equal(InterestRateKind.Statutory, l.RateKind));
        Assert.Contains("GU n.14 18/01/2023", result.Lines[1].HalfYearRate!.Description, StringComparison.Ordinal);
        Assert.Empty(result.Notes);
    }

    [Fact]
    public void A_partial_payment_lowers_the_base_from_the_next_day()
    {
        // Same debt, 4,000.00 paid on 2023-03-15: the base is 6,000.00 from 2023-03-16.
        //   2022-11-16..2022-12-31:  46 days, 10000 at  8.00 %: 10000 ×  8.00 ×  46 =  3,680,000
        //   2023-01-01..2023-03-15:  74 days (31+28+15), 10000 at 10.50 %: 10000 × 10.50 ×  74 =  7,770,000
        //   2023-03-16..2023-06-30: 107 days (16+30+31+30), 6000 at 10.50 %: 6000 × 10.50 × 107 =  6,741,000
        //   2023-07-01..2023-08-10:  41 days,  6000 at 12.00 %:  6000 × 12.00 ×  41 =  2,952,000
        //   total = 21,143,000 / 36500 = 579.2602739... -> 579.26
        var result = Calculator.Calculate(Eur(10_000m), D("2022-11-15"), D("2023-08-10"), [new InterestPayment(D("2023-03-15"), Eur(4_000m))]);

        Assert.Equal(4, result.Lines.Count);
        AssertLine(result.Lines[0], "2022-11-16", "2022-12-31", 46, 10_000m, 8.00m);
        AssertLine(result.Lines[1], "2023-01-01", "2023-03-15", 74, 10_000m, 10.50m);
        AssertLine(result.Lines[2], "2023-03-16", "2023-06-30", 107, 6_000m, 10.50m);
        AssertLine(result.Lines[3], "2023-07-01", "2023-08-10", 41, 6_000m, 12.00m);
        Assert.Equal(21_143_000m / 36500m, result.UnroundedInterest);
        Assert.Equal(Eur(579.26m), result.Interest);
    }

    [Fact]
    public void Payments_on_time_several_partials_and_full_payment()
    {
        // 1,000.00 due 2024-03-31; 200 paid on the due date (on time: base 800 from the start), 300 on 2024-04-10,
        // the remaining 500 on 2024-04-20. 2024 H1 rate 12.50 %.
        //   2024-04-01..2024-04-10: 10 days, 800 × 12.50 × 10 = 100,000
        //   2024-04-11..2024-04-20: 10 days, 500 × 12.50 × 10 =  62,500
        //   after 2024-04-20 the base is zero: no line.
        //   total = 162,500 / 36500 = 4.4520547... -> 4.45
        var payments = new[]
        {
            new InterestPayment(D("2024-04-20"), Eur(500m)),
            new InterestPayment(D("2024-03-31"), Eur(200m)),
            new InterestPayment(D("2024-04-10"), Eur(300m)),
        };
        var result = Calculator.Calculate(Eur(1_000m), D("2024-03-31"), D("2024-12-31"), payments);

        Assert.Equal(2, result.Lines.Count);
        AssertLine(result.Lines[0], "2024-04-01", "2024-04-10", 10, 800m, 12.50m);
        AssertLine(result.Lines[1], "2024-04-11", "2024-04-20", 10, 500m, 12.50m);
        Assert.Equal(162_500m / 36500m, result.UnroundedInterest);
        Assert.Equal(Eur(4.45m), result.Interest);
    }

    [Fact]
    public void A_debt_paid_in_full_needs_no_rate_for_later_half_years()
    {
        // Due 2026-06-01, paid in full on 2026-06-20: interest 2026-06-02..2026-06-20 (19 days) at 10.15 %;
        // the as-of date in 2026 H2 (no rate yet) does not matter.  500 × 10.15 × 19 / 36500 = 96,425 / 36500 = 2.6417808 -> 2.64
        var result = Calculator.Calculate(Eur(500m), D("2026-06-01"), D("2026-09-30"), [new InterestPayment(D("2026-06-20"), Eur(500m))]);
        Assert.Single(result.Lines);
        Assert.Equal(Eur(2.64m), result.Interest);
    }

    [Fact]
    public void Overpayment_stops_interest_and_is_noted()
    {
        var result = Calculator.Calculate(Eur(100m), D("2024-03-31"), D("2024-04-30"), [new InterestPayment(D("2024-04-05"), Eur(150m))]);
        Assert.Single(result.Lines);
        AssertLine(result.Lines[0], "2024-04-01", "2024-04-05", 5, 100m, 12.50m);
        Assert.Contains(result.Notes, n => n.Contains("exceed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("2024-03-31")]
    [InlineData("2024-03-01")]
    public void No_interest_on_or_before_the_due_date(string asOf)
    {
        var result = Calculator.Calculate(Eur(1_000m), D("2024-03-31"), D(asOf));
        Assert.Empty(result.Lines);
        Assert.Equal(Eur(0m), result.Interest);
    }

    [Fact]
    public void The_first_day_of_interest_is_the_day_after_the_due_date()
    {
        // 36,500.00 at 12.50 % (2024 H1) for 1 day: 36500 × 12.50 × 1 / 36500 = 12.50
        var result = Calculator.Calculate(Eur(36_500m), D("2024-03-31"), D("2024-04-01"));
        AssertLine(Assert.Single(result.Lines), "2024-04-01", "2024-04-01", 1, 36_500m, 12.50m);
        Assert.Equal(Eur(12.50m), result.Interest);
    }

    [Fact]
    public void Actual_actual_uses_366_days_in_leap_years()
    {
        // 1,000.00 due 2023-12-20, as of 2024-03-01:
        //   2023-12-21..2023-12-31: 11 days at 12.00 % (2023 H2): 1000 × 12.00 × 11 / 36500 =  3.6164383...
        //   2024-01-01..2024-03-01: 61 days (31+29+1) at 12.50 % (2024 H1):
        //     actual/actual: 1000 × 12.50 × 61 / 36600 = 20.8333333...   total 24.4497716... -> 24.45
        //     actual/365:    1000 × 12.50 × 61 / 36500 = 20.8904109...   total 24.5068493... -> 24.51
        var actualActual = Calculator.Calculate(Eur(1_000m), D("2023-12-20"), D("2024-03-01"), options: new() { DayCount = DayCountConvention.ActualActual });
        Assert.Equal(365, actualActual.Lines[0].YearDays);
        Assert.Equal(366, actualActual.Lines[1].YearDays);
        Assert.Equal(61, actualActual.Lines[1].Days);
        Assert.Equal((132_000m / 36500m) + (762_500m / 36600m), actualActual.UnroundedInterest);
        Assert.Equal(Eur(24.45m), actualActual.Interest);

        var actual365 = Calculator.Calculate(Eur(1_000m), D("2023-12-20"), D("2024-03-01"));
        Assert.All(actual365.Lines, l => Assert.Equal(365, l.YearDays));
        Assert.Equal(894_500m / 36500m, actual365.UnroundedInterest);
        Assert.Equal(Eur(24.51m), actual365.Interest);
    }

    [Fact]
    public void Contracts_before_2013_use_a_7_point_margin()
    {
        // 1,000.00 due 2022-11-15, as of 2022-12-31, contract of 2012: 46 days at 0.00 + 7 = 7.00 %:
        //   1000 × 7 × 46 / 36500 = 322,000 / 36500 = 8.8219178 -> 8.82
        var result = Calculator.Calculate(Eur(1_000m), D("2022-11-15"), D("2022-12-31"), options: new() { ContractDate = D("2012-06-30") });
        Assert.Equal(7.00m, Assert.Single(result.Lines).RatePercent);
        Assert.Equal(Eur(8.82m), result.Interest);
    }

    [Fact]
    public void The_agri_food_extra_margin_is_added()
    {
        // 1,000.00 due 2023-06-30, as of 2023-07-30: 30 days at 4.00 + 8 + 4 = 16.00 %: 1000 × 16 × 30 / 36500 = 13.1506849 -> 13.15
        var result = Calculator.Calculate(Eur(1_000m), D("2023-06-30"), D("2023-07-30"), options: new() { ExtraMarginPoints = 4m });
        Assert.Equal(16.00m, Assert.Single(result.Lines).RatePercent);
        Assert.Equal(Eur(13.15m), result.Interest);
    }

    [Fact]
    public void A_contractual_rate_replaces_the_statutory_rate_and_needs_no_table_row()
    {
        // 1,000.00 at a fixed 6.00 %, due 2026-06-15, as of 2026-08-14 (2026 H2 is not in the table):
        //   2026-06-16..2026-06-30: 15 days: 1000 × 6 × 15 = 90,000
        //   2026-07-01..2026-08-14: 45 days: 1000 × 6 × 45 = 270,000
        //   total 360,000 / 36500 = 9.8630137 -> 9.86
        var result = Calculator.Calculate(Eur(1_000m), D("2026-06-15"), D("2026-08-14"), options: new() { ContractualAnnualRatePercent = 6m });
        Assert.Equal(2, result.Lines.Count);
        Assert.All(result.Lines, l =>
        {
            Assert.Equal(6m, l.RatePercent);
            Assert.Equal(InterestRateKind.Contractual, l.RateKind);
            Assert.Null(l.HalfYearRate);
        });
        Assert.Equal(Eur(9.86m), result.Interest);
    }

    [Fact]
    public void The_total_is_rounded_once_half_away_from_zero()
    {
        // 18.25 × 10.00 × 1 / 36500 = 0.005 exactly -> 0.01 (banker's rounding would give 0.00).
        var result = Calculator.Calculate(Eur(18.25m), D("2024-01-01"), D("2024-01-02"), options: new() { ContractualAnnualRatePercent = 10m });
        Assert.Equal(0.005m, result.UnroundedInterest);
        Assert.Equal(Eur(0.01m), result.Interest);

        // Lines are not rounded before adding: 14.60 at 10.00 % due 2022-12-30 gives two one-day lines (2022-12-31 and
        // 2023-01-01, split at the half-year) of 14.60 × 10.00 × 1 / 36500 = 0.004 each: total 0.008 -> 0.01, while
        // rounding each line first would give 0.00.
        var twoLines = Calculator.Calculate(Eur(14.60m), D("2022-12-30"), D("2023-01-01"), options: new() { ContractualAnnualRatePercent = 10m });
        Assert.Equal(2, twoLines.Lines.Count);
        Assert.All(twoLines.Lines, l => Assert.Equal(Eur(0m), l.RoundedInterest));
        Assert.Equal(0.008m, twoLines.UnroundedInterest);
        Assert.Equal(Eur(0.01m), twoLines.Interest);
    }

    [Fact]
    public void A_missing_future_half_year_throws_by_default()
    {
        var ex = Assert.Throws<MissingRateException>(() => Calculator.Calculate(Eur(1_000m), D("2026-06-15"), D("2026-07-10")));
        Assert.Equal(D("2026-07-01"), ex.HalfYearStart);
        Assert.Contains("2026 H2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Use_last_known_rate_applies_2026_H1_to_2026_H2_and_says_so_in_the_breakdown()
    {
        // 1,000.00 due 2026-06-15, as of 2026-07-10:
        //   2026-06-16..2026-06-30: 15 days at 10.15 % (2026 H1)
        //   2026-07-01..2026-07-10: 10 days at 10.15 % (2026 H2 unknown: last known rate, flagged)
        //   1000 × 10.15 × 25 / 36500 = 253,750 / 36500 = 6.9520547 -> 6.95
        var result = Calculator.Calculate(Eur(1_000m), D("2026-06-15"), D("2026-07-10"), options: new() { UseLastKnownRate = true });
        Assert.Equal(2, result.Lines.Count);
        Assert.False(result.Lines[0].HalfYearRate!.IsLastKnownRateFallback);
        Assert.True(result.Lines[1].HalfYearRate!.IsLastKnownRateFallback);
        Assert.Equal(10.15m, result.Lines[1].RatePercent);
        Assert.True(result.UsesLastKnownRate);
        var note = Assert.Single(result.Notes);
        Assert.Contains("2026 H2", note, StringComparison.Ordinal);
        Assert.Contains("last known rate of 2026 H1", note, StringComparison.Ordinal);
        Assert.Equal(Eur(6.95m), result.Interest);
    }

    [Fact]
    public void A_calculator_on_an_extended_table_uses_the_supplied_row()
    {
        var calculator = new LatePaymentInterestCalculator(LatePaymentRateTable.Default.WithRows([new EcbReferenceRate(D("2026-07-01"), 2.00m, "test row")]));
        var result = calculator.Calculate(Eur(1_000m), D("2026-06-30"), D("2026-07-10"));
        Assert.Equal(10.00m, Assert.Single(result.Lines).RatePercent);
        Assert.False(result.UsesLastKnownRate);
    }

    [Fact]
    public void Waived_interest_is_zero_and_marked()
    {
        var result = Calculator.Calculate(Eur(1_000m), D("2022-11-15"), D("2023-08-10"), options: new() { WaiveInterest = true });
        Assert.True(result.IsWaived);
        Assert.Empty(result.Lines);
        Assert.Equal(Eur(0m), result.Interest);
        Assert.NotEmpty(result.Notes);
    }

    [Fact]
    public void Invalid_payments_and_options_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => Calculator.Calculate(Eur(100m), D("2024-01-01"), D("2024-02-01"), [new InterestPayment(D("2024-01-10"), Eur(-1m))]));
        Assert.Throws<ArgumentException>(() => Calculator.Calculate(Eur(100m), D("2024-01-01"), D("2024-02-01"), [new InterestPayment(D("2024-01-10"), new Money(1m, "USD"))]));
        Assert.Throws<ArgumentException>(() => Calculator.Calculate(Eur(100m), D("2024-01-01"), D("2024-02-01"), options: new() { ExtraMarginPoints = -1m }));
        Assert.Throws<ArgumentException>(() => Calculator.Calculate(Eur(100m), D("2024-01-01"), D("2024-02-01"), options: new() { ContractualAnnualRatePercent = -1m }));
    }

    [Fact]
    public void An_installment_accrues_on_its_original_amount_VAT_included()
    {
        // 1,220.00 (1,000 + 22 % VAT) due 2024-07-31, as of 2024-08-30: 30 days at 12.25 % (2024 H2):
        //   1220 × 12.25 × 30 / 36500 = 448,350 / 36500 = 12.2835616 -> 12.28
        var result = Calculator.Calculate(Inst("K1", "F1", 1, "2024-07-31", 1_220m), D("2024-08-30"));
        Assert.Equal(Eur(12.28m), result.Interest);
    }

    // ---------------------------------------------------------------- the claim and the 40 EUR per document

    [Fact]
    public void The_40_EUR_compensation_is_due_once_per_invoice_not_per_installment()
    {
        var installments = new[]
        {
            Inst("F1-1", "F1", 1, "2024-01-31", 500m),
            Inst("F1-2", "F1", 2, "2024-02-29", 500m),
            Inst("F1-3", "F1", 3, "2024-03-31", 500m),
            Inst("F2-1", "F2", 1, "2024-02-15", 300m),
        };
        var claim = Calculator.CalculateClaim(installments, D("2024-06-30"));

        Assert.Equal(4, claim.Installments.Count);
        Assert.Equal(2, claim.Documents.Count);
        var f1 = Assert.Single(claim.Documents, d => d.Document.Number == "F1");
        Assert.Equal(3, f1.Installments.Count);
        Assert.True(f1.IsDue);
        Assert.Equal(Eur(40m), f1.Compensation);
        Assert.Equal(Eur(80m), claim.TotalCompensation);
        Assert.Equal(Eur(claim.Installments.Sum(i => i.Interest.Amount)), claim.TotalInterest);
        Assert.Equal(claim.TotalInterest + Eur(80m), claim.Total);
    }

    [Fact]
    public void Compensation_is_not_due_before_the_due_date_or_when_paid_on_time_and_stays_due_after_a_late_payment()
    {
        var onTime = Inst("A-1", "A", 1, "2024-03-31", 100m);
        var paidLate = Inst("B-1", "B", 1, "2024-03-31", 100m);
        var notYetDue = Inst("C-1", "C", 1, "2024-07-31", 100m);
        var payments = new Dictionary<InstallmentKey, IReadOnlyList<InterestPayment>>
        {
            [onTime.Key] = [new InterestPayment(D("2024-03-31"), Eur(100m))],
            [paidLate.Key] = [new InterestPayment(D("2024-04-10"), Eur(100m))],
        };
        var claim = Calculator.CalculateClaim([onTime, paidLate, notYetDue], D("2024-06-30"), payments);

        Assert.False(claim.Documents.Single(d => d.Document.Number == "A").IsDue);
        Assert.True(claim.Documents.Single(d => d.Document.Number == "B").IsDue);
        Assert.False(claim.Documents.Single(d => d.Document.Number == "C").IsDue);
        Assert.Equal(Eur(40m), claim.TotalCompensation);

        // B: 100 × 12.50 × 10 / 36500 = 0.3424657 -> 0.34 (2024-04-01..2024-04-10)
        Assert.Equal(Eur(0.34m), claim.Installments.Single(i => i.Installment.Key == paidLate.Key).Interest);
        Assert.Equal(Eur(0m), claim.Installments.Single(i => i.Installment.Key == onTime.Key).Interest);
    }

    [Fact]
    public void Credit_notes_get_neither_interest_nor_compensation()
    {
        var claim = Calculator.CalculateClaim([Inst("NC-1", "NC1", 1, "2024-01-31", -200m, kind: DocumentKind.CreditNote)], D("2024-06-30"));
        Assert.Equal(Eur(0m), claim.Total);
        Assert.False(Assert.Single(claim.Documents).IsDue);
    }

    [Fact]
    public void Same_document_number_for_two_customers_is_two_documents()
    {
        var claim = Calculator.CalculateClaim([Inst("X", "F1", 1, "2024-01-31", 100m, "C1"), Inst("Y", "F1", 1, "2024-01-31", 100m, "C2")], D("2024-02-29"));
        Assert.Equal(2, claim.Documents.Count);
        Assert.Equal(Eur(80m), claim.TotalCompensation);
    }

    [Fact]
    public void The_policy_gives_contractual_rates_and_waivers_per_customer_and_per_case()
    {
        var policy = new LatePaymentInterestPolicy
        {
            Customers =
            {
                ["FRIEND"] = new LatePaymentInterestOptions { WaiveCompensation = true, WaiveInterest = true },
                ["CONTRACT"] = new LatePaymentInterestOptions { ContractualAnnualRatePercent = 5m },
            },
            Cases =
            {
                [new InstallmentKey("SETTLED")] = new LatePaymentInterestOptions { WaiveInterest = true },
            },
        };
        var installments = new[]
        {
            Inst("F", "F1", 1, "2024-01-31", 1_000m, "FRIEND"),
            Inst("K", "F2", 1, "2024-01-31", 1_000m, "CONTRACT"),
            Inst("S", "F3", 1, "2024-01-31", 1_000m, "OTHER"),
            Inst("SETTLED", "F4", 1, "2024-01-31", 1_000m, "OTHER"),
        };
        var claim = Calculator.CalculateClaim(installments, D("2024-03-01"), policy: policy);

        var friend = claim.Installments.Single(i => i.Installment.Key.Value == "F");
        Assert.True(friend.Calculation.IsWaived);
        var friendDocument = claim.Documents.Single(d => d.Document.Number == "F1");
        Assert.True(friendDocument.IsDue);
        Assert.True(friendDocument.IsWaived);
        Assert.Equal(Eur(0m), friendDocument.Compensation);

        // CONTRACT: 2024-02-01..2024-03-01 = 30 days at 5 %: 1000 × 5 × 30 / 36500 = 4.1095890 -> 4.11
        Assert.Equal(Eur(4.11m), claim.Installments.Single(i => i.Installment.Key.Value == "K").Interest);

        // OTHER: 30 days at 12.50 %: 1000 × 12.5 × 30 / 36500 = 10.2739726 -> 10.27
        Assert.Equal(Eur(10.27m), claim.Installments.Single(i => i.Installment.Key.Value == "S").Interest);

        // The settled case waives interest but keeps the compensation of its invoice.
        var settled = claim.Installments.Single(i => i.Installment.Key.Value == "SETTLED");
        Assert.True(settled.Calculation.IsWaived);
        Assert.Equal(Eur(40m), claim.Documents.Single(d => d.Document.Number == "F4").Compensation);

        Assert.Equal(Eur(4.11m + 10.27m), claim.TotalInterest);
        Assert.Equal(Eur(120m), claim.TotalCompensation);
    }

    [Fact]
    public void A_claim_rejects_mixed_currencies()
    {
        var usd = Inst("U", "FU", 1, "2024-01-31", 100m) with { OriginalAmount = new Money(100m, "USD"), OpenResidual = new Money(100m, "USD") };
        Assert.Throws<ArgumentException>(() => Calculator.CalculateClaim([Inst("E", "FE", 1, "2024-01-31", 100m), usd], D("2024-03-01")));
    }
}
