using System.Runtime.CompilerServices;
using System.Text;
using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Storage.Json;
using CreditRecovery.Work;
using Npgsql;
using NpgsqlTypes;
using NodaTime;

namespace CreditRecovery.Storage.PostgreSql;

/// <content>
/// Reads. Each takes its own pooled connection; lists of values are passed as one <c>text[]</c> parameter
/// (<c>= ANY($n)</c>), so their length is not limited by the number of parameters. Text columns are
/// <c>COLLATE "C"</c>, so every <c>ORDER BY</c> on them is ordinal.
/// </content>
public sealed partial class PostgreSqlRecoveryStore
{
    /// <inheritdoc />
    public ValueTask<Customer?> GetCustomerAsync(CompanyId company, string customerCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerCode);
        return GetAsync<Customer>("SELECT payload FROM customers WHERE company = $1 AND code = $2;", cancellationToken, Text(company.Value), Text(customerCode));
    }

    /// <inheritdoc />
    /// <remarks>An empty <paramref name="customerCodes"/> matches nothing.</remarks>
    public async IAsyncEnumerable<Customer> ReadCustomersAsync(
        CompanyId company,
        IReadOnlyCollection<string>? customerCodes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (customerCodes is { Count: 0 })
        {
            yield break;
        }

        var query = customerCodes is null
            ? QueryAsync<Customer>("SELECT payload FROM customers WHERE company = $1 ORDER BY code;", cancellationToken, Text(company.Value))
            : QueryAsync<Customer>("SELECT payload FROM customers WHERE company = $1 AND code = ANY($2) ORDER BY code;", cancellationToken, Text(company.Value), TextArray(customerCodes));
        await foreach (var customer in query.ConfigureAwait(false))
        {
            yield return customer;
        }
    }

    /// <inheritdoc />
    public ValueTask<RecoveryCase?> GetCaseAsync(CompanyId company, InstallmentKey key, CancellationToken cancellationToken = default) =>
        GetAsync<RecoveryCase>("SELECT payload FROM cases WHERE company = $1 AND key = $2;", cancellationToken, Text(company.Value), Text(key.Value));

    /// <inheritdoc />
    /// <remarks>An empty collection in the filter matches nothing. Order is ordinal (binary) on customer code, then key.</remarks>
    public async IAsyncEnumerable<RecoveryCase> ReadCasesAsync(
        CompanyId company,
        CaseFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.CustomerCodes is { Count: 0 } || filter.Keys is { Count: 0 } || filter.Statuses is { Count: 0 })
        {
            yield break;
        }

        var sql = new StringBuilder("SELECT payload FROM cases WHERE company = $1");
        var parameters = new List<NpgsqlParameter> { Text(company.Value) };
        if (filter.OpenOnly)
        {
            // Written as in the partial index ix_cases_next_action, so that the planner can use it.
            sql.Append(" AND status <> 'Closed'");
        }

        if (filter.NextActionOnOrBefore is { } until)
        {
            sql.Append(" AND next_action_date <= ").Append(Add(parameters, DateParameter(until)));
        }

        if (filter.CustomerCodes is not null)
        {
            sql.Append(" AND customer_code = ANY(").Append(Add(parameters, TextArray(filter.CustomerCodes))).Append(')');
        }

        if (filter.Keys is not null)
        {
            sql.Append(" AND key = ANY(").Append(Add(parameters, TextArray(filter.Keys.Select(k => k.Value)))).Append(')');
        }

        if (filter.Statuses is not null)
        {
            sql.Append(" AND status = ANY(").Append(Add(parameters, TextArray(filter.Statuses.Select(s => Name(s))))).Append(')');
        }

        sql.Append(" ORDER BY customer_code, key;");

        await foreach (var value in QueryAsync<RecoveryCase>(sql.ToString(), cancellationToken, [.. parameters]).ConfigureAwait(false))
        {
            yield return value;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<HistoryEvent> ReadHistoryAsync(
        CompanyId company,
        InstallmentKey key,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entry in QueryAsync<HistoryEvent>(
            "SELECT payload FROM history WHERE company = $1 AND case_key = $2 ORDER BY seq;",
            cancellationToken,
            Text(company.Value),
            Text(key.Value)).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<OutboxMessage> ReadOutboxAsync(
        CompanyId company,
        OutboxStatus status,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var message in QueryAsync<OutboxMessage>(
            "SELECT payload FROM outbox WHERE company = $1 AND status = $2 ORDER BY created_at, id;",
            cancellationToken,
            Text(company.Value),
            Text(Name(status))).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    /// <inheritdoc />
    public ValueTask<OutboxMessage?> GetOutboxMessageAsync(CompanyId company, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return GetAsync<OutboxMessage>("SELECT payload FROM outbox WHERE company = $1 AND id = $2;", cancellationToken, Text(company.Value), Text(id));
    }

    /// <inheritdoc />
    /// <remarks>An empty collection in the filter matches nothing. Tasks come by due date, then id.</remarks>
    public async IAsyncEnumerable<OperatorTask> ReadTasksAsync(
        CompanyId company,
        TaskFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.AssignedTo is { Count: 0 } || filter.CustomerCodes is { Count: 0 })
        {
            yield break;
        }

        var sql = new StringBuilder("SELECT payload FROM tasks WHERE company = $1");
        var parameters = new List<NpgsqlParameter> { Text(company.Value) };
        if (filter.Status is { } status)
        {
            sql.Append(" AND status = ").Append(Add(parameters, Text(Name(status))));
        }

        if (filter.DueFrom is { } from)
        {
            sql.Append(" AND due_on >= ").Append(Add(parameters, DateParameter(from)));
        }

        if (filter.DueTo is { } to)
        {
            sql.Append(" AND due_on <= ").Append(Add(parameters, DateParameter(to)));
        }

        if (filter.AssignedTo is not null)
        {
            sql.Append(" AND assigned_to = ANY(").Append(Add(parameters, TextArray(filter.AssignedTo.Select(o => o.Value)))).Append(')');
        }

        if (filter.CustomerCodes is not null)
        {
            sql.Append(" AND customer_code = ANY(").Append(Add(parameters, TextArray(filter.CustomerCodes))).Append(')');
        }

        sql.Append(" ORDER BY due_on, id;");

        await foreach (var task in QueryAsync<OperatorTask>(sql.ToString(), cancellationToken, [.. parameters]).ConfigureAwait(false))
        {
            yield return task;
        }
    }

    /// <inheritdoc />
    public ValueTask<OperatorTask?> GetTaskAsync(CompanyId company, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return GetAsync<OperatorTask>("SELECT payload FROM tasks WHERE company = $1 AND id = $2;", cancellationToken, Text(company.Value), Text(id));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Activity> ReadActivitiesAsync(
        CompanyId company,
        string customerCode,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerCode);
        await foreach (var activity in QueryAsync<Activity>(
            "SELECT payload FROM activities WHERE company = $1 AND customer_code = $2 ORDER BY at, id;",
            cancellationToken,
            Text(company.Value),
            Text(customerCode)).ConfigureAwait(false))
        {
            yield return activity;
        }
    }

    /// <inheritdoc />
    /// <remarks>
    /// Returns every entry whose first date is on or before <paramref name="until"/>, cancelled ones included, by date;
    /// callers expand recurrences. An empty <paramref name="owners"/> matches nothing.
    /// </remarks>
    public async IAsyncEnumerable<AgendaEntry> ReadAgendaAsync(
        CompanyId company,
        IReadOnlyCollection<OperatorId>? owners,
        LocalDate until,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (owners is { Count: 0 })
        {
            yield break;
        }

        var query = owners is null
            ? QueryAsync<AgendaEntry>(
                "SELECT payload FROM agenda WHERE company = $1 AND date <= $2 ORDER BY date, id;",
                cancellationToken,
                Text(company.Value),
                DateParameter(until))
            : QueryAsync<AgendaEntry>(
                "SELECT payload FROM agenda WHERE company = $1 AND date <= $2 AND owner = ANY($3) ORDER BY date, id;",
                cancellationToken,
                Text(company.Value),
                DateParameter(until),
                TextArray(owners.Select(o => o.Value)));
        await foreach (var entry in query.ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Operator> ReadOperatorsAsync(
        CompanyId company,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var op in QueryAsync<Operator>(
            "SELECT o.payload FROM operators o JOIN operator_companies c ON c.id = o.id WHERE c.company = $1 ORDER BY o.id;",
            cancellationToken,
            Text(company.Value)).ConfigureAwait(false))
        {
            yield return op;
        }
    }

    /// <inheritdoc />
    /// <remarks>An empty <paramref name="customerCodes"/> matches nothing.</remarks>
    public async IAsyncEnumerable<CustomerAssignment> ReadAssignmentsAsync(
        CompanyId company,
        IReadOnlyCollection<string>? customerCodes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (customerCodes is { Count: 0 })
        {
            yield break;
        }

        var query = customerCodes is null
            ? QueryAsync<CustomerAssignment>(
                "SELECT payload FROM customer_assignments WHERE company = $1 ORDER BY customer_code;",
                cancellationToken,
                Text(company.Value))
            : QueryAsync<CustomerAssignment>(
                "SELECT payload FROM customer_assignments WHERE company = $1 AND customer_code = ANY($2) ORDER BY customer_code;",
                cancellationToken,
                Text(company.Value),
                TextArray(customerCodes));
        await foreach (var assignment in query.ConfigureAwait(false))
        {
            yield return assignment;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ProcedureAssignment> ReadProcedureAssignmentsAsync(
        CompanyId company,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var assignment in QueryAsync<ProcedureAssignment>(
            "SELECT payload FROM procedure_assignments WHERE company = $1 ORDER BY scope, scope_key, purpose;",
            cancellationToken,
            Text(company.Value)).ConfigureAwait(false))
        {
            yield return assignment;
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<QuarantinedRecord> ReadQuarantineAsync(
        CompanyId company,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var record in QueryAsync<QuarantinedRecord>(
            "SELECT payload FROM quarantine WHERE company = $1 ORDER BY seq;",
            cancellationToken,
            Text(company.Value)).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetCursorAsync(CompanyId company, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT cursor FROM cursors WHERE company = $1 AND source = $2;", connection);
        command.Parameters.Add(Text(company.Value));
        command.Parameters.Add(Text(source));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private static NpgsqlParameter TextArray(IEnumerable<string> values) =>
        new NpgsqlParameter<string[]> { TypedValue = [.. values], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };

    /// <summary>Adds a positional parameter and returns its placeholder (<c>$n</c>).</summary>
    private static string Add(List<NpgsqlParameter> parameters, NpgsqlParameter parameter)
    {
        parameters.Add(parameter);
        return "$" + parameters.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private async ValueTask<T?> GetAsync<T>(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
        where T : class
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? RecoveryJson.Deserialize<T>(json)
            : null;
    }

    private async IAsyncEnumerable<T> QueryAsync<T>(
        string sql,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        params NpgsqlParameter[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            // Npgsql returns buffered rows without looking at the token: honour it on every row.
            cancellationToken.ThrowIfCancellationRequested();
            yield return RecoveryJson.Deserialize<T>(reader.GetString(0));
        }
    }
}
