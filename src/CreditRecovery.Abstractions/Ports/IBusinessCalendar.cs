using NodaTime;

namespace CreditRecovery.Ports;

/// <summary>
/// A company's business calendar (*calendario lavorativo*): which dates are working days. Step timings
/// expressed in business days, and the rule that automatic messages go out on working days only, use it.
/// </summary>
/// <remarks>
/// The engine ships <c>ItalianBusinessCalendar</c> (national holidays, Easter Monday, 4 October from 2026,
/// a configurable patron-saint day and company closures). Implementations must be thread-safe and pure:
/// the same date always gives the same answer.
/// </remarks>
public interface IBusinessCalendar
{
    /// <summary>Returns <see langword="true"/> when <paramref name="date"/> is a working day.</summary>
    /// <param name="date">The date to check.</param>
    bool IsBusinessDay(LocalDate date);

    /// <summary>Returns the name of the holiday or closure on <paramref name="date"/>, or <see langword="null"/> when there is none (weekends have no name).</summary>
    /// <param name="date">The date to check.</param>
    string? GetHolidayName(LocalDate date);

    /// <summary>Returns <paramref name="date"/> itself when it is a working day, otherwise the first working day after it.</summary>
    /// <param name="date">The date to start from.</param>
    LocalDate NextBusinessDayOnOrAfter(LocalDate date);

    /// <summary>
    /// Moves <paramref name="days"/> working days from <paramref name="date"/>: forward when positive, backward when
    /// negative. With zero, returns <paramref name="date"/> unchanged even if it is not a working day. The result of a
    /// non-zero move is always a working day.
    /// </summary>
    /// <param name="date">The date to start from (it is not counted).</param>
    /// <param name="days">The number of working days to move.</param>
    LocalDate AddBusinessDays(LocalDate date, int days);
}
