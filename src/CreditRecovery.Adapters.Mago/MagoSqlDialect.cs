using System.Data;

namespace CreditRecovery.Adapters.Mago;

/// <summary>
/// The little the adapter's SQL needs to know about a database: how to quote Mago's mixed-case identifiers
/// (<c>MA_CustSupp</c>) and how to name parameters. The SQL itself is portable (joins, <c>EXISTS</c>, <c>CASE</c>,
/// <c>ORDER BY</c>; no <c>TOP</c>, <c>NOLOCK</c> or other vendor syntax).
/// </summary>
/// <param name="OpenQuote">The character opening a quoted identifier.</param>
/// <param name="CloseQuote">The character closing a quoted identifier.</param>
/// <param name="ParameterPrefix">The prefix of a named parameter in SQL text and in <c>DbParameter.ParameterName</c>.</param>
/// <param name="TimestampType">
/// The parameter type compared with <c>TBModified</c>: a timestamp without time zone (<see cref="DbType.DateTime"/> is
/// SQL Server's <c>datetime</c>; PostgreSQL's Npgsql maps it to <c>timestamptz</c>, so other databases use
/// <see cref="DbType.DateTime2"/>).
/// </param>
public sealed record MagoSqlDialect(char OpenQuote, char CloseQuote, char ParameterPrefix, DbType TimestampType = DbType.DateTime2)
{
    /// <summary>SQL Server: <c>[MA_CustSupp]</c>, <c>@name</c>, <c>datetime</c> parameters.</summary>
    public static MagoSqlDialect SqlServer { get; } = new('[', ']', '@', DbType.DateTime);

    /// <summary>Standard SQL quoting, for PostgreSQL and SQLite: <c>"MA_CustSupp"</c>, <c>@name</c>.</summary>
    public static MagoSqlDialect Ansi { get; } = new('"', '"', '@');

    /// <summary>Oracle (Mago4 also runs on it): <c>"MA_CustSupp"</c>, <c>:name</c>. Not exercised by tests.</summary>
    public static MagoSqlDialect Oracle { get; } = new('"', '"', ':', DbType.DateTime);

    /// <summary>Quotes an identifier.</summary>
    /// <param name="identifier">A table or column name.</param>
    /// <exception cref="ArgumentException">The identifier holds a quote character.</exception>
    public string Quote(string identifier)
    {
        ArgumentException.ThrowIfNullOrEmpty(identifier);
        if (identifier.Contains(OpenQuote, StringComparison.Ordinal) || identifier.Contains(CloseQuote, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Identifier '{identifier}' holds a quote character.", nameof(identifier));
        }

        return OpenQuote + identifier + CloseQuote;
    }

    /// <summary>Names a parameter as it appears in SQL text.</summary>
    /// <param name="name">The bare name.</param>
    public string Parameter(string name) => ParameterPrefix + name;
}
