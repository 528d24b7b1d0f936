using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CreditRecovery.Cases;
using CreditRecovery.Ports;

namespace CreditRecovery.Storage.Sqlite;

/// <content>
/// The reporting port (<see cref="ICreditAnalyticsStore"/>): one GROUP BY over the report columns of migration 003, with
/// buckets decided by comparing ISO due dates with precomputed limits (no date arithmetic, no JSON per row).
/// </content>
public sealed partial class SqliteRecoveryStore : ICreditAnalyticsStore
{
    // Residuals are summed as 64-bit integers of 1/10000: exact, and SQLite raises an error rather than overflow.
    private const decimal UnitsPerAmount = 10_000m;
    private const decimal MaxExactAmount = 100_000_000_000m;

    /// <inheritdoc />
    public async IAsyncEnumerable<AgingCell> ReadAgingAsync(
        CompanyId company,
        AgingQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (key, label, joins) = query.GroupBy switch
        {
            AgingDimension.Company => ("$company", "NULL", ""),
            AgingDimension.Customer => ("c.customer_code", "cu.name", CustomerJoin),
            AgingDimension.Operator => ("coalesce(r.operator, '')", "NULL", " LEFT JOIN customer_responsibles r ON r.company = c.company AND r.customer_code = c.customer_code AND r.position = 0"),
            AgingDimension.Agent => ("coalesce(cu.agent, '')", "NULL", CustomerJoin),
            AgingDimension.SalesArea => ("coalesce(cu.sales_area, '')", "NULL", CustomerJoin),
            AgingDimension.PaymentType => ("c.payment_type", "NULL", ""),
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.GroupBy, "Unknown aging dimension."),
        };

        var bucket = new StringBuilder("CASE");
        var parameters = new List<(string, object?)> { ("$company", company.Value) };
        for (var i = 0; i < query.Buckets.UpperBounds.Count; i++)
        {
            bucket.Append(CultureInfo.InvariantCulture, $" WHEN c.due_date >= $d{i} THEN {i}");
            parameters.Add(($"$d{i}", Text(query.Buckets.EarliestDueDate(query.AsOf, i))));
        }

        bucket.Append(CultureInfo.InvariantCulture, $" ELSE {query.Buckets.UpperBounds.Count} END");
        var sql = $"""
            WITH src AS (
                SELECT {key} AS gkey, {label} AS glabel, {bucket} AS bucket, coalesce(c.currency, '') AS currency, c.residual_units AS units, c.residual AS residual
                FROM cases c{joins}
                WHERE c.company = $company AND c.status <> 'Closed'{ScopeSql(query.Scope, parameters)}
            )
            SELECT gkey, glabel, bucket, currency, sum(units), NULL, count(*) FROM src WHERE units IS NOT NULL GROUP BY gkey, glabel, bucket, currency
            UNION ALL
            SELECT gkey, glabel, bucket, currency, NULL, residual, 1 FROM src WHERE units IS NULL;
            """;

        var cells = new Dictionary<(string, string?, int, string), (decimal Sum, int Count)>();
        await using (var connection = await OpenAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            Bind(command, [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var cell = (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1), reader.GetInt32(2), reader.GetString(3));
                var amount = reader.IsDBNull(4)
                    ? decimal.Parse(reader.GetString(5), NumberStyles.Float, CultureInfo.InvariantCulture)
                    : reader.GetInt64(4) / UnitsPerAmount;
                var before = cells.GetValueOrDefault(cell);
                cells[cell] = (before.Sum + amount, before.Count + reader.GetInt32(6));
            }
        }

        foreach (var ((group, name, index, currency), (sum, count)) in cells)
        {
            yield return new AgingCell(group, name, index, currency, sum, count);
        }
    }

    /// <inheritdoc />
    /// <remarks>An empty collection in the filter matches nothing.</remarks>
    public async IAsyncEnumerable<RecoveryCase> ReadReportCasesAsync(
        CompanyId company,
        ReportCaseFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.CustomerCodes is { Count: 0 } || filter.Statuses is { Count: 0 })
        {
            yield break;
        }

        var parameters = new List<(string, object?)>
        {
            ("$company", company.Value),
            ("$codes", JsonArray(filter.CustomerCodes)),
            ("$statuses", JsonArray(filter.Statuses?.Select(s => Name(s)))),
            ("$next_from", filter.NextActionFrom is { } from ? Text(from) : null),
            ("$next_to", filter.NextActionTo is { } to ? Text(to) : null),
            ("$due_to", filter.DueOnOrBefore is { } due ? Text(due) : null),
        };
        var sql = new StringBuilder("SELECT c.payload FROM cases c WHERE c.company = $company");
        sql.Append(filter.OpenOnly ? " AND c.status <> 'Closed'" : "")
            .Append(filter.Statuses is null ? "" : " AND c.status IN (SELECT value FROM json_each($statuses))")
            .Append(filter.CustomerCodes is null ? "" : " AND c.customer_code IN (SELECT value FROM json_each($codes))")
            .Append(filter.NextActionFrom is null ? "" : " AND c.next_action_date >= $next_from")
            .Append(filter.NextActionTo is null ? "" : " AND c.next_action_date <= $next_to")
            .Append(filter.DueOnOrBefore is null ? "" : " AND c.due_date <= $due_to")
            .Append(ScopeSql(filter.Scope, parameters))
            .Append(" ORDER BY c.customer_code COLLATE BINARY, c.key COLLATE BINARY;");
        await foreach (var value in QueryAsync<RecoveryCase>(sql.ToString(), cancellationToken, [.. parameters]).ConfigureAwait(false))
        {
            yield return value;
        }
    }

    private const string CustomerJoin = " LEFT JOIN customers cu ON cu.company = c.company AND cu.code = c.customer_code";

    private static string ScopeSql(CustomerScope? scope, List<(string, object?)> parameters)
    {
        if (scope is null)
        {
            return "";
        }

        parameters.Add(("$team", JsonArray(scope.Responsibles.Select(o => o.Value))));
        parameters.Add(("$unassigned", scope.IncludeUnassigned ? 1L : 0L));
        return """
             AND (c.customer_code IN (SELECT s.customer_code FROM customer_responsibles s WHERE s.company = $company AND s.operator IN (SELECT value FROM json_each($team)))
                  OR ($unassigned = 1 AND NOT EXISTS (SELECT 1 FROM customer_responsibles u WHERE u.company = $company AND u.customer_code = c.customer_code)))
            """;
    }

    private static string ResidualText(decimal amount) => amount.ToString(CultureInfo.InvariantCulture);

    private static long? ResidualUnits(decimal amount) =>
        Math.Abs(amount) < MaxExactAmount && decimal.Round(amount, 4) == amount ? (long)(amount * UnitsPerAmount) : null;
}
