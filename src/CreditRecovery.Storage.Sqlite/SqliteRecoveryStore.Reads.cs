using System.Runtime.CompilerServices;
using System.Text;
using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Storage.Json;
using CreditRecovery.Work;
using Microsoft.Data.Sqlite;
using NodaTime;

namespace CreditRecovery.Storage.Sqlite;

/// <content>Reads. Each opens its own pooled connection; lists of values are passed as one JSON array to <c>json_each</c>.</content>
public sealed partial class SqliteRecoveryStore
{
    /// <inheritdoc />
    public ValueTask<Customer?> GetCustomerAsync(CompanyId company, string customerCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerCode);
        return GetAsync<Customer>(
            "SELECT payload FROM customers WHERE company = $company AND code = $code;",
            cancellationToken,
            ("$company", company.Value),
            ("$code", customerCode));
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

        var sql = customerCodes is null
            ? "SELECT payload FROM customers WHERE company = $company ORDER BY code COLLATE BINARY;"
            : "SELECT payload FROM customers WHERE company = $company AND code IN (SELECT value FROM json_each($codes)) ORDER BY code COLLATE BINARY;";
        await foreach (var customer in QueryAsync<Customer>(sql, cancellationToken, ("$company", company.Value), ("$codes", JsonArray(customerCodes))).ConfigureAwait(false))
        {
            yield return customer;
        }
    }

    /// <inheritdoc />
    public ValueTask<RecoveryCase?> GetCaseAsync(CompanyId company, InstallmentKey key, CancellationToken cancellationToken = default) =>
        GetAsync<RecoveryCase>(
            "SELECT payload FROM cases WHERE company = $company AND key = $key;",
            cancellationToken,
            ("$company", company.Value),
            ("$key", key.Value));

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

        await foreach (var value in QueryAsync<RecoveryCase>(CaseQuery(filter, "payload"), cancellationToken, CaseParameters(company, filter)).ConfigureAwait(false))
        {
            yield return value;
        }
    }

    /// <inheritdoc />
    /// <remarks>Reads the key and customer columns only: no payload is read or decoded.</remarks>
    public async IAsyncEnumerable<CaseRef> ReadCaseRefsAsync(
        CompanyId company,
        CaseFilter filter,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        if (filter.CustomerCodes is { Count: 0 } || filter.Keys is { Count: 0 } || filter.Statuses is { Count: 0 })
        {
            yield break;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = CaseQuery(filter, "key, customer_code");
        Bind(command, CaseParameters(company, filter));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return new CaseRef(new InstallmentKey(reader.GetString(0)), reader.GetString(1));
        }
    }

    private static (string Name, object? Value)[] CaseParameters(CompanyId company, CaseFilter filter) =>
    [
        ("$company", company.Value),
        ("$until", filter.NextActionOnOrBefore is { } until ? Text(until) : null),
        ("$codes", JsonArray(filter.CustomerCodes)),
        ("$keys", JsonArray(filter.Keys?.Select(k => k.Value))),
        ("$statuses", JsonArray(filter.Statuses?.Select(s => Name(s)))),
    ];

    private static string CaseQuery(CaseFilter filter, string column)
    {
        var sql = new StringBuilder("SELECT ").Append(column).Append(" FROM cases WHERE company = $company");
        if (filter.OpenOnly)
        {
            // Written as in the partial index ix_cases_next_action, so that the planner can use it.
            sql.Append(" AND status <> 'Closed'");
        }

        if (filter.NextActionOnOrBefore is not null)
        {
            // With a customer list, the unary + keeps the planner off ix_cases_next_action: walking every due case of the
            // company for each list (the daily run reads its customers 128 at a time) grows with the square of the book;
            // ix_cases_customer finds the listed customers' cases directly.
            sql.Append(filter.CustomerCodes is not null && filter.Keys is null ? " AND +next_action_date <= $until" : " AND next_action_date <= $until");
        }

        if (filter.CustomerCodes is not null)
        {
            sql.Append(" AND customer_code IN (SELECT value FROM json_each($codes))");
        }

        if (filter.Keys is not null)
        {
            sql.Append(" AND key IN (SELECT value FROM json_each($keys))");
        }

        if (filter.Statuses is not null)
        {
            sql.Append(" AND status IN (SELECT value FROM json_each($statuses))");
        }

        // With a key list, the unary + keeps the planner from walking ix_cases_customer to avoid the sort: looking
        // the keys up by primary key and sorting the few rows found is far cheaper than scanning the company.
        sql.Append(filter.Keys is null
            ? " ORDER BY customer_code COLLATE BINARY, key COLLATE BINARY;"
            : " ORDER BY +customer_code COLLATE BINARY, +key COLLATE BINARY;");
        return sql.ToString();
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<HistoryEvent> ReadHistoryAsync(
        CompanyId company,
        InstallmentKey key,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entry in QueryAsync<HistoryEvent>(
            "SELECT payload FROM history WHERE company = $company AND case_key = $key ORDER BY seq;",
            cancellationToken,
            ("$company", company.Value),
            ("$key", key.Value)).ConfigureAwait(false))
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
            "SELECT payload FROM outbox WHERE company = $company AND status = $status ORDER BY created_at, id COLLATE BINARY;",
            cancellationToken,
            ("$company", company.Value),
            ("$status", Name(status))).ConfigureAwait(false))
        {
            yield return message;
        }
    }

    /// <inheritdoc />
    public ValueTask<OutboxMessage?> GetOutboxMessageAsync(CompanyId company, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return GetAsync<OutboxMessage>(
            "SELECT payload FROM outbox WHERE company = $company AND id = $id;",
            cancellationToken,
            ("$company", company.Value),
            ("$id", id));
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

        var sql = new StringBuilder("SELECT payload FROM tasks WHERE company = $company");
        if (filter.Status is not null)
        {
            sql.Append(" AND status = $status");
        }

        if (filter.DueFrom is not null)
        {
            sql.Append(" AND due_on >= $from");
        }

        if (filter.DueTo is not null)
        {
            sql.Append(" AND due_on <= $to");
        }

        if (filter.AssignedTo is not null)
        {
            sql.Append(" AND assigned_to IN (SELECT value FROM json_each($assignees))");
        }

        if (filter.CustomerCodes is not null)
        {
            sql.Append(" AND customer_code IN (SELECT value FROM json_each($codes))");
        }

        sql.Append(" ORDER BY due_on, id COLLATE BINARY;");

        await foreach (var task in QueryAsync<OperatorTask>(
            sql.ToString(),
            cancellationToken,
            ("$company", company.Value),
            ("$status", filter.Status is { } status ? Name(status) : null),
            ("$from", filter.DueFrom is { } from ? Text(from) : null),
            ("$to", filter.DueTo is { } to ? Text(to) : null),
            ("$assignees", JsonArray(filter.AssignedTo?.Select(o => o.Value))),
            ("$codes", JsonArray(filter.CustomerCodes))).ConfigureAwait(false))
        {
            yield return task;
        }
    }

    /// <inheritdoc />
    public ValueTask<OperatorTask?> GetTaskAsync(CompanyId company, string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return GetAsync<OperatorTask>(
            "SELECT payload FROM tasks WHERE company = $company AND id = $id;",
            cancellationToken,
            ("$company", company.Value),
            ("$id", id));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<Activity> ReadActivitiesAsync(
        CompanyId company,
        string customerCode,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(customerCode);
        await foreach (var activity in QueryAsync<Activity>(
            "SELECT payload FROM activities WHERE company = $company AND customer_code = $code ORDER BY at, id COLLATE BINARY;",
            cancellationToken,
            ("$company", company.Value),
            ("$code", customerCode)).ConfigureAwait(false))
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

        var sql = owners is null
            ? "SELECT payload FROM agenda WHERE company = $company AND date <= $until ORDER BY date, id COLLATE BINARY;"
            : "SELECT payload FROM agenda WHERE company = $company AND date <= $until AND owner IN (SELECT value FROM json_each($owners)) ORDER BY date, id COLLATE BINARY;";
        await foreach (var entry in QueryAsync<AgendaEntry>(
            sql,
            cancellationToken,
            ("$company", company.Value),
            ("$until", Text(until)),
            ("$owners", JsonArray(owners?.Select(o => o.Value)))).ConfigureAwait(false))
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
            "SELECT o.payload FROM operators o JOIN operator_companies c ON c.id = o.id WHERE c.company = $company ORDER BY o.id COLLATE BINARY;",
            cancellationToken,
            ("$company", company.Value)).ConfigureAwait(false))
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

        var sql = customerCodes is null
            ? "SELECT payload FROM customer_assignments WHERE company = $company ORDER BY customer_code COLLATE BINARY;"
            : "SELECT payload FROM customer_assignments WHERE company = $company AND customer_code IN (SELECT value FROM json_each($codes)) ORDER BY customer_code COLLATE BINARY;";
        await foreach (var assignment in QueryAsync<CustomerAssignment>(sql, cancellationToken, ("$company", company.Value), ("$codes", JsonArray(customerCodes))).ConfigureAwait(false))
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
            "SELECT payload FROM procedure_assignments WHERE company = $company ORDER BY scope COLLATE BINARY, scope_key COLLATE BINARY, purpose COLLATE BINARY;",
            cancellationToken,
            ("$company", company.Value)).ConfigureAwait(false))
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
            "SELECT payload FROM quarantine WHERE company = $company ORDER BY seq;",
            cancellationToken,
            ("$company", company.Value)).ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <inheritdoc />
    public async ValueTask<string?> GetCursorAsync(CompanyId company, string source, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(source);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT cursor FROM cursors WHERE company = $company AND source = $source;";
        Bind(command, ("$company", company.Value), ("$source", source));
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private static string? JsonArray(IEnumerable<string>? values) => values is null ? null : System.Text.Json.JsonSerializer.Serialize(values);

    private static void Bind(SqliteCommand command, params (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
    }

    private async ValueTask<T?> GetAsync<T>(string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
        where T : class
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        Bind(command, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string json
            ? RecoveryJson.Deserialize<T>(json)
            : null;
    }

    private async IAsyncEnumerable<T> QueryAsync<T>(
        string sql,
        [EnumeratorCancellation] CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;

        Bind(command, parameters); // parameters the query does not name are ignored
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return RecoveryJson.Deserialize<T>(reader.GetString(0));
        }
    }
}
