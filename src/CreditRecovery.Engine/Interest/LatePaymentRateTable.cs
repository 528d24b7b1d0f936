using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Interest;

/// <summary>
/// The half-year table of ECB reference rates behind the statutory late-payment interest of D.Lgs. 231/2002
/// (*interessi legali di mora*), and the rate of each half-year computed from it.
/// </summary>
/// <remarks>
/// <para>
/// The table ships as data: the embedded resource <c>ecb-reference-rates.csv</c> (see <see cref="Default"/>), one row per
/// half-year from 2013 H1 to the latest half-year whose MEF notice is known, each with its source. Integrators add newer
/// half-years (or correct a row) with <see cref="WithRows"/>, or build a whole table with the constructor or
/// <see cref="Parse"/>.
/// </para>
/// <para>
/// The rate of a half-year is the ECB main refinancing rate in force on 1 January / 1 July (art. 5(2)) plus
/// <see cref="StatutoryMarginPoints"/> (8 points; <see cref="PreReformMarginPoints"/>, 7 points, for contracts concluded
/// before <see cref="ReformDate"/>) plus an optional extra margin (perishable agri-food products). A half-year after the
/// last row throws <see cref="MissingRateException"/> unless the caller explicitly asks for the last known rate; the
/// table never yields a silent zero. The rows must be consecutive half-years with no gaps.
/// </para>
/// <para>The table is immutable and thread-safe.</para>
/// </remarks>
public sealed class LatePaymentRateTable
{
    /// <summary>The margin over the ECB rate for transactions concluded from 1 January 2013 (D.Lgs. 192/2012).</summary>
    public const decimal StatutoryMarginPoints = 8m;

    /// <summary>The margin over the ECB rate for transactions concluded before 1 January 2013.</summary>
    public const decimal PreReformMarginPoints = 7m;

    /// <summary>The logical name of the embedded CSV resource that <see cref="Default"/> loads.</summary>
    public const string ResourceName = "CreditRecovery.Interest.ecb-reference-rates.csv";

    /// <summary>The header line of the CSV format read by <see cref="Parse"/>.</summary>
    public const string CsvHeader = "half_year_start,ecb_rate_percent,source";

    private static readonly Lazy<LatePaymentRateTable> DefaultTable = new(LoadEmbedded, LazyThreadSafetyMode.ExecutionAndPublication);

    private readonly Dictionary<LocalDate, EcbReferenceRate> _byStart;

    /// <summary>Creates a table from its rows.</summary>
    /// <param name="rows">
    /// One row per half-year, in any order; together they must be consecutive half-years (no gap, no duplicate), each
    /// starting on 1 January or 1 July (ISO calendar) and with a non-empty source.
    /// </param>
    /// <exception cref="ArgumentException">The rows are empty, have a gap or a duplicate, or a row is invalid.</exception>
    public LatePaymentRateTable(IEnumerable<EcbReferenceRate> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var sorted = rows.OrderBy(r => r?.HalfYearStart ?? default).ToList();
        if (sorted.Count == 0)
        {
            throw new ArgumentException("The late-payment rate table needs at least one row.", nameof(rows));
        }

        for (var i = 0; i < sorted.Count; i++)
        {
            var row = sorted[i] ?? throw new ArgumentException("A row of the late-payment rate table is null.", nameof(rows));
            if (row.HalfYearStart.Calendar != CalendarSystem.Iso || row.HalfYearStart.Day != 1 || (row.HalfYearStart.Month != 1 && row.HalfYearStart.Month != 7))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Row {row.HalfYearStart:uuuu-MM-dd}: a half-year starts on 1 January or 1 July (ISO calendar)."),
                    nameof(rows));
            }

            if (string.IsNullOrWhiteSpace(row.Source))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Row {row.Label}: the source is required (the MEF notice, or 'derived: ECB rate from <date>')."),
                    nameof(rows));
            }

            if (i > 0 && sorted[i - 1].HalfYearStart.PlusMonths(6) != row.HalfYearStart)
            {
                var problem = sorted[i - 1].HalfYearStart == row.HalfYearStart ? "appears twice" : $"follows {sorted[i - 1].Label}: the half-years in between are missing";
                throw new ArgumentException($"Row {row.Label} {problem}.", nameof(rows));
            }
        }

        Rows = sorted.AsReadOnly();
        _byStart = sorted.ToDictionary(r => r.HalfYearStart);
    }

    /// <summary>The table shipped with the SDK (the embedded <c>ecb-reference-rates.csv</c>), loaded once.</summary>
    public static LatePaymentRateTable Default => DefaultTable.Value;

    /// <summary>The date from which <see cref="StatutoryMarginPoints"/> applies to new contracts: 1 January 2013.</summary>
    public static LocalDate ReformDate { get; } = new(2013, 1, 1);

    /// <summary>The rows, oldest first.</summary>
    public IReadOnlyList<EcbReferenceRate> Rows { get; }

    /// <summary>The first half-year in the table.</summary>
    public EcbReferenceRate FirstRow => Rows[0];

    /// <summary>The last half-year in the table (the latest published one).</summary>
    public EcbReferenceRate LastRow => Rows[^1];

    /// <summary>The statutory margin for a contract concluded on <paramref name="contractDate"/>.</summary>
    /// <param name="contractDate">The contract date, or <see langword="null"/> when unknown (the current 8-point margin).</param>
    /// <returns>7 points before <see cref="ReformDate"/>, otherwise 8.</returns>
    public static decimal MarginPointsFor(LocalDate? contractDate) =>
        contractDate is { } date && date < ReformDate ? PreReformMarginPoints : StatutoryMarginPoints;

    /// <summary>Reads a table in the CSV format of the shipped resource.</summary>
    /// <param name="reader">
    /// The CSV text: lines starting with <c>#</c> and blank lines are ignored; the first other line is the header
    /// <see cref="CsvHeader"/>; each row is <c>yyyy-MM-dd,rate,source</c> with the rate in invariant culture and the source
    /// being the rest of the line (it may contain commas).
    /// </param>
    /// <returns>The table.</returns>
    /// <exception cref="FormatException">A line is malformed.</exception>
    /// <exception cref="ArgumentException">The rows do not form a valid table.</exception>
    public static LatePaymentRateTable Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rows = new List<EcbReferenceRate>();
        var headerSeen = false;
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            var text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            if (!headerSeen)
            {
                if (!string.Equals(text, CsvHeader, StringComparison.OrdinalIgnoreCase))
                {
                    throw new FormatException($"Line {lineNumber}: expected the header '{CsvHeader}'.");
                }

                headerSeen = true;
                continue;
            }

            var parts = text.Split(',', 3);
            if (parts.Length != 3)
            {
                throw new FormatException($"Line {lineNumber}: expected 'half_year_start,ecb_rate_percent,source'.");
            }

            var date = LocalDatePattern.Iso.Parse(parts[0].Trim());
            if (!date.Success)
            {
                throw new FormatException($"Line {lineNumber}: '{parts[0]}' is not an ISO date (yyyy-MM-dd).");
            }

            if (!decimal.TryParse(parts[1].Trim(), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var rate))
            {
                throw new FormatException($"Line {lineNumber}: '{parts[1]}' is not a rate in percent (e.g. 2.15).");
            }

            rows.Add(new EcbReferenceRate(date.Value, rate, parts[2].Trim()));
        }

        if (!headerSeen)
        {
            throw new FormatException($"The late-payment rate CSV has no header '{CsvHeader}'.");
        }

        return new LatePaymentRateTable(rows);
    }

    /// <summary>Returns a table with <paramref name="rows"/> added, replacing any existing row of the same half-year.</summary>
    /// <param name="rows">Newer half-years (e.g. the MEF notice of 2026 H2) or corrections.</param>
    /// <returns>A new table; this one is unchanged.</returns>
    /// <exception cref="ArgumentException">The result would have a gap or an invalid row.</exception>
    public LatePaymentRateTable WithRows(IEnumerable<EcbReferenceRate> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var merged = new Dictionary<LocalDate, EcbReferenceRate>(_byStart);
        foreach (var row in rows)
        {
            ArgumentNullException.ThrowIfNull(row, nameof(rows));
            merged[row.HalfYearStart] = row;
        }

        return new LatePaymentRateTable(merged.Values);
    }

    /// <summary>Finds the row of the half-year containing <paramref name="day"/>.</summary>
    /// <param name="day">Any day of the half-year.</param>
    /// <param name="row">The row, when the table has it.</param>
    /// <returns>Whether the table has the half-year.</returns>
    public bool TryGetRow(LocalDate day, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EcbReferenceRate? row) =>
        _byStart.TryGetValue(HalfYearRate.StartOf(day), out row);

    /// <summary>The statutory late-payment rate of the half-year containing <paramref name="day"/>.</summary>
    /// <param name="day">Any day of the half-year.</param>
    /// <param name="marginPoints">The margin: <see cref="StatutoryMarginPoints"/> or <see cref="PreReformMarginPoints"/> (see <see cref="MarginPointsFor"/>).</param>
    /// <param name="extraMarginPoints">An extra margin (perishable agri-food products), zero by default.</param>
    /// <param name="useLastKnownRate">
    /// For a half-year after the last row: use the last row's ECB rate (flagged in the result) instead of throwing.
    /// </param>
    /// <returns>The rate, with the row it came from.</returns>
    /// <exception cref="MissingRateException">The half-year is not in the table (and is not a later half-year with <paramref name="useLastKnownRate"/>).</exception>
    public HalfYearRate GetRate(LocalDate day, decimal marginPoints = StatutoryMarginPoints, decimal extraMarginPoints = 0m, bool useLastKnownRate = false)
    {
        var start = HalfYearRate.StartOf(day);
        if (_byStart.TryGetValue(start, out var row))
        {
            return new HalfYearRate(start, row, marginPoints, extraMarginPoints, IsLastKnownRateFallback: false);
        }

        if (useLastKnownRate && start > LastRow.HalfYearStart)
        {
            return new HalfYearRate(start, LastRow, marginPoints, extraMarginPoints, IsLastKnownRateFallback: true);
        }

        throw new MissingRateException(start, FirstRow.HalfYearStart, LastRow.HalfYearStart);
    }

    private static LatePaymentRateTable LoadEmbedded()
    {
        using var stream = typeof(LatePaymentRateTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource '{ResourceName}' is missing from {typeof(LatePaymentRateTable).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return Parse(reader);
    }
}
