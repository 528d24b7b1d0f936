using System.Globalization;
using NodaTime;

namespace CreditRecovery.Interest;

/// <summary>
/// The late-payment rate table has no ECB reference rate for a half-year the calculation needs (a half-year after the
/// last known row, whose MEF notice is not in the table yet, or one before the first row). The SDK never assumes a zero
/// rate: add the row with <see cref="LatePaymentRateTable.WithRows"/>, or opt in to
/// <see cref="LatePaymentInterestOptions.UseLastKnownRate"/>.
/// </summary>
public sealed class MissingRateException : CreditRecoveryException
{
    /// <summary>Creates the exception.</summary>
    public MissingRateException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public MissingRateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public MissingRateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a half-year the table does not cover.</summary>
    /// <param name="halfYearStart">The first day of the missing half-year (1 January or 1 July).</param>
    /// <param name="firstKnownHalfYearStart">The first day of the first half-year in the table.</param>
    /// <param name="lastKnownHalfYearStart">The first day of the last half-year in the table.</param>
    public MissingRateException(LocalDate halfYearStart, LocalDate firstKnownHalfYearStart, LocalDate lastKnownHalfYearStart)
        : base(BuildMessage(halfYearStart, firstKnownHalfYearStart, lastKnownHalfYearStart))
    {
        HalfYearStart = halfYearStart;
        FirstKnownHalfYearStart = firstKnownHalfYearStart;
        LastKnownHalfYearStart = lastKnownHalfYearStart;
    }

    /// <summary>The first day of the half-year whose rate is missing.</summary>
    public LocalDate? HalfYearStart { get; }

    /// <summary>The first day of the first half-year the table covers.</summary>
    public LocalDate? FirstKnownHalfYearStart { get; }

    /// <summary>The first day of the last half-year the table covers.</summary>
    public LocalDate? LastKnownHalfYearStart { get; }

    private static string BuildMessage(LocalDate missing, LocalDate first, LocalDate last)
    {
        var label = HalfYearRate.LabelOf(missing);
        if (missing < first)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"No ECB reference rate for the half-year {label} (starting {missing:uuuu-MM-dd}): the late-payment rate table starts with {HalfYearRate.LabelOf(first)}. Supply the older rows with LatePaymentRateTable.WithRows(...), or use a contractual rate.");
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"No ECB reference rate for the half-year {label} (starting {missing:uuuu-MM-dd}): the late-payment rate table ends with {HalfYearRate.LabelOf(last)}. Add the row from the MEF notice in the Gazzetta Ufficiale with LatePaymentRateTable.WithRows(...), or set LatePaymentInterestOptions.UseLastKnownRate = true to apply the last known rate explicitly.");
    }
}
