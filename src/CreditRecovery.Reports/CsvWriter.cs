using System.Globalization;
using System.Text;

namespace CreditRecovery.Reports;

/// <summary>How CSV is written: separator, number culture, formula guard.</summary>
public sealed record CsvFormat
{
    /// <summary>RFC 4180: comma-separated, invariant numbers (<c>1234.50</c>), CRLF line ends.</summary>
    public static CsvFormat Rfc4180 { get; } = new();

    /// <summary>What Excel expects on an Italian system: semicolon-separated, decimal comma (<c>1234,50</c>), CRLF.</summary>
    public static CsvFormat ItalianExcel { get; } = new() { Separator = ';', Culture = CultureInfo.GetCultureInfo("it-IT") };

    /// <summary>The field separator: <c>,</c> (RFC 4180) or <c>;</c>.</summary>
    public char Separator { get; init; } = ',';

    /// <summary>The culture of numbers. No thousands separators are written.</summary>
    public CultureInfo Culture { get; init; } = CultureInfo.InvariantCulture;

    /// <summary>
    /// Prefixes text cells that start with <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, tab or carriage return with an
    /// apostrophe, so a spreadsheet shows them instead of running them as formulas (CSV injection). Numbers written with
    /// <c>CsvWriter.WriteNumber</c> are never prefixed. On by default.
    /// </summary>
    public bool GuardFormulas { get; init; } = true;
}

/// <summary>
/// Writes CSV records (RFC 4180): fields separated by the format's separator, records ended by CRLF, a field quoted when
/// it contains the separator, a quote, CR or LF, and quotes inside doubled.
/// </summary>
/// <param name="writer">Where to write.</param>
/// <param name="format">The format; default <see cref="CsvFormat.Rfc4180"/>.</param>
public sealed class CsvWriter(TextWriter writer, CsvFormat? format = null)
{
    private readonly TextWriter _writer = writer ?? throw new ArgumentNullException(nameof(writer));
    private bool _fieldWritten;

    /// <summary>The format.</summary>
    public CsvFormat Format { get; } = format ?? CsvFormat.Rfc4180;

    /// <summary>Writes a text field.</summary>
    /// <param name="value">The text; <see langword="null"/> writes an empty field.</param>
    public void WriteField(string? value) => WriteRaw(Escape(value ?? "", guard: Format.GuardFormulas));

    /// <summary>Writes a number in the format's culture, never formula-guarded.</summary>
    /// <param name="value">The number.</param>
    /// <param name="decimals">Fixed decimals, or <see langword="null"/> to keep the value's own scale.</param>
    public void WriteNumber(decimal? value, int? decimals = 2)
    {
        if (value is not { } v)
        {
            WriteRaw("");
            return;
        }

        var text = decimals is { } d ? v.ToString("F" + d.ToString(CultureInfo.InvariantCulture), Format.Culture) : v.ToString(Format.Culture);
        WriteRaw(Escape(text, guard: false));
    }

    /// <summary>Writes a whole number.</summary>
    /// <param name="value">The number.</param>
    public void WriteNumber(long value) => WriteRaw(value.ToString(Format.Culture));

    /// <summary>Writes a record of text fields and ends it.</summary>
    /// <param name="fields">The fields.</param>
    public void WriteRecord(params string?[] fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        foreach (var field in fields)
        {
            WriteField(field);
        }

        EndRecord();
    }

    /// <summary>Ends the current record with CRLF.</summary>
    public void EndRecord()
    {
        _writer.Write("\r\n");
        _fieldWritten = false;
    }

    /// <summary>Flushes the underlying writer.</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    public Task FlushAsync(CancellationToken cancellationToken = default) => _writer.FlushAsync(cancellationToken);

    /// <summary>Escapes one field as RFC 4180 asks (the formula guard applied first when asked).</summary>
    /// <param name="value">The raw text.</param>
    /// <param name="separator">The separator.</param>
    /// <param name="guard">Whether to guard against formulas.</param>
    public static string Escape(string value, char separator, bool guard)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (guard && value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        if (value.IndexOfAny([separator, '"', '\r', '\n']) < 0)
        {
            return value;
        }

        var sb = new StringBuilder(value.Length + 2).Append('"');
        foreach (var ch in value)
        {
            sb.Append(ch == '"' ? "\"\"" : ch.ToString());
        }

        return sb.Append('"').ToString();
    }

    private string Escape(string value, bool guard) => Escape(value, Format.Separator, guard);

    private void WriteRaw(string text)
    {
        if (_fieldWritten)
        {
            _writer.Write(Format.Separator);
        }

        _writer.Write(text);
        _fieldWritten = true;
    }
}
