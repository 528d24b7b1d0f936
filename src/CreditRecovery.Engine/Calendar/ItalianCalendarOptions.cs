using NodaTime;

namespace CreditRecovery.Calendar;

/// <summary>
/// Settings for <see cref="ItalianBusinessCalendar"/>: which weekdays are the weekend, the local patron-saint day
/// (*santo patrono*) and the company's own closures (*chiusure aziendali*).
/// </summary>
/// <remarks>
/// The calendar takes a snapshot of these settings when it is built: changing the options afterwards does not
/// change a calendar that already exists. Dates in any calendar system are accepted and converted to ISO.
/// </remarks>
public sealed class ItalianCalendarOptions
{
    /// <summary>
    /// The weekdays that are never working days. Defaults to Saturday and Sunday. It must not contain
    /// <see cref="IsoDayOfWeek.None"/> nor all seven days.
    /// </summary>
    public ISet<IsoDayOfWeek> WeekendDays { get; set; } = new HashSet<IsoDayOfWeek> { IsoDayOfWeek.Saturday, IsoDayOfWeek.Sunday };

    /// <summary>
    /// The local patron-saint day, a holiday in the company's town (for example 29 June, <i>Santi Pietro e Paolo</i>,
    /// in Rome, or 7 December, <i>Sant'Ambrogio</i>, in Milan), or <see langword="null"/> for none. A 29 February
    /// patron day is a holiday in leap years only.
    /// </summary>
    public AnnualDate? PatronSaintDay { get; set; }

    /// <summary>
    /// The name given to <see cref="PatronSaintDay"/> (for example "Sant'Ambrogio"). When empty, the calendar uses
    /// <see cref="ItalianBusinessCalendar.DefaultPatronSaintName"/>.
    /// </summary>
    public string PatronSaintName { get; set; } = ItalianBusinessCalendar.DefaultPatronSaintName;

    /// <summary>
    /// Single dates on which the company is closed (for example the day between a holiday and a weekend). Their
    /// name is <see cref="ItalianBusinessCalendar.CompanyClosureName"/>.
    /// </summary>
    public ISet<LocalDate> CompanyClosures { get; set; } = new HashSet<LocalDate>();

    /// <summary>
    /// Periods, both ends included, during which the company is closed (for example the August shutdown). Their
    /// name is <see cref="ItalianBusinessCalendar.CompanyClosureName"/>.
    /// </summary>
    public IList<DateInterval> ClosurePeriods { get; set; } = new List<DateInterval>();
}
