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

        // Conditional aggregation: one row per group and currency, each bucket a sum over a due-date range. Grouping by
        // customer then currency follows the order of the covering index of migration 003, so SQLite streams one pass
        // over the index with no sort. Residuals are summed as exact 64-bit integers of 1/10000.
        var n = query.Buckets.Count;
        var parameters = new List<(string, object?)> { ("$company", company.Value) };
        for (var i = 0; i < query.Buckets.UpperBounds.Count; i++)
        {
            parameters.Add(($"$d{i}", Text(query.Buckets.EarliestDueDate(query.AsOf, i))));
        }

        string Range(int i) => i == 0 ? "c.due_date >= $d0"
            : i == n - 1 ? $"c.due_date < $d{i - 1}"
            : $"c.due_date < $d{i - 1} AND c.due_date >= $d{i}";
        var columns = new StringBuilder();
        var totals = new StringBuilder();
        for (var i = 0; i < n; i++)
        {
            columns.Append(CultureInfo.InvariantCulture, $", sum(CASE WHEN {Range(i)} THEN c.residual_units END) AS u{i}, count(CASE WHEN {Range(i)} THEN 1 END) AS n{i}");
            totals.Append(CultureInfo.InvariantCulture, $", sum(p.u{i}), sum(p.n{i})");
        }

        var scope = ScopeSql(query.Scope, parameters);
        var perCustomer = $"""
            SELECT c.customer_code AS code, coalesce(c.currency, '') AS currency{columns}
            FROM cases c
            WHERE c.company = $company AND c.status <> 'Closed'{scope}
            GROUP BY c.customer_code, c.currency
            """;

        // Every grouping but payment type first aggregates per customer in index order (no sort), then joins the master
        // data on the aggregated rows only: one row per customer and currency instead of one per installment.
        var sql = query.GroupBy switch
        {
            AgingDimension.Company => $"WITH p AS ({perCustomer}) SELECT $company, NULL, p.currency{totals} FROM p GROUP BY 3;",
            AgingDimension.Customer => $"WITH p AS ({perCustomer}) SELECT p.code, cu.name, p.currency{totals} FROM p LEFT JOIN customers cu ON cu.company = $company AND cu.code = p.code GROUP BY 1, 3;",
            AgingDimension.Operator => $"WITH p AS ({perCustomer}) SELECT coalesce(r.operator, ''), NULL, p.currency{totals} FROM p LEFT JOIN customer_responsibles r ON r.company = $company AND r.customer_code = p.code AND r.position = 0 GROUP BY 1, 3;",
            AgingDimension.Agent => $"WITH p AS ({perCustomer}) SELECT coalesce(cu.agent, ''), NULL, p.currency{totals} FROM p LEFT JOIN customers cu ON cu.company = $company AND cu.code = p.code GROUP BY 1, 3;",
            AgingDimension.SalesArea => $"WITH p AS ({perCustomer}) SELECT coalesce(cu.sales_area, ''), NULL, p.currency{totals} FROM p LEFT JOIN customers cu ON cu.company = $company AND cu.code = p.code GROUP BY 1, 3;",
            _ => $"""
                SELECT {key} AS gkey, {label} AS glabel, coalesce(c.currency, '') AS currency{columns}
                FROM cases c{joins}
                WHERE c.company = $company AND c.status <> 'Closed'{scope}
                GROUP BY 1, 3;
                """,
        };

        // Residuals not exact in 1/10000 (more decimals, or huge): few or none, found through a partial index, summed here.
        var bucket = new StringBuilder("CASE");
        for (var i = 0; i < n - 1; i++)
        {
            bucket.Append(CultureInfo.InvariantCulture, $" WHEN c.due_date >= $d{i} THEN {i}");
        }

        bucket.Append(CultureInfo.InvariantCulture, $" ELSE {n - 1} END");
        var inexactSql = $"""
            SELECT {key}, coalesce(c.currency, ''), {bucket}, c.residual
            FROM cases c{joins}
            WHERE c.company = $company AND c.status <> 'Closed' AND c.residual_units IS NULL{scope};
            """;

        var cells = new Dictionary<(string Key, string Currency, int Bucket), (string? Label, decimal Sum, int Count)>();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = sql;
            Bind(command, [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < n; i++)
                {
                    var count = reader.GetInt32(4 + (2 * i));
                    if (count > 0)
                    {
                        var units = reader.IsDBNull(3 + (2 * i)) ? 0L : reader.GetInt64(3 + (2 * i));
                        cells[(reader.GetString(0), reader.GetString(2), i)] = (reader.IsDBNull(1) ? null : reader.GetString(1), units / UnitsPerAmount, count);
                    }
                }
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.CommandText = inexactSql;
            Bind(command, [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var cell = (reader.GetString(0), reader.GetString(1), reader.GetInt32(2));
                var value = cells[cell];
                cells[cell] = value with { Sum = value.Sum + decimal.Parse(reader.GetString(3), NumberStyles.Float, CultureInfo.InvariantCulture) };
            }
        }

        foreach (var ((group, currency, index), (name, sum, count)) in cells)
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
