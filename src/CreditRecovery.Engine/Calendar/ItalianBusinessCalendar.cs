using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;
using CreditRecovery.Ports;
using NodaTime;

namespace CreditRecovery.Calendar;

/// <summary>
/// The Italian business calendar (*calendario lavorativo*): weekends, the national holidays (*festività
/// nazionali*), Easter Monday, San Francesco d'Assisi on 4 October from 2026, an optional patron-saint day and the
/// company's own closures.
/// </summary>
/// <remarks>
/// <para>
/// The national holidays are 1 January (Capodanno), 6 January (Epifania), Easter Sunday (Pasqua), Easter Monday
/// (Lunedì dell'Angelo), 25 April (Festa della Liberazione), 1 May (Festa del Lavoro), 2 June (Festa della
/// Repubblica), 15 August (Ferragosto), 4 October (San Francesco d'Assisi, from 2026 only), 1 November
/// (Ognissanti), 8 December (Immacolata Concezione), 25 December (Natale) and 26 December (Santo Stefano). The
/// list is today's law applied to every year; only the 4 October rule is effective-dated. Holidays are not moved
/// when they fall on a weekend.
/// </para>
/// <para>
/// The calendar is immutable and thread-safe: it copies its options when built and caches each year's holidays.
/// Dates in a calendar system other than ISO are converted to ISO for the rules, and results are returned in the
/// calendar system of the argument.
/// </para>
/// </remarks>
public sealed class ItalianBusinessCalendar : IBusinessCalendar
{
    /// <summary>The name given to <see cref="ItalianCalendarOptions.CompanyClosures"/> and <see cref="ItalianCalendarOptions.ClosurePeriods"/>.</summary>
    public const string CompanyClosureName = "Chiusura aziendale (company closure)";

    /// <summary>The name given to the patron-saint day when <see cref="ItalianCalendarOptions.PatronSaintName"/> is empty.</summary>
    public const string DefaultPatronSaintName = "Santo patrono (patron saint's day)";

    /// <summary>The largest number of working days, forward or backward, that <see cref="AddBusinessDays"/> accepts.</summary>
    public const int MaxBusinessDaysMove = 100_000;

    /// <summary>
    /// A search for a working day gives up, with <see cref="InvalidOperationException"/>, after this many
    /// consecutive non-working days: the options then leave (next to) no working day.
    /// </summary>
    public const int MaxConsecutiveNonWorkingDays = 366;

    private const string NameSeparator = " / ";

    private const int SanFrancescoFirstYear = 2026;

    private static readonly FixedHoliday[] FixedHolidays =
    [
        new(1, 1, "Capodanno (New Year's Day)"),
        new(1, 6, "Epifania (Epiphany)"),
        new(4, 25, "Festa della Liberazione (Liberation Day)"),
        new(5, 1, "Festa del Lavoro (Labour Day)"),
        new(6, 2, "Festa della Repubblica (Republic Day)"),
        new(8, 15, "Ferragosto - Assunzione (Assumption Day)"),
        new(10, 4, "San Francesco d'Assisi, patrono d'Italia (St Francis of Assisi)", FirstYear: SanFrancescoFirstYear),
        new(11, 1, "Ognissanti (All Saints' Day)"),
        new(12, 8, "Immacolata Concezione (Immaculate Conception)"),
        new(12, 25, "Natale (Christmas Day)"),
        new(12, 26, "Santo Stefano (St Stephen's Day)"),
    ];

    private const string EasterSundayName = "Pasqua (Easter Sunday)";
    private const string EasterMondayName = "Lunedì dell'Angelo (Easter Monday)";

    private readonly bool[] _isWeekend = new bool[8];
    private readonly AnnualDate? _patronSaintDay;
    private readonly string _patronSaintName;
    private readonly FrozenSet<LocalDate> _companyClosures;
    private readonly (LocalDate Start, LocalDate End)[] _closurePeriods;
    private readonly ConcurrentDictionary<int, FrozenDictionary<LocalDate, string>> _holidaysByYear = new();

    /// <summary>Creates the calendar from a snapshot of <paramref name="options"/>.</summary>
    /// <param name="options">The weekend, patron-saint day and closures.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">
    /// A collection in <paramref name="options"/> is <see langword="null"/> or holds <see langword="null"/>, or
    /// <see cref="ItalianCalendarOptions.WeekendDays"/> holds <see cref="IsoDayOfWeek.None"/>, an undefined value or
    /// all seven days.
    /// </exception>
    public ItalianBusinessCalendar(ItalianCalendarOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        if (options.WeekendDays is null)
        {
            throw new ArgumentException($"{nameof(ItalianCalendarOptions.WeekendDays)} must not be null.", nameof(options));
        }

        foreach (var day in options.WeekendDays)
        {
            if (day < IsoDayOfWeek.Monday || day > IsoDayOfWeek.Sunday)
            {
                throw new ArgumentException(
                    $"{nameof(ItalianCalendarOptions.WeekendDays)} holds '{day}', which is not a day of the week (Monday to Sunday).",
                    nameof(options));
            }

            _isWeekend[(int)day] = true;
        }

        if (_isWeekend.Count(static w => w) == 7)
        {
            throw new ArgumentException(
                $"{nameof(ItalianCalendarOptions.WeekendDays)} holds all seven days of the week: the calendar would have no working day.",
                nameof(options));
        }

        if (options.CompanyClosures is null)
        {
            throw new ArgumentException($"{nameof(ItalianCalendarOptions.CompanyClosures)} must not be null.", nameof(options));
        }

        if (options.ClosurePeriods is null)
        {
            throw new ArgumentException($"{nameof(ItalianCalendarOptions.ClosurePeriods)} must not be null.", nameof(options));
        }

        _patronSaintDay = options.PatronSaintDay;
        _patronSaintName = string.IsNullOrWhiteSpace(options.PatronSaintName) ? DefaultPatronSaintName : options.PatronSaintName.Trim();
        _companyClosures = options.CompanyClosures.Select(ToIso).ToFrozenSet();
        _closurePeriods = options.ClosurePeriods
            .Select(static period => period is null
                ? throw new ArgumentException($"{nameof(ItalianCalendarOptions.ClosurePeriods)} must not hold null.", nameof(options))
                : (ToIso(period.Start), ToIso(period.End)))
            .ToArray();
    }

    /// <summary>
    /// Returns the date of Easter Sunday in the Gregorian calendar (proleptic before 1583), computed with the
    /// anonymous Gregorian algorithm (Meeus/Jones/Butcher).
    /// </summary>
    /// <param name="year">The ISO year, from <see cref="CalendarSystem.Iso"/>'s minimum to its maximum year (-9998 to 9999).</param>
    /// <returns>Easter Sunday of <paramref name="year"/>, an ISO date between 22 March and 25 April.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="year"/> is outside the range of ISO years.</exception>
    public static LocalDate EasterSunday(int year)
    {
        CheckYear(year);

        // Floored division and modulus keep the algorithm right for year 0 and negative (proleptic) years.
        var a = FloorMod(year, 19);
        var b = FloorDiv(year, 100);
        var c = FloorMod(year, 100);
        var d = FloorDiv(b, 4);
        var e = FloorMod(b, 4);
        var f = FloorDiv(b + 8, 25);
        var g = FloorDiv(b - f + 1, 3);
        var h = FloorMod((19 * a) + b - d - g + 15, 30);
        var i = c / 4;
        var k = c % 4;
        var l = FloorMod(32 + (2 * e) + (2 * i) - h - k, 7);
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new LocalDate(year, month, day);
    }

    /// <summary>
    /// Returns the named non-working days of <paramref name="year"/>: national holidays, the patron-saint day and
    /// company closures, with their names (see <see cref="GetHolidayName"/>). Weekends are not listed.
    /// </summary>
    /// <param name="year">The ISO year.</param>
    /// <returns>The dates (ISO) and names; the dictionary is immutable.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="year"/> is outside the range of ISO years.</exception>
    public IReadOnlyDictionary<LocalDate, string> GetHolidays(int year)
    {
        CheckYear(year);
        return HolidaysOf(year);
    }

    /// <inheritdoc />
    public bool IsBusinessDay(LocalDate date) => IsBusinessDayIso(ToIso(date));

    /// <inheritdoc />
    /// <remarks>
    /// When several holidays fall on the same date (25 April 2011 was both Easter Monday and Liberation Day), their
    /// names are joined with " / ". A company closure is named only when no holiday falls on that date.
    /// </remarks>
    public string? GetHolidayName(LocalDate date)
    {
        var iso = ToIso(date);
        return HolidaysOf(iso.Year).TryGetValue(iso, out var name) ? name : null;
    }

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">No working day comes within <see cref="MaxConsecutiveNonWorkingDays"/> days.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The search would run past the last date <see cref="LocalDate"/> supports.</exception>
    public LocalDate NextBusinessDayOnOrAfter(LocalDate date)
    {
        var current = ToIso(date);
        var streak = 0;
        while (!IsBusinessDayIso(current))
        {
            if (++streak >= MaxConsecutiveNonWorkingDays)
            {
                throw NoWorkingDay(date, current);
            }

            current = Step(current, 1, date);
        }

        return FromIso(current, date.Calendar);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentOutOfRangeException">
    /// The absolute value of <paramref name="days"/> exceeds <see cref="MaxBusinessDaysMove"/>, or the move would leave
    /// the range of dates <see cref="LocalDate"/> supports.
    /// </exception>
    /// <exception cref="InvalidOperationException">The options leave no working day in <see cref="MaxConsecutiveNonWorkingDays"/> consecutive days.</exception>
    public LocalDate AddBusinessDays(LocalDate date, int days)
    {
        if (days is > MaxBusinessDaysMove or < -MaxBusinessDaysMove)
        {
            throw new ArgumentOutOfRangeException(
                nameof(days),
                days,
                string.Create(CultureInfo.InvariantCulture, $"At most {MaxBusinessDaysMove} business days can be added or subtracted at once."));
        }

        if (days == 0)
        {
            return date;
        }

        var step = days > 0 ? 1 : -1;
        var remaining = Math.Abs(days);
        var current = ToIso(date);
        var streak = 0;
        while (remaining > 0)
        {
            current = Step(current, step, date);
            if (IsBusinessDayIso(current))
            {
                remaining--;
                streak = 0;
            }
            else if (++streak >= MaxConsecutiveNonWorkingDays)
            {
                throw NoWorkingDay(date, current);
            }
        }

        return FromIso(current, date.Calendar);
    }

    private bool IsBusinessDayIso(LocalDate iso) =>
        !_isWeekend[(int)iso.DayOfWeek] && !HolidaysOf(iso.Year).ContainsKey(iso);

    private FrozenDictionary<LocalDate, string> HolidaysOf(int year) =>
        _holidaysByYear.GetOrAdd(year, static (y, self) => self.BuildYear(y), this);

    private FrozenDictionary<LocalDate, string> BuildYear(int year)
    {
        var names = new Dictionary<LocalDate, string>();

        void AddName(LocalDate date, string name)
        {
            if (!names.TryGetValue(date, out var existing))
            {
                names[date] = name;
            }
            else if (!existing.Split(NameSeparator).Contains(name, StringComparer.Ordinal))
            {
                names[date] = existing + NameSeparator + name;
            }
        }

        // Easter first, so that a coinciding fixed holiday is named after it (25 April 2011 and 2038).
        var easter = EasterSunday(year);
        AddName(easter, EasterSundayName);
        AddName(easter.PlusDays(1), EasterMondayName);
        foreach (var holiday in FixedHolidays.Where(h => year >= h.FirstYear))
        {
            AddName(new LocalDate(year, holiday.Month, holiday.Day), holiday.Name);
        }

        if (_patronSaintDay is { } patron && patron.IsValidYear(year))
        {
            AddName(patron.InYear(year), _patronSaintName);
        }

        foreach (var closure in _companyClosures.Where(c => c.Year == year))
        {
            names.TryAdd(closure, CompanyClosureName);
        }

        var firstOfYear = new LocalDate(year, 1, 1);
        var lastOfYear = new LocalDate(year, 12, 31);
        foreach (var (start, end) in _closurePeriods)
        {
            var from = start > firstOfYear ? start : firstOfYear;
            var to = end < lastOfYear ? end : lastOfYear;
            for (var day = from; day <= to; day = day.PlusDays(1))
            {
                names.TryAdd(day, CompanyClosureName);
                if (day == lastOfYear)
                {
                    break;
                }
            }
        }

        return names.ToFrozenDictionary();
    }

    private static LocalDate Step(LocalDate current, int step, LocalDate date)
    {
        if ((step > 0 && current == LocalDate.MaxIsoValue) || (step < 0 && current == LocalDate.MinIsoValue))
        {
            throw new ArgumentOutOfRangeException(
                nameof(date),
                date,
                "The business-day search from this date runs past the range of dates that LocalDate supports.");
        }

        return current.PlusDays(step);
    }

    private static InvalidOperationException NoWorkingDay(LocalDate origin, LocalDate reached) =>
        new(string.Create(
            CultureInfo.InvariantCulture,
            $"The business calendar has no working day in {MaxConsecutiveNonWorkingDays} consecutive days (searching from {origin:uuuu-MM-dd} reached {reached:uuuu-MM-dd}). Check {nameof(ItalianCalendarOptions.WeekendDays)}, {nameof(ItalianCalendarOptions.CompanyClosures)} and {nameof(ItalianCalendarOptions.ClosurePeriods)}."));

    private static LocalDate ToIso(LocalDate date) =>
        date.Calendar == CalendarSystem.Iso ? date : date.WithCalendar(CalendarSystem.Iso);

    private static LocalDate FromIso(LocalDate iso, CalendarSystem calendar) =>
        calendar == CalendarSystem.Iso ? iso : iso.WithCalendar(calendar);

    private static void CheckYear(int year)
    {
        if (year < CalendarSystem.Iso.MinYear || year > CalendarSystem.Iso.MaxYear)
        {
            throw new ArgumentOutOfRangeException(
                nameof(year),
                year,
                string.Create(CultureInfo.InvariantCulture, $"The year must be between {CalendarSystem.Iso.MinYear} and {CalendarSystem.Iso.MaxYear}."));
        }
    }

    private static int FloorDiv(int x, int y)
    {
        var quotient = x / y;
        return (x % y != 0 && ((x < 0) != (y < 0))) ? quotient - 1 : quotient;
    }

    private static int FloorMod(int x, int y) => x - (FloorDiv(x, y) * y);

    private readonly record struct FixedHoliday(int Month, int Day, string Name, int FirstYear = int.MinValue);
}
