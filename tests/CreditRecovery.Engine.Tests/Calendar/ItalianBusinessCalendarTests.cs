using CreditRecovery.Calendar;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Engine.Tests.Calendar;

public sealed class ItalianBusinessCalendarTests
{
    private static readonly ItalianBusinessCalendar Default = new(new ItalianCalendarOptions());

    private static LocalDate D(string iso) => LocalDatePattern.Iso.Parse(iso).Value;

    // ---------------------------------------------------------------- Easter

    [Theory]
    [InlineData(1818, "1818-03-22")]
    [InlineData(1943, "1943-04-25")]
    [InlineData(2000, "2000-04-23")]
    [InlineData(2008, "2008-03-23")]
    [InlineData(2011, "2011-04-24")]
    [InlineData(2019, "2019-04-21")]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2038, "2038-04-25")]
    [InlineData(2285, "2285-03-22")]
    public void EasterSunday_matches_known_dates(int year, string expected)
    {
        Assert.Equal(D(expected), ItalianBusinessCalendar.EasterSunday(year));
    }

    [Fact]
    public void EasterSunday_agrees_with_Gauss_algorithm_for_every_year_from_1583_to_9999()
    {
        for (var year = 1583; year <= 9999; year++)
        {
            Assert.Equal(GaussEaster(year), ItalianBusinessCalendar.EasterSunday(year));
        }
    }

    [Fact]
    public void EasterSunday_is_a_Sunday_in_its_window_also_for_proleptic_and_negative_years()
    {
        foreach (var year in new[] { CalendarSystem.Iso.MinYear, -4713, -1, 0, 1, 325, 1582, CalendarSystem.Iso.MaxYear })
        {
            var easter = ItalianBusinessCalendar.EasterSunday(year);
            Assert.Equal(IsoDayOfWeek.Sunday, easter.DayOfWeek);
            Assert.Equal(year, easter.Year);
            Assert.InRange(easter, new LocalDate(year, 3, 22), new LocalDate(year, 4, 25));
        }
    }

    [Theory]
    [InlineData(-10000)]
    [InlineData(10000)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void EasterSunday_rejects_years_outside_the_ISO_range(int year)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ItalianBusinessCalendar.EasterSunday(year));
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 300)]
    public Property Easter_Monday_is_a_Monday_between_23_March_and_26_April_and_a_holiday(ModernYear year)
    {
        var monday = ItalianBusinessCalendar.EasterSunday(year.Value).PlusDays(1);
        return (monday.DayOfWeek == IsoDayOfWeek.Monday)
            .Label($"weekday of {monday}")
            .And((monday >= new LocalDate(year.Value, 3, 23) && monday <= new LocalDate(year.Value, 4, 26))
                .Label($"window of {monday}"))
            .And((!Default.IsBusinessDay(monday)).Label("Easter Monday is not a working day"))
            .And((Default.GetHolidayName(monday)?.Contains("Easter Monday", StringComparison.Ordinal) == true)
                .Label($"name on {monday}: {Default.GetHolidayName(monday)}"));
    }

    // ---------------------------------------------------------------- National holidays

    [Theory]
    [InlineData("2026-01-01", "Capodanno")]
    [InlineData("2026-01-06", "Epifania")]
    [InlineData("2026-04-05", "Pasqua")]
    [InlineData("2026-04-06", "Lunedì dell'Angelo (Easter Monday)")]
    [InlineData("2026-04-25", "Liberazione")]
    [InlineData("2026-05-01", "Lavoro")]
    [InlineData("2026-06-02", "Repubblica")]
    [InlineData("2026-08-15", "Ferragosto")]
    [InlineData("2026-10-04", "San Francesco")]
    [InlineData("2026-11-01", "Ognissanti")]
    [InlineData("2026-12-08", "Immacolata")]
    [InlineData("2026-12-25", "Natale")]
    [InlineData("2026-12-26", "Santo Stefano")]
    public void National_holidays_are_non_working_and_named(string date, string nameFragment)
    {
        var day = D(date);
        Assert.False(Default.IsBusinessDay(day));
        var name = Default.GetHolidayName(day);
        Assert.NotNull(name);
        Assert.Contains(nameFragment, name, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(2025, 12)]
    [InlineData(2026, 13)] // 4 October joins the list.
    [InlineData(2011, 11)] // Easter Monday is 25 April: one date, two holidays.
    [InlineData(2038, 12)] // Easter Sunday is 25 April.
    public void GetHolidays_counts_distinct_holiday_dates(int year, int expected)
    {
        var holidays = Default.GetHolidays(year);
        Assert.Equal(expected, holidays.Count);
        Assert.All(holidays.Keys, d => Assert.Equal(year, d.Year));
    }

    [Theory]
    [InlineData("2026-01-02")] // Friday after New Year.
    [InlineData("2026-04-03")] // Good Friday is not a holiday in Italy.
    [InlineData("2026-04-07")] // Tuesday after Easter Monday.
    [InlineData("2026-03-25")] // A known bug elsewhere made 25 March a holiday.
    [InlineData("2026-12-24")] // Christmas Eve.
    [InlineData("2026-12-31")] // New Year's Eve.
    public void Ordinary_weekdays_are_business_days_without_a_name(string date)
    {
        Assert.True(Default.IsBusinessDay(D(date)));
        Assert.Null(Default.GetHolidayName(D(date)));
    }

    [Fact]
    public void Weekends_are_non_working_but_have_no_name()
    {
        var saturday = D("2026-03-07");
        var sunday = D("2026-03-08");
        Assert.Equal(IsoDayOfWeek.Saturday, saturday.DayOfWeek);
        Assert.False(Default.IsBusinessDay(saturday));
        Assert.False(Default.IsBusinessDay(sunday));
        Assert.Null(Default.GetHolidayName(saturday));
        Assert.Null(Default.GetHolidayName(sunday));
        Assert.Equal(D("2026-03-09"), Default.NextBusinessDayOnOrAfter(saturday));
    }

    [Fact]
    public void Easter_Monday_on_Liberation_Day_2011_is_a_single_non_working_day()
    {
        var day = D("2011-04-25");
        Assert.Equal(IsoDayOfWeek.Monday, day.DayOfWeek);
        Assert.False(Default.IsBusinessDay(day));

        var name = Default.GetHolidayName(day);
        Assert.Equal("Lunedì dell'Angelo (Easter Monday) / Festa della Liberazione (Liberation Day)", name);

        // Friday 22 April (Good Friday, a working day) + 1 skips Sat, Easter Sunday and the one Monday holiday.
        Assert.True(Default.IsBusinessDay(D("2011-04-22")));
        Assert.Equal(D("2011-04-26"), Default.AddBusinessDays(D("2011-04-22"), 1));
        Assert.Equal(D("2011-04-27"), Default.AddBusinessDays(D("2011-04-22"), 2));
        Assert.Equal(D("2011-04-22"), Default.AddBusinessDays(D("2011-04-26"), -1));
    }

    [Fact]
    public void Easter_Sunday_on_Liberation_Day_2038_keeps_Easter_Monday_as_a_separate_holiday()
    {
        Assert.Equal("Pasqua (Easter Sunday) / Festa della Liberazione (Liberation Day)", Default.GetHolidayName(D("2038-04-25")));
        Assert.Equal("Lunedì dell'Angelo (Easter Monday)", Default.GetHolidayName(D("2038-04-26")));
        Assert.Equal(D("2038-04-27"), Default.AddBusinessDays(D("2038-04-23"), 1));
    }

    [Fact]
    public void San_Francesco_on_4_October_is_a_holiday_from_2026_only()
    {
        // 2024 and 2025: before the law.
        Assert.Equal(IsoDayOfWeek.Friday, D("2024-10-04").DayOfWeek);
        Assert.True(Default.IsBusinessDay(D("2024-10-04")));
        Assert.Null(Default.GetHolidayName(D("2024-10-04")));
        Assert.Null(Default.GetHolidayName(D("2025-10-04")));
        Assert.DoesNotContain(D("2025-10-04"), Default.GetHolidays(2025).Keys);

        // 2026 is a Sunday: named, though it would be non-working anyway.
        Assert.Contains("San Francesco", Default.GetHolidayName(D("2026-10-04")), StringComparison.Ordinal);

        // 2027 is its first weekday occurrence.
        var monday = D("2027-10-04");
        Assert.Equal(IsoDayOfWeek.Monday, monday.DayOfWeek);
        Assert.False(Default.IsBusinessDay(monday));
        Assert.Contains("San Francesco d'Assisi", Default.GetHolidayName(monday), StringComparison.Ordinal);
        Assert.Equal(D("2027-10-05"), Default.AddBusinessDays(D("2027-10-01"), 1));
    }

    // ---------------------------------------------------------------- Options

    [Fact]
    public void Rome_patron_day_29_June_is_honoured()
    {
        var rome = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            PatronSaintDay = new AnnualDate(6, 29),
            PatronSaintName = "Santi Pietro e Paolo",
        });

        var day = D("2026-06-29");
        Assert.Equal(IsoDayOfWeek.Monday, day.DayOfWeek);
        Assert.True(Default.IsBusinessDay(day));
        Assert.False(rome.IsBusinessDay(day));
        Assert.Equal("Santi Pietro e Paolo", rome.GetHolidayName(day));
        Assert.Equal(D("2026-06-30"), rome.AddBusinessDays(D("2026-06-26"), 1));
        Assert.Equal(D("2026-06-29"), Default.AddBusinessDays(D("2026-06-26"), 1));
    }

    [Fact]
    public void Milan_Sant_Ambrogio_before_the_Immacolata_makes_a_four_day_bridge()
    {
        var milan = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            PatronSaintDay = new AnnualDate(12, 7),
            PatronSaintName = "Sant'Ambrogio",
        });

        // Monday 7 and Tuesday 8 December 2026.
        Assert.False(milan.IsBusinessDay(D("2026-12-07")));
        Assert.False(milan.IsBusinessDay(D("2026-12-08")));
        Assert.Equal(D("2026-12-09"), milan.AddBusinessDays(D("2026-12-04"), 1));
        Assert.Equal(D("2026-12-04"), milan.AddBusinessDays(D("2026-12-09"), -1));
        Assert.Equal(D("2026-12-09"), milan.NextBusinessDayOnOrAfter(D("2026-12-05")));
        Assert.Equal(D("2026-12-07"), Default.NextBusinessDayOnOrAfter(D("2026-12-05")));
    }

    [Fact]
    public void Patron_day_on_a_national_holiday_joins_the_names_and_an_empty_name_gets_the_default()
    {
        // Bologna's San Petronio is 4 October, which is San Francesco from 2026.
        var bologna = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            PatronSaintDay = new AnnualDate(10, 4),
            PatronSaintName = "San Petronio",
        });
        Assert.Equal(
            "San Francesco d'Assisi, patrono d'Italia (St Francis of Assisi) / San Petronio",
            bologna.GetHolidayName(D("2027-10-04")));
        Assert.Equal("San Petronio", bologna.GetHolidayName(D("2024-10-04")));
        Assert.False(bologna.IsBusinessDay(D("2024-10-04")));

        var unnamed = new ItalianBusinessCalendar(new ItalianCalendarOptions { PatronSaintDay = new AnnualDate(9, 19), PatronSaintName = "  " });
        Assert.Equal(ItalianBusinessCalendar.DefaultPatronSaintName, unnamed.GetHolidayName(D("2025-09-19")));
    }

    [Fact]
    public void Patron_day_on_29_February_exists_in_leap_years_only()
    {
        var calendar = new ItalianBusinessCalendar(new ItalianCalendarOptions { PatronSaintDay = new AnnualDate(2, 29), PatronSaintName = "Leap saint" });
        Assert.False(calendar.IsBusinessDay(D("2028-02-29")));
        Assert.Equal("Leap saint", calendar.GetHolidayName(D("2028-02-29")));
        Assert.True(calendar.IsBusinessDay(D("2027-02-26")));
        Assert.Null(calendar.GetHolidayName(D("2027-02-28")));
        Assert.DoesNotContain("Leap saint", calendar.GetHolidays(2027).Values);
    }

    [Fact]
    public void Company_closures_and_closure_periods_are_honoured()
    {
        var calendar = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            CompanyClosures = new HashSet<LocalDate> { D("2026-12-24"), D("2026-12-25") },
            ClosurePeriods = new List<DateInterval> { new(D("2026-08-10"), D("2026-08-21")) },
        });

        Assert.False(calendar.IsBusinessDay(D("2026-12-24")));
        Assert.Equal(ItalianBusinessCalendar.CompanyClosureName, calendar.GetHolidayName(D("2026-12-24")));
        Assert.Equal("Natale (Christmas Day)", calendar.GetHolidayName(D("2026-12-25")));

        // August shutdown: Monday 10 to Friday 21; Ferragosto keeps its own name.
        for (var day = D("2026-08-10"); day <= D("2026-08-21"); day = day.PlusDays(1))
        {
            Assert.False(calendar.IsBusinessDay(day));
        }

        Assert.Equal(ItalianBusinessCalendar.CompanyClosureName, calendar.GetHolidayName(D("2026-08-10")));
        Assert.Contains("Ferragosto", calendar.GetHolidayName(D("2026-08-15")), StringComparison.Ordinal);
        Assert.Equal(ItalianBusinessCalendar.CompanyClosureName, calendar.GetHolidayName(D("2026-08-16")));
        Assert.True(calendar.IsBusinessDay(D("2026-08-07")));
        Assert.True(calendar.IsBusinessDay(D("2026-08-24")));
        Assert.Equal(D("2026-08-24"), calendar.AddBusinessDays(D("2026-08-07"), 1));
        Assert.Equal(D("2026-08-07"), calendar.AddBusinessDays(D("2026-08-24"), -1));
        Assert.Equal(D("2026-08-24"), calendar.NextBusinessDayOnOrAfter(D("2026-08-12")));
        Assert.True(Default.IsBusinessDay(D("2026-08-12")));
    }

    [Fact]
    public void Closure_period_across_new_year_covers_both_years()
    {
        var calendar = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            ClosurePeriods = new List<DateInterval> { new(D("2026-12-28"), D("2027-01-08")) },
        });

        Assert.Equal(D("2027-01-11"), calendar.NextBusinessDayOnOrAfter(D("2026-12-28")));
        Assert.Equal(ItalianBusinessCalendar.CompanyClosureName, calendar.GetHolidayName(D("2026-12-31")));
        Assert.Equal("Capodanno (New Year's Day)", calendar.GetHolidayName(D("2027-01-01")));
        Assert.Equal(ItalianBusinessCalendar.CompanyClosureName, calendar.GetHolidayName(D("2027-01-07")));
        Assert.Null(calendar.GetHolidayName(D("2027-01-11")));
    }

    [Fact]
    public void Weekend_days_are_configurable_and_holidays_still_apply()
    {
        var calendar = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            WeekendDays = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Sunday },
        });

        Assert.True(calendar.IsBusinessDay(D("2026-03-07"))); // Saturday works.
        Assert.False(calendar.IsBusinessDay(D("2026-03-08"))); // Sunday does not.
        Assert.False(calendar.IsBusinessDay(D("2026-04-25"))); // Saturday, but Liberation Day.
        Assert.Equal(D("2026-03-07"), calendar.AddBusinessDays(D("2026-03-06"), 1));

        var noWeekend = new ItalianBusinessCalendar(new ItalianCalendarOptions { WeekendDays = new HashSet<IsoDayOfWeek>() });
        Assert.True(noWeekend.IsBusinessDay(D("2026-03-08")));
        Assert.False(noWeekend.IsBusinessDay(D("2026-04-05"))); // Easter Sunday is still a holiday.
    }

    [Fact]
    public void The_calendar_takes_a_snapshot_of_its_options()
    {
        var options = new ItalianCalendarOptions();
        var calendar = new ItalianBusinessCalendar(options);
        options.CompanyClosures.Add(D("2026-03-10"));
        options.WeekendDays.Add(IsoDayOfWeek.Monday);
        options.PatronSaintDay = new AnnualDate(3, 11);

        Assert.True(calendar.IsBusinessDay(D("2026-03-09")));
        Assert.True(calendar.IsBusinessDay(D("2026-03-10")));
        Assert.True(calendar.IsBusinessDay(D("2026-03-11")));
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => new ItalianBusinessCalendar(null!));
        Assert.Throws<ArgumentException>(() => new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            WeekendDays = new HashSet<IsoDayOfWeek>(Enumerable.Range(1, 7).Select(static d => (IsoDayOfWeek)d)),
        }));
        Assert.Throws<ArgumentException>(() => new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            WeekendDays = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.None },
        }));
        Assert.Throws<ArgumentException>(() => new ItalianBusinessCalendar(new ItalianCalendarOptions { WeekendDays = null! }));
        Assert.Throws<ArgumentException>(() => new ItalianBusinessCalendar(new ItalianCalendarOptions { CompanyClosures = null! }));
        Assert.Throws<ArgumentException>(() => new ItalianBusinessCalendar(new ItalianCalendarOptions { ClosurePeriods = null! }));
        Assert.Throws<ArgumentException>(() => new ItalianBusinessCalendar(new ItalianCalendarOptions { ClosurePeriods = new List<DateInterval> { null! } }));
    }

    // ---------------------------------------------------------------- Guards

    [Theory]
    [InlineData(100_001)]
    [InlineData(-100_001)]
    [InlineData(int.MaxValue)]
    [InlineData(int.MinValue)]
    public void AddBusinessDays_rejects_huge_moves(int days)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Default.AddBusinessDays(D("2026-01-01"), days));
        Assert.Equal("days", ex.ParamName);
    }

    [Fact]
    public void AddBusinessDays_accepts_the_largest_allowed_move()
    {
        var start = D("2026-01-01");
        var forward = Default.AddBusinessDays(start, ItalianBusinessCalendar.MaxBusinessDaysMove);
        var backward = Default.AddBusinessDays(start, -ItalianBusinessCalendar.MaxBusinessDaysMove);
        Assert.True(Default.IsBusinessDay(forward));
        Assert.True(Default.IsBusinessDay(backward));

        // About 250 working days a year: 100,000 of them span roughly four centuries.
        Assert.InRange(forward.Year, 2026 + 380, 2026 + 420);
        Assert.InRange(backward.Year, 2026 - 420, 2026 - 380);
    }

    [Fact]
    public void A_calendar_without_working_days_throws_instead_of_looping()
    {
        var closed = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            ClosurePeriods = new List<DateInterval> { new(D("2026-01-01"), D("2028-12-31")) },
        });

        var ex = Assert.Throws<InvalidOperationException>(() => closed.NextBusinessDayOnOrAfter(D("2026-03-02")));
        Assert.Contains("no working day", ex.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => closed.AddBusinessDays(D("2026-03-02"), 1));
        Assert.Throws<InvalidOperationException>(() => closed.AddBusinessDays(D("2028-10-02"), -1));

        // Closed for most of a year is still fine.
        var longShutdown = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            ClosurePeriods = new List<DateInterval> { new(D("2026-01-01"), D("2026-11-30")) },
        });
        Assert.Equal(D("2026-12-01"), longShutdown.NextBusinessDayOnOrAfter(D("2026-01-01")));
        Assert.Equal(D("2025-12-31"), longShutdown.AddBusinessDays(D("2026-12-01"), -1));
    }

    [Fact]
    public void Moving_past_the_end_of_the_LocalDate_range_throws_ArgumentOutOfRange()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.AddBusinessDays(LocalDate.MaxIsoValue, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => Default.AddBusinessDays(LocalDate.MinIsoValue, -1));
        var closedAtTheEnd = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            ClosurePeriods = new List<DateInterval> { new(D("9999-12-20"), LocalDate.MaxIsoValue) },
        });
        Assert.Throws<ArgumentOutOfRangeException>(() => closedAtTheEnd.NextBusinessDayOnOrAfter(D("9999-12-20")));
        Assert.Equal(D("9999-12-17"), closedAtTheEnd.AddBusinessDays(LocalDate.MaxIsoValue, -1));
        Assert.Equal(LocalDate.MaxIsoValue, Default.NextBusinessDayOnOrAfter(LocalDate.MaxIsoValue)); // a Friday
    }

    [Fact]
    public void Zero_days_returns_the_date_unchanged_even_on_a_holiday()
    {
        Assert.Equal(D("2026-12-25"), Default.AddBusinessDays(D("2026-12-25"), 0));
        Assert.Equal(D("2026-03-08"), Default.AddBusinessDays(D("2026-03-08"), 0));
    }

    [Fact]
    public void Dates_in_other_calendar_systems_are_judged_in_ISO_and_returned_in_their_own_system()
    {
        var julianChristmasEve = D("2026-12-24").WithCalendar(CalendarSystem.Julian);
        var next = Default.AddBusinessDays(julianChristmasEve, 1);
        Assert.Equal(CalendarSystem.Julian, next.Calendar);
        Assert.Equal(D("2026-12-28"), next.WithCalendar(CalendarSystem.Iso));
        Assert.Contains("Natale", Default.GetHolidayName(D("2026-12-25").WithCalendar(CalendarSystem.Julian)), StringComparison.Ordinal);
        Assert.False(Default.IsBusinessDay(D("2026-12-25").WithCalendar(CalendarSystem.Gregorian)));

        var closures = new ItalianBusinessCalendar(new ItalianCalendarOptions
        {
            CompanyClosures = new HashSet<LocalDate> { D("2026-03-10").WithCalendar(CalendarSystem.Julian) },
        });
        Assert.False(closures.IsBusinessDay(D("2026-03-10")));
    }

    [Fact]
    public void Concurrent_use_gives_the_same_answers_as_sequential_use()
    {
        var shared = new ItalianBusinessCalendar(new ItalianCalendarOptions { PatronSaintDay = new AnnualDate(6, 29) });
        var start = D("1990-01-01");
        var results = new bool[40_000];
        Parallel.For(0, results.Length, i => results[i] = shared.IsBusinessDay(start.PlusDays(i)));

        var reference = new ItalianBusinessCalendar(new ItalianCalendarOptions { PatronSaintDay = new AnnualDate(6, 29) });
        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal(reference.IsBusinessDay(start.PlusDays(i)), results[i]);
        }
    }

    [Fact]
    public void The_round_trip_lands_on_the_previous_business_day_not_the_next_one()
    {
        // Why the round-trip property below is stated with PreviousOnOrBefore: from a non-working day,
        // n forward then n back lands on the working day before it, not on NextBusinessDayOnOrAfter.
        var saturday = D("2026-01-03");
        Assert.Equal(D("2026-01-05"), Default.AddBusinessDays(saturday, 1));
        Assert.Equal(D("2026-01-02"), Default.AddBusinessDays(Default.AddBusinessDays(saturday, 1), -1));
        Assert.Equal(D("2026-01-05"), Default.NextBusinessDayOnOrAfter(saturday));
    }

    // ---------------------------------------------------------------- Properties

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 200)]
    public Property AddBusinessDays_forward_is_a_later_business_day_and_skips_exactly_n_of_them(
        CalendarCase calendarCase, LocalDate date, BusinessDayCount count)
    {
        var calendar = calendarCase.Calendar;
        var result = calendar.AddBusinessDays(date, count.Value);
        return calendar.IsBusinessDay(result).Label($"{result} is a business day")
            .And((result > date).Label($"{result} is after {date}"))
            .And((CountBusinessDays(calendar, date, result) == count.Value).Label("exactly n business days in (date, result]"));
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 200)]
    public Property AddBusinessDays_backward_is_an_earlier_business_day_and_skips_exactly_n_of_them(
        CalendarCase calendarCase, LocalDate date, BusinessDayCount count)
    {
        var calendar = calendarCase.Calendar;
        var result = calendar.AddBusinessDays(date, -count.Value);
        return calendar.IsBusinessDay(result).Label($"{result} is a business day")
            .And((result < date).Label($"{result} is before {date}"))
            .And((CountBusinessDays(calendar, result.PlusDays(-1), date.PlusDays(-1)) == count.Value)
                .Label("exactly n business days in [result, date)"));
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 200)]
    public Property AddBusinessDays_is_strictly_monotonic_in_n(CalendarCase calendarCase, LocalDate date, BusinessDayCount a, BusinessDayCount b)
    {
        var calendar = calendarCase.Calendar;
        var (n, m) = a.Value <= b.Value ? (a.Value, b.Value) : (b.Value, a.Value);
        var rn = calendar.AddBusinessDays(date, n);
        var rm = calendar.AddBusinessDays(date, m);
        var backN = calendar.AddBusinessDays(date, -n);
        var backM = calendar.AddBusinessDays(date, -m);
        return (n == m ? rn == rm : rn < rm).Label($"forward: {n} -> {rn}, {m} -> {rm}")
            .And((n == m ? backN == backM : backN > backM).Label($"backward: -{n} -> {backN}, -{m} -> {backM}"))
            .And((calendar.AddBusinessDays(rn, m - n) == rm).Label("moves compose"));
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 200)]
    public Property Forward_then_back_returns_to_the_last_business_day_on_or_before_the_start(
        CalendarCase calendarCase, LocalDate date, BusinessDayCount count)
    {
        var calendar = calendarCase.Calendar;
        var roundTrip = calendar.AddBusinessDays(calendar.AddBusinessDays(date, count.Value), -count.Value);
        var expected = PreviousBusinessDayOnOrBefore(calendar, date);
        return (roundTrip == expected).Label($"round trip {roundTrip}, expected {expected}")
            .And((!calendar.IsBusinessDay(date) || roundTrip == date).Label("a business day comes back to itself"));
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 200)]
    public Property Back_then_forward_returns_to_NextBusinessDayOnOrAfter(CalendarCase calendarCase, LocalDate date, BusinessDayCount count)
    {
        var calendar = calendarCase.Calendar;
        var roundTrip = calendar.AddBusinessDays(calendar.AddBusinessDays(date, -count.Value), count.Value);
        return (roundTrip == calendar.NextBusinessDayOnOrAfter(date)).Label($"round trip {roundTrip}");
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 300)]
    public Property NextBusinessDayOnOrAfter_is_the_first_business_day_from_date_and_is_idempotent(CalendarCase calendarCase, LocalDate date)
    {
        var calendar = calendarCase.Calendar;
        var next = calendar.NextBusinessDayOnOrAfter(date);
        var skippedAreNonWorking = true;
        for (var day = date; day < next; day = day.PlusDays(1))
        {
            skippedAreNonWorking &= !calendar.IsBusinessDay(day);
        }

        return calendar.IsBusinessDay(next).Label($"{next} is a business day")
            .And((next >= date).Label("not before date"))
            .And(skippedAreNonWorking.Label("no business day skipped"))
            .And((calendar.NextBusinessDayOnOrAfter(next) == next).Label("idempotent"))
            .And((calendar.IsBusinessDay(date) == (next == date)).Label("a business day is its own next"));
    }

    [Property(Arbitrary = new[] { typeof(CalendarArbitraries) }, MaxTest = 500)]
    public Property IsBusinessDay_agrees_with_weekend_and_holiday_name(CalendarCase calendarCase, LocalDate date)
    {
        var calendar = calendarCase.Calendar;
        var isWeekend = calendarCase.WeekendDays.Contains(date.DayOfWeek);
        var name = calendar.GetHolidayName(date);
        return (calendar.IsBusinessDay(date) == (!isWeekend && name is null)).Label($"{date}: weekend={isWeekend}, name={name}")
            .And(((name is null) == !calendar.GetHolidays(date.Year).ContainsKey(date)).Label("GetHolidays agrees with GetHolidayName"))
            .And((calendar.AddBusinessDays(date, 0) == date).Label("zero moves nowhere"));
    }

    // ---------------------------------------------------------------- Helpers

    /// <summary>Counts business days in the half-open interval (from, to].</summary>
    private static int CountBusinessDays(ItalianBusinessCalendar calendar, LocalDate from, LocalDate to)
    {
        var count = 0;
        for (var day = from.PlusDays(1); day <= to; day = day.PlusDays(1))
        {
            if (calendar.IsBusinessDay(day))
            {
                count++;
            }
        }

        return count;
    }

    private static LocalDate PreviousBusinessDayOnOrBefore(ItalianBusinessCalendar calendar, LocalDate date)
    {
        var day = date;
        while (!calendar.IsBusinessDay(day))
        {
            day = day.PlusDays(-1);
        }

        return day;
    }

    /// <summary>Gauss's Easter algorithm (Gregorian), an independent check of the Meeus/Jones/Butcher computus.</summary>
    private static LocalDate GaussEaster(int year)
    {
        var a = year % 19;
        var b = year % 4;
        var c = year % 7;
        var k = year / 100;
        var p = ((13 + (8 * k)) / 25);
        var q = k / 4;
        var m = (15 - p + k - q) % 30;
        var n = (4 + k - q) % 7;
        var d = ((19 * a) + m) % 30;
        var e = ((2 * b) + (4 * c) + (6 * d) + n) % 7;
        if (d == 29 && e == 6)
        {
            return new LocalDate(year, 4, 19);
        }

        if (d == 28 && e == 6 && ((11 * m) + 11) % 30 < 19)
        {
            return new LocalDate(year, 4, 18);
        }

        var marchDay = 22 + d + e;
        return marchDay <= 31 ? new LocalDate(year, 3, marchDay) : new LocalDate(year, 4, marchDay - 31);
    }
}

/// <summary>A year in 1900..2500.</summary>
public readonly record struct ModernYear(int Value);

/// <summary>A number of business days in 1..400.</summary>
public readonly record struct BusinessDayCount(int Value);

/// <summary>A calendar to run a property against; <see cref="ToString"/> keeps counterexamples readable.</summary>
public sealed record CalendarCase(string Name, ItalianBusinessCalendar Calendar, IReadOnlySet<IsoDayOfWeek> WeekendDays)
{
    public override string ToString() => Name;
}

public static class CalendarArbitraries
{
    private static readonly LocalDate Anchor = new(2026, 1, 1);
    private static readonly int EarliestOffset = Period.Between(Anchor, new LocalDate(1900, 1, 1), PeriodUnits.Days).Days;
    private static readonly int LatestOffset = Period.Between(Anchor, new LocalDate(2500, 12, 31), PeriodUnits.Days).Days;

    private static readonly CalendarCase[] Cases =
    [
        new("default (Sat+Sun)", new ItalianBusinessCalendar(new ItalianCalendarOptions()), new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday }),
        new(
            "Milan with closures",
            new ItalianBusinessCalendar(new ItalianCalendarOptions
            {
                PatronSaintDay = new AnnualDate(12, 7),
                PatronSaintName = "Sant'Ambrogio",
                CompanyClosures = new HashSet<LocalDate> { new(2026, 12, 24), new(2026, 12, 31), new(1999, 12, 31) },
                ClosurePeriods = new List<DateInterval>
                {
                    new(new LocalDate(2026, 8, 3), new LocalDate(2026, 8, 28)),
                    new(new LocalDate(2030, 12, 20), new LocalDate(2031, 1, 10)),
                },
            }),
            new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday }),
        new(
            "six-day week (Sun only)",
            new ItalianBusinessCalendar(new ItalianCalendarOptions { WeekendDays = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Sunday } }),
            new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Sunday }),
    ];

    /// <summary>Dates from 1900-01-01 to 2500-12-31 as day offsets from 2026-01-01; shrinks towards 2026-01-01.</summary>
    public static Arbitrary<LocalDate> Dates() =>
        BoundedInt(EarliestOffset, LatestOffset, origin: 0).Convert(offset => Anchor.PlusDays(offset), date => Period.Between(Anchor, date, PeriodUnits.Days).Days);

    public static Arbitrary<ModernYear> Years() =>
        BoundedInt(1900, 2500, origin: 2026).Convert(static y => new ModernYear(y), static y => y.Value);

    public static Arbitrary<BusinessDayCount> Counts() =>
        BoundedInt(1, 400, origin: 1).Convert(static n => new BusinessDayCount(n), static n => n.Value);

    /// <summary>The calendars under test; a counterexample shrinks to the default calendar.</summary>
    public static Arbitrary<CalendarCase> Calendars() => Arb.From(Gen.Elements(Cases), ShrinkToDefault);

    private static IEnumerable<CalendarCase> ShrinkToDefault(CalendarCase calendarCase)
    {
        if (calendarCase != Cases[0])
        {
            yield return Cases[0];
        }
    }

    /// <summary>Integers in [low, high] that shrink towards <paramref name="origin"/> and never leave the range.</summary>
    private static Arbitrary<int> BoundedInt(int low, int high, int origin) =>
        Arb.From(Gen.Choose(low, high), value => ShrinkTowards(value, origin).Where(v => v >= low && v <= high));

    private static IEnumerable<int> ShrinkTowards(int value, int origin)
    {
        if (value == origin)
        {
            yield break;
        }

        yield return origin;
        var halfway = origin + ((value - origin) / 2);
        if (halfway != origin && halfway != value)
        {
            yield return halfway;
        }

        var oneCloser = value > origin ? value - 1 : value + 1;
        if (oneCloser != origin && oneCloser != halfway)
        {
            yield return oneCloser;
        }
    }
}
