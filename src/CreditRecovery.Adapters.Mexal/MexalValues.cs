using System.Globalization;
using System.Text.Json;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Adapters.Mexal;

/// <summary>A field of a Mexal record that cannot be read: its name (with the array index), its value as read, and why.</summary>
internal sealed class MexalFieldException(string field, string? value, string reason) : Exception(reason)
{
    public string Field { get; } = field;

    public string? Value { get; } = value;
}

/// <summary>Reading Mexal's JSON values: dates <c>AAAAMMGG</c>, timestamps <c>AAAAMMGG HHMMSS</c>, arrays as <c>[[index, value], …]</c>.</summary>
internal static class MexalValues
{
    private static readonly LocalDatePattern DatePattern = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");
    private static readonly LocalDateTimePattern TimestampPattern = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd HHmmss");

    public static string FormatDate(LocalDate date) => DatePattern.Format(date);

    public static string FormatTimestamp(LocalDateTime timestamp) => TimestampPattern.Format(timestamp);

    public static LocalDateTime? ParseTimestamp(string? text) =>
        text is { Length: > 0 } && TimestampPattern.Parse(text) is { Success: true } r ? r.Value : null;

    /// <summary>A string field; numbers are read as their text. Missing, null or blank is <see langword="null"/>.</summary>
    public static string? String(JsonElement record, string field) =>
        record.TryGetProperty(field, out var v) ? Text(v, field) : null;

    /// <summary>A text value (an array element); numbers are read as their text.</summary>
    public static string? Text(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null,
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        _ => throw new MexalFieldException(field, value.GetRawText(), "expected a text value"),
    };

    /// <summary>An integer field; a numeric string is accepted. Missing or blank is <see langword="null"/>.</summary>
    public static long? Integer(JsonElement record, string field)
    {
        if (!record.TryGetProperty(field, out var v) || v.ValueKind is JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n))
        {
            return n;
        }

        if (v.ValueKind == JsonValueKind.String)
        {
            var s = v.GetString();
            if (string.IsNullOrWhiteSpace(s))
            {
                return null;
            }

            if (long.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out n))
            {
                return n;
            }
        }

        throw new MexalFieldException(field, v.GetRawText(), "expected an integer");
    }

    /// <summary>A decimal (a JSON number, with the point).</summary>
    public static decimal Decimal(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetDecimal(out var d)
            ? d
            : throw new MexalFieldException(field, value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText(), "expected a number (decimals with the point)");

    /// <summary>A date <c>AAAAMMGG</c>; blank or <c>00000000</c> is <see langword="null"/>.</summary>
    public static LocalDate? Date(string? text, string field)
    {
        if (text is null || text.Length == 0 || text == "00000000")
        {
            return null;
        }

        var result = DatePattern.Parse(text);
        return result.Success ? result.Value : throw new MexalFieldException(field, text, "not a date AAAAMMGG");
    }

    public static LocalDate? Date(JsonElement record, string field) => Date(String(record, field), field);

    /// <summary>
    /// An array field as its <c>[[index, value], …]</c> pairs, by index. Missing or null is empty; anything else than a list of
    /// pairs with an integer index from 1 is an error naming the field.
    /// </summary>
    public static SortedDictionary<int, JsonElement> Pairs(JsonElement record, string field)
    {
        var result = new SortedDictionary<int, JsonElement>();
        if (!record.TryGetProperty(field, out var array) || array.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (array.ValueKind != JsonValueKind.Array)
        {
            throw new MexalFieldException(field, array.GetRawText(), "expected an array of [index, value] pairs");
        }

        foreach (var pair in array.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2 || !pair[0].TryGetInt32(out var index) || index < 1)
            {
                throw new MexalFieldException(field, pair.GetRawText(), "expected an [index, value] pair with an index from 1");
            }

            if (!result.TryAdd(index, pair[1]))
            {
                throw new MexalFieldException($"{field}[{index}]", pair.GetRawText(), "the index appears twice");
            }
        }

        return result;
    }

    /// <summary>Escapes a code for use inside an installment key (<c>/</c> separates the key's parts).</summary>
    public static string KeyPart(string code) => code.Replace("%", "%25", StringComparison.Ordinal).Replace("/", "%2F", StringComparison.Ordinal);
}
