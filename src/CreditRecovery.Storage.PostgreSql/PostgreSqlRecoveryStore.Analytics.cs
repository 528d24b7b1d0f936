using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using Npgsql;
using NpgsqlTypes;

namespace CreditRecovery.Storage.PostgreSql;

/// <content>
/// The reporting port (<see cref="ICreditAnalyticsStore"/>): one GROUP BY over the report columns of migration 003
/// (numeric residuals: exact sums), buckets decided by comparing due dates with precomputed limits.
/// </content>
public sealed partial class PostgreSqlRecoveryStore : ICreditAnalyticsStore
{
    private const string CustomerJoin = " LEFT JOIN customers cu ON cu.company = c.company AND cu.code = c.customer_code";

    /// <inheritdoc />
    public async IAsyncEnumerable<AgingCell> ReadAgingAsync(
        CompanyId company,
        AgingQuery query,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (key, label, joins) = query.GroupBy switch
        {
            AgingDimension.Company => ("c.company", "NULL::text", ""),
            AgingDimension.Customer => ("c.customer_code", "cu.name", CustomerJoin),
            AgingDimension.Operator => ("coalesce(r.operator, '')", "NULL::text", " LEFT JOIN customer_responsibles r ON r.company = c.company AND r.customer_code = c.customer_code AND r.position = 0"),
            AgingDimension.Agent => ("coalesce(cu.agent, '')", "NULL::text", CustomerJoin),
            AgingDimension.SalesArea => ("coalesce(cu.sales_area, '')", "NULL::text", CustomerJoin),
            AgingDimension.PaymentType => ("c.payment_type", "NULL::text", ""),
            _ => throw new ArgumentOutOfRangeException(nameof(query), query.GroupBy, "Unknown aging dimension."),
        };

        var parameters = new List<NpgsqlParameter> { Text(company.Value) };
        var bucket = new StringBuilder("CASE");
        for (var i = 0; i < query.Buckets.UpperBounds.Count; i++)
        {
            bucket.Append(" WHEN c.due_date >= ").Append(Add(parameters, DateParameter(query.Buckets.EarliestDueDate(query.AsOf, i))))
                .Append(CultureInfo.InvariantCulture, $" THEN {i}");
        }

        bucket.Append(CultureInfo.InvariantCulture, $" ELSE {query.Buckets.UpperBounds.Count} END");
        var sql = $"""
            SELECT {key} AS gkey, {label} AS glabel, {bucket} AS bucket, coalesce(c.currency, '') AS currency, sum(c.residual), count(*)
            FROM cases c{joins}
            WHERE c.company = $1 AND c.status <> 'Closed'{ScopeSql(query.Scope, parameters)}
            GROUP BY 1, 2, 3, 4;
            """;

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters.ToArray());
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new AgingCell(
                reader.GetString(0),
                reader.IsDBNull(1) ? null : reader.GetString(1),
                reader.GetInt32(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? 0m : reader.GetDecimal(4),
                checked((int)reader.GetInt64(5)));
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

        var parameters = new List<NpgsqlParameter> { Text(company.Value) };
        var sql = new StringBuilder("SELECT c.payload FROM cases c WHERE c.company = $1");
        if (filter.OpenOnly)
        {
            sql.Append(" AND c.status <> 'Closed'");
        }

        if (filter.Statuses is not null)
        {
            sql.Append(" AND c.status = ANY(").Append(Add(parameters, TextArray(filter.Statuses.Select(s => Name(s))))).Append(')');
        }

        if (filter.CustomerCodes is not null)
        {
            sql.Append(" AND c.customer_code = ANY(").Append(Add(parameters, TextArray(filter.CustomerCodes))).Append(')');
        }

        if (filter.NextActionFrom is { } from)
        {
            sql.Append(" AND c.next_action_date >= ").Append(Add(parameters, DateParameter(from)));
        }

        if (filter.NextActionTo is { } to)
        {
            sql.Append(" AND c.next_action_date <= ").Append(Add(parameters, DateParameter(to)));
        }

        if (filter.DueOnOrBefore is { } due)
        {
            sql.Append(" AND c.due_date <= ").Append(Add(parameters, DateParameter(due)));
        }

        sql.Append(ScopeSql(filter.Scope, parameters)).Append(" ORDER BY c.customer_code, c.key;");
        await foreach (var value in QueryAsync<RecoveryCase>(sql.ToString(), cancellationToken, [.. parameters]).ConfigureAwait(false))
        {
            yield return value;
        }
    }

    private static string ScopeSql(CustomerScope? scope, List<NpgsqlParameter> parameters)
    {
        if (scope is null)
        {
            return "";
        }

        var team = Add(parameters, TextArray(scope.Responsibles.Select(o => o.Value)));
        var unassigned = Add(parameters, new NpgsqlParameter<bool> { TypedValue = scope.IncludeUnassigned, NpgsqlDbType = NpgsqlDbType.Boolean });
        return $"""
             AND (c.customer_code IN (SELECT s.customer_code FROM customer_responsibles s WHERE s.company = $1 AND s.operator = ANY({team}))
                  OR ({unassigned} AND NOT EXISTS (SELECT 1 FROM customer_responsibles u WHERE u.company = $1 AND u.customer_code = c.customer_code)))
            """;
    }
}
