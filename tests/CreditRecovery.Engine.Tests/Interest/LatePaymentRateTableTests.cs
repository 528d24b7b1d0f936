using CreditRecovery.Interest;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Engine.Tests.Interest;

public sealed class LatePaymentRateTableTests
{
    private static LocalDate D(string iso) => LocalDatePattern.Iso.Parse(iso).Value;

    /// <summary>
    /// The research table (shared/research/integration-italy.md section 4): half-year, ECB reference rate, mora (B2B)
    /// rate. Written out by hand, independently of the shipped CSV.
    /// </summary>
    public static TheoryData<string, decimal, decimal> ResearchTable => new()
    {
        { "2013-01-01", 0.75m, 8.75m },
        { "2013-07-01", 0.50m, 8.50m },
        { "2014-01-01", 0.25m, 8.25m },
        { "2014-07-01", 0.15m, 8.15m },
        { "2015-01-01", 0.05m, 8.05m },
        { "2015-07-01", 0.05m, 8.05m },
        { "2016-01-01", 0.05m, 8.05m },
        { "2016-07-01", 0.00m, 8.00m },
        { "2017-01-01", 0.00m, 8.00m },
        { "2017-07-01", 0.00m, 8.00m },
        { "2018-01-01", 0.00m, 8.00m },
        { "2018-07-01", 0.00m, 8.00m },
        { "2019-01-01", 0.00m, 8.00m },
        { "2019-07-01", 0.00m, 8.00m },
        { "2020-01-01", 0.00m, 8.00m },
        { "2020-07-01", 0.00m, 8.00m },
        { "2021-01-01", 0.00m, 8.00m },
        { "2021-07-01", 0.00m, 8.00m },
        { "2022-01-01", 0.00m, 8.00m },
        { "2022-07-01", 0.00m, 8.00m },
        { "2023-01-01", 2.50m, 10.50m },
        { "2023-07-01", 4.00m, 12.00m },
        { "2024-01-01", 4.50m, 12.50m },
        { "2024-07-01", 4.25m, 12.25m },
        { "2025-01-01", 3.15m, 11.15m },
        { "2025-07-01", 2.15m, 10.15m },
        { "2026-01-01", 2.15m, 10.15m },
    };

    [Theory]
    [MemberData(nameof(ResearchTable))]
    public void Every_half_year_rate_is_the_ECB_rate_plus_8_points_and_matches_the_research_table(string start, decimal ecb, decimal mora)
    {
        var table = LatePaymentRateTable.Default;
        Assert.True(table.TryGetRow(D(start), out var row));
        Assert.Equal(ecb, row.EcbRatePercent);
        Assert.False(string.IsNullOrWhiteSpace(row.Source));

        // Any day of the half-year gives the rate of the half-year.
        foreach (var day in new[] { D(start), D(start).PlusMonths(3), D(start).PlusMonths(6).PlusDays(-1) })
        {
            var rate = table.GetRate(day);
            Assert.Equal(row.EcbRatePercent + 8m, rate.RatePercent);
            Assert.Equal(mora, rate.RatePercent);
            Assert.Equal(D(start), rate.HalfYearStart);
            Assert.False(rate.IsLastKnownRateFallback);
        }

        // Contracts before 2013 keep the 7-point margin.
        Assert.Equal(mora - 1m, table.GetRate(D(start), LatePaymentRateTable.MarginPointsFor(D("2012-12-31"))).RatePercent);
    }

    [Fact]
    public void The_shipped_table_covers_2013_H1_to_2026_H1_exactly_with_consecutive_rows()
    {
        var table = LatePaymentRateTable.Default;
        Assert.Equal(ResearchTable.Count(), table.Rows.Count);
        Assert.Equal(D("2013-01-01"), table.FirstRow.HalfYearStart);
        Assert.Equal(D("2026-01-01"), table.LastRow.HalfYearStart);
        Assert.Equal(D("2026-06-30"), table.LastRow.HalfYearEnd);
        for (var i = 1; i < table.Rows.Count; i++)
        {
            Assert.Equal(table.Rows[i - 1].HalfYearStart.PlusMonths(6), table.Rows[i].HalfYearStart);
        }
    }

    [Theory]
    [InlineData("2013-07-01")]
    [InlineData("2014-01-01")]
    [InlineData("2016-07-01")]
    [InlineData("2019-07-01")]
    public void Rows_without_a_located_MEF_notice_say_they_are_derived(string start)
    {
        Assert.True(LatePaymentRateTable.Default.TryGetRow(D(start), out var row));
        Assert.StartsWith("derived: ECB rate from ", row.Source, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2023-01-01", "GU n.14 18/01/2023")]
    [InlineData("2025-01-01", "GU n.63 17/03/2025")]
    [InlineData("2026-01-01", "GU n.15 20/01/2026")]
    public void Rows_with_a_MEF_notice_cite_it(string start, string notice)
    {
        Assert.True(LatePaymentRateTable.Default.TryGetRow(D(start), out var row));
        Assert.StartsWith(notice, row.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void The_margin_is_7_points_before_2013_and_8_from_2013()
    {
        Assert.Equal(7m, LatePaymentRateTable.MarginPointsFor(D("2012-12-31")));
        Assert.Equal(8m, LatePaymentRateTable.MarginPointsFor(D("2013-01-01")));
        Assert.Equal(8m, LatePaymentRateTable.MarginPointsFor(null));
    }

    [Fact]
    public void The_extra_agri_food_margin_adds_to_the_statutory_rate()
    {
        // 2023 H2: ECB 4.00 + 8 + 2 extra = 14.00 %.
        var rate = LatePaymentRateTable.Default.GetRate(D("2023-09-01"), 8m, extraMarginPoints: 2m);
        Assert.Equal(14.00m, rate.RatePercent);
        Assert.Contains("2 extra points", rate.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_half_year_after_the_last_row_throws_a_clear_MissingRateException()
    {
        var ex = Assert.Throws<MissingRateException>(() => LatePaymentRateTable.Default.GetRate(D("2026-07-01")));
        Assert.IsAssignableFrom<CreditRecoveryException>(ex);
        Assert.Equal(D("2026-07-01"), ex.HalfYearStart);
        Assert.Equal(D("2026-01-01"), ex.LastKnownHalfYearStart);
        Assert.Contains("2026 H2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("UseLastKnownRate", ex.Message, StringComparison.Ordinal);
        Assert.Contains("WithRows", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_half_year_before_the_first_row_throws_even_with_use_last_known_rate()
    {
        var ex = Assert.Throws<MissingRateException>(() => LatePaymentRateTable.Default.GetRate(D("2012-12-31"), useLastKnownRate: true));
        Assert.Equal(D("2012-07-01"), ex.HalfYearStart);
        Assert.Contains("starts with 2013 H1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Use_last_known_rate_applies_the_last_row_and_says_so()
    {
        var rate = LatePaymentRateTable.Default.GetRate(D("2027-02-10"), useLastKnownRate: true);
        Assert.True(rate.IsLastKnownRateFallback);
        Assert.Equal(D("2027-01-01"), rate.HalfYearStart);
        Assert.Equal(D("2026-01-01"), rate.ReferenceRow.HalfYearStart);
        Assert.Equal(10.15m, rate.RatePercent);
        Assert.Contains("2027 H1", rate.Description, StringComparison.Ordinal);
        Assert.Contains("last known rate of 2026 H1", rate.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void WithRows_adds_a_newer_half_year_without_changing_the_original()
    {
        var original = LatePaymentRateTable.Default;
        var extended = original.WithRows([new EcbReferenceRate(D("2026-07-01"), 2.40m, "test: hypothetical row")]);
        Assert.Equal(10.40m, extended.GetRate(D("2026-08-01")).RatePercent);
        Assert.Equal(D("2026-07-01"), extended.LastRow.HalfYearStart);
        Assert.Throws<MissingRateException>(() => original.GetRate(D("2026-08-01")));
    }

    [Fact]
    public void WithRows_can_correct_an_existing_row()
    {
        var corrected = LatePaymentRateTable.Default.WithRows([new EcbReferenceRate(D("2025-07-01"), 2.00m, "test correction")]);
        Assert.Equal(10.00m, corrected.GetRate(D("2025-07-01")).RatePercent);
        Assert.Equal(LatePaymentRateTable.Default.Rows.Count, corrected.Rows.Count);
    }

    [Fact]
    public void Rows_with_a_gap_a_duplicate_a_bad_start_or_no_source_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => LatePaymentRateTable.Default.WithRows([new EcbReferenceRate(D("2027-01-01"), 2m, "gap")]));
        Assert.Throws<ArgumentException>(() => new LatePaymentRateTable([new EcbReferenceRate(D("2026-01-01"), 2m, "a"), new EcbReferenceRate(D("2026-01-01"), 2m, "b")]));
        Assert.Throws<ArgumentException>(() => new LatePaymentRateTable([new EcbReferenceRate(D("2026-02-01"), 2m, "x")]));
        Assert.Throws<ArgumentException>(() => new LatePaymentRateTable([new EcbReferenceRate(D("2026-01-01"), 2m, " ")]));
        Assert.Throws<ArgumentException>(() => new LatePaymentRateTable([]));
    }

    [Fact]
    public void Parse_reads_the_csv_format_with_comments_and_commas_in_the_source()
    {
        const string csv = """
            # comment
            half_year_start,ecb_rate_percent,source

            2026-01-01,2.15,GU n.15 20/01/2026, page 3
            2026-07-01,2.40,derived: ECB rate from 2026-06-11
            """;
        var table = LatePaymentRateTable.Parse(new StringReader(csv));
        Assert.Equal(2, table.Rows.Count);
        Assert.Equal("GU n.15 20/01/2026, page 3", table.Rows[0].Source);
        Assert.Equal(10.40m, table.GetRate(D("2026-12-31")).RatePercent);
    }

    [Theory]
    [InlineData("2026-01-01,2.15,x")]
    [InlineData("half_year_start,ecb_rate_percent,source\n2026-13-01,2.15,x")]
    [InlineData("half_year_start,ecb_rate_percent,source\n2026-01-01,abc,x")]
    [InlineData("half_year_start,ecb_rate_percent,source\n2026-01-01,2.15")]
    public void Parse_rejects_malformed_csv(string csv)
    {
        Assert.ThrowsAny<Exception>(() => LatePaymentRateTable.Parse(new StringReader(csv)));
    }
}
