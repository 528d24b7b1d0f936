using System.Globalization;
using NodaTime;

namespace CreditRecovery.Adapters.Mago;

/// <summary>A value that could not be read: the column and the value as read.</summary>
internal sealed class MagoValueException(string column, string? value, string reason) : Exception(reason)
{
    public string Column { get; } = column;

    public string? Value { get; } = value;
}

/// <summary>Reads Mago's column values as the providers return them (SQL Server, PostgreSQL, SQLite), by Mago's conventions.</summary>
internal static class MagoValues
{
    /// <summary>Mago's "empty date" is 1799-12-31 (<c>'17991231'</c>).</summary>
    public static readonly DateTime EmptyDate = new(1799, 12, 31, 0, 0, 0, DateTimeKind.Unspecified);

    private static readonly string[] DateFormats =
    [
        "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss.FFFFFFF", "yyyy-MM-dd", "yyyyMMdd", "yyyyMMdd HH:mm:ss.FFFFFFF",
    ];

    public static string Text(object? value) => value switch
    {
        null or DBNull => "NULL",
        DateTime d => d.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>A trimmed string (Mago pads <c>char</c> columns); <see langword="null"/> when NULL or blank.</summary>
    public static string? String(object? value) =>
        value is null or DBNull ? null : Convert.ToString(value, CultureInfo.InvariantCulture)?.Trim() is { Length: > 0 } s ? s : null;

    public static int? Int(object? value, string column)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        try
        {
            return Convert.ToInt32(value, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new MagoValueException(column, Text(value), "not an integer");
        }
    }

    /// <summary>An amount: Mago stores <c>float</c>, rounded here to <paramref name="decimals"/>.</summary>
    public static decimal? Amount(object? value, string column, int decimals)
    {
        if (value is null or DBNull)
        {
            return null;
        }

        try
        {
            var d = value is decimal m ? m : (decimal)Convert.ToDouble(value, CultureInfo.InvariantCulture);
            return Math.Round(d, decimals, MidpointRounding.AwayFromZero);
        }
        catch (Exception ex) when (ex is FormatException or InvalidCastException or OverflowException)
        {
            throw new MagoValueException(column, Text(value), "not a number");
        }
    }

    /// <summary>A <c>char(1)</c> flag: <c>'1'</c> is true, <c>'0'</c>, blank or NULL false; anything else is an error.</summary>
    public static bool Flag(object? value, string column) => String(value) switch
    {
        null or "0" => false,
        "1" => true,
        var other => throw new MagoValueException(column, other, "not a Mago flag ('0' or '1')"),
    };

    /// <summary>A <c>datetime</c> as read; NULL stays <see langword="null"/>.</summary>
    public static DateTime? DateTimeValue(object? value, string column)
    {
        switch (value)
        {
            case null or DBNull:
                return null;
            case DateTime d:
                return DateTime.SpecifyKind(d, DateTimeKind.Unspecified);
            case DateTimeOffset o:
                return o.DateTime;
            case string s when DateTime.TryParseExact(s.Trim(), DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed):
                return parsed;
            default:
                throw new MagoValueException(column, Text(value), "not a date");
        }
    }

    /// <summary>A date; Mago's empty date (17991231, or anything before 1800) and NULL are <see langword="null"/>.</summary>
    public static LocalDate? Date(object? value, string column) =>
        DateTimeValue(value, column) is { } d && d.Date > EmptyDate ? LocalDate.FromDateTime(d) : null;
}
