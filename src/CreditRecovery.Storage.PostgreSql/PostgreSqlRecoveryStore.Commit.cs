using CreditRecovery.Ports;
using CreditRecovery.Storage.Json;
using Npgsql;
using NpgsqlTypes;

namespace CreditRecovery.Storage.PostgreSql;

/// <content>Writes: <see cref="CommitAsync"/>.</content>
public sealed partial class PostgreSqlRecoveryStore
{
    /// <summary>Statements sent in one round trip at most.</summary>
    private const int BatchSize = 500;

    private const string InsertCaseSql = """
        INSERT INTO cases (company, key, customer_code, status, next_action_date, version, payload, due_date, currency, residual, payment_type)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
        ON CONFLICT (company, key) DO NOTHING;
        """;

    private const string UpdateCaseSql = """
        UPDATE cases SET customer_code = $3, status = $4, next_action_date = $5, version = $6, payload = $7,
            due_date = $8, currency = $9, residual = $10, payment_type = $11
        WHERE company = $1 AND key = $2 AND version = $12;
        """;

    private const string DeleteResponsiblesSql = "DELETE FROM customer_responsibles WHERE company = $1 AND customer_code = $2;";

    private const string InsertResponsibleSql = """
        INSERT INTO customer_responsibles (company, customer_code, position, operator) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING;
        """;

    private const string SelectCaseVersionSql = "SELECT version FROM cases WHERE company = $1 AND key = $2;";

    private const string UpsertCustomerSql = """
        INSERT INTO customers (company, code, payload, name, agent, sales_area, category) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (company, code) DO UPDATE SET
            payload = excluded.payload, name = excluded.name, agent = excluded.agent, sales_area = excluded.sales_area, category = excluded.category;
        """;

    private const string InsertHistorySql = "INSERT INTO history (company, case_key, case_version, payload) VALUES ($1, $2, $3, $4);";

    private const string UpsertOutboxSql = """
        INSERT INTO outbox (company, id, customer_code, status, created_at, payload) VALUES ($1, $2, $3, $4, $5, $6)
        ON CONFLICT (company, id) DO UPDATE SET
            customer_code = excluded.customer_code,
            status = excluded.status,
            created_at = excluded.created_at,
            payload = excluded.payload;
        """;

    private const string UpsertTaskSql = """
        INSERT INTO tasks (company, id, customer_code, assigned_to, status, due_on, payload) VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (company, id) DO UPDATE SET
            customer_code = excluded.customer_code,
            assigned_to = excluded.assigned_to,
            status = excluded.status,
            due_on = excluded.due_on,
            payload = excluded.payload;
        """;

    private const string UpsertActivitySql = """
        INSERT INTO activities (company, id, customer_code, at, payload) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (company, id) DO UPDATE SET
            customer_code = excluded.customer_code,
            at = excluded.at,
            payload = excluded.payload;
        """;

    private const string UpsertAgendaSql = """
        INSERT INTO agenda (company, id, owner, date, payload) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (company, id) DO UPDATE SET
            owner = excluded.owner,
            date = excluded.date,
            payload = excluded.payload;
        """;

    private const string UpsertOperatorSql = """
        INSERT INTO operators (id, payload) VALUES ($1, $2)
        ON CONFLICT (id) DO UPDATE SET payload = excluded.payload;
        """;

    private const string DeleteOperatorCompaniesSql = "DELETE FROM operator_companies WHERE id = $1;";

    // DO NOTHING: a concurrent commit writing the same operator must not fail on the link the other one inserted.
    private const string InsertOperatorCompanySql = "INSERT INTO operator_companies (id, company) VALUES ($1, $2) ON CONFLICT DO NOTHING;";

    private const string UpsertAssignmentSql = """
        INSERT INTO customer_assignments (company, customer_code, payload) VALUES ($1, $2, $3)
        ON CONFLICT (company, customer_code) DO UPDATE SET payload = excluded.payload;
        """;

    private const string UpsertProcedureAssignmentSql = """
        INSERT INTO procedure_assignments (company, scope, scope_key, purpose, payload) VALUES ($1, $2, $3, $4, $5)
        ON CONFLICT (company, scope, scope_key, purpose) DO UPDATE SET payload = excluded.payload;
        """;

    private const string InsertQuarantineSql = "INSERT INTO quarantine (company, source, at, payload) VALUES ($1, $2, $3, $4);";

    private const string UpsertCursorSql = """
        INSERT INTO cursors (company, source, cursor) VALUES ($1, $2, $3)
        ON CONFLICT (company, source) DO UPDATE SET cursor = excluded.cursor;
        """;

    /// <inheritdoc />
    /// <remarks>
    /// Case writes are applied first, in ordinal key order (writes of one case keep their order), each checked by its
    /// row count; the other rows follow in batches. When several case writes of a change set conflict, the exception
    /// names the first in key order. A unique violation on a new case (another worker inserted it meanwhile), a
    /// deadlock or a serialization failure also ends in <see cref="ConcurrencyConflictException"/>: in every case the
    /// transaction is rolled back and nothing is applied.
    /// </remarks>
    /// <exception cref="ArgumentException">A row belongs to another company than <see cref="RecoveryChangeSet.Company"/>, or lacks its identity.</exception>
    /// <exception cref="ObjectDisposedException">The store was disposed.</exception>
    public async ValueTask CommitAsync(RecoveryChangeSet changes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(changes);
        changes.Validate();
        if (changes.IsEmpty)
        {
            return;
        }

        cancellationToken.ThrowIfCancellationRequested();
        var company = changes.Company;

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        CaseWrite? current = null;
        try
        {
            foreach (var write in changes.Cases.OrderBy(w => w.Case.Key.Value, StringComparer.Ordinal))
            {
                current = write;
                await WriteCaseAsync(connection, transaction, company, write, cancellationToken).ConfigureAwait(false);
            }

            current = null;
            await WriteRowsAsync(connection, transaction, changes, cancellationToken).ConfigureAwait(false);

            // Past this point the commit is not cancelled: the change set is applied whole.
            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (PostgresException ex) when (IsConflict(ex))
        {
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            if (current is not null && ex.SqlState == PostgresErrorCodes.UniqueViolation)
            {
                var actual = await ReadVersionAsync(connection, null, company, current, CancellationToken.None).ConfigureAwait(false);
                throw new ConcurrencyConflictException(company, current.Case.Key, current.ExpectedVersion, actual);
            }

            throw new ConcurrencyConflictException(
                $"The change set of company {company} conflicted with a concurrent commit ({ex.SqlState}); nothing was applied: read again and retry.",
                ex);
        }
    }

    private static bool IsConflict(PostgresException ex) =>
        ex.SqlState is PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure;

    private static async Task WriteCaseAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, CompanyId company, CaseWrite write, CancellationToken cancellationToken)
    {
        var value = write.Case;
        var applied = 0;
        if (value.Version == write.ExpectedVersion + 1)
        {
            await using var command = new NpgsqlCommand(write.ExpectedVersion == 0 ? InsertCaseSql : UpdateCaseSql, connection, transaction);
            command.Parameters.Add(Text(company.Value));
            command.Parameters.Add(Text(value.Key.Value));
            command.Parameters.Add(Text(value.CustomerCode));
            command.Parameters.Add(Text(Name(value.Status)));
            command.Parameters.Add(DateParameter(value.NextActionDate));
            command.Parameters.Add(Bigint(value.Version));
            command.Parameters.Add(Json(RecoveryJson.Serialize(value)));
            command.Parameters.Add(DateParameter(value.Installment.DueDate));
            command.Parameters.Add(Text(value.Installment.OpenResidual.Currency ?? ""));
            command.Parameters.Add(new NpgsqlParameter<decimal> { TypedValue = value.Installment.OpenResidual.Amount, NpgsqlDbType = NpgsqlDbType.Numeric });
            command.Parameters.Add(Text(Name(value.Installment.PaymentType)));
            if (write.ExpectedVersion != 0)
            {
                command.Parameters.Add(Bigint(write.ExpectedVersion));
            }

            applied = await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        if (applied != 1)
        {
            var actual = await ReadVersionAsync(connection, transaction, company, write, cancellationToken).ConfigureAwait(false);
            await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
            throw new ConcurrencyConflictException(company, value.Key, write.ExpectedVersion, actual);
        }
    }

    private static async Task<long> ReadVersionAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, CompanyId company, CaseWrite write, CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(SelectCaseVersionSql, connection, transaction);
        select.Parameters.Add(Text(company.Value));
        select.Parameters.Add(Text(write.Case.Key.Value));
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is long version ? version : 0L;
    }

    private static async Task WriteRowsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, RecoveryChangeSet changes, CancellationToken cancellationToken)
    {
        await using var batch = new Batch(connection, transaction);
        var company = changes.Company.Value;

        foreach (var customer in changes.Customers)
        {
            await batch.AddAsync(UpsertCustomerSql, cancellationToken, Text(company), Text(customer.Code), Json(RecoveryJson.Serialize(customer)),
                Text(customer.Name), Text(customer.Agent), Text(customer.SalesArea), Text(customer.Category)).ConfigureAwait(false);
        }

        foreach (var entry in changes.History)
        {
            await batch.AddAsync(InsertHistorySql, cancellationToken, Text(company), Text(entry.CaseKey.Value), Bigint(entry.CaseVersion), Json(RecoveryJson.Serialize(entry))).ConfigureAwait(false);
        }

        foreach (var message in changes.Outbox)
        {
            await batch.AddAsync(
                UpsertOutboxSql,
                cancellationToken,
                Text(company),
                Text(message.Id),
                Text(message.CustomerCode),
                Text(Name(message.Status)),
                Bigint(Ticks(message.CreatedAt)),
                Json(RecoveryJson.Serialize(message))).ConfigureAwait(false);
        }

        foreach (var task in changes.Tasks)
        {
            await batch.AddAsync(
                UpsertTaskSql,
                cancellationToken,
                Text(company),
                Text(task.Id),
                Text(task.CustomerCode),
                Text(task.AssignedTo?.Value),
                Text(Name(task.Status)),
                DateParameter(task.DueOn),
                Json(RecoveryJson.Serialize(task))).ConfigureAwait(false);
        }

        foreach (var activity in changes.Activities)
        {
            await batch.AddAsync(
                UpsertActivitySql,
                cancellationToken,
                Text(company),
                Text(activity.Id),
                Text(activity.CustomerCode),
                Bigint(Ticks(activity.At)),
                Json(RecoveryJson.Serialize(activity))).ConfigureAwait(false);
        }

        foreach (var entry in changes.Agenda)
        {
            await batch.AddAsync(UpsertAgendaSql, cancellationToken, Text(company), Text(entry.Id), Text(entry.Owner.Value), DateParameter(entry.Date), Json(RecoveryJson.Serialize(entry))).ConfigureAwait(false);
        }

        foreach (var op in changes.Operators)
        {
            await batch.AddAsync(UpsertOperatorSql, cancellationToken, Text(op.Id.Value), Json(RecoveryJson.Serialize(op))).ConfigureAwait(false);
            await batch.AddAsync(DeleteOperatorCompaniesSql, cancellationToken, Text(op.Id.Value)).ConfigureAwait(false);
            foreach (var member in op.Companies)
            {
                await batch.AddAsync(InsertOperatorCompanySql, cancellationToken, Text(op.Id.Value), Text(member.Value)).ConfigureAwait(false);
            }
        }

        foreach (var assignment in changes.Assignments)
        {
            await batch.AddAsync(UpsertAssignmentSql, cancellationToken, Text(company), Text(assignment.CustomerCode), Json(RecoveryJson.Serialize(assignment))).ConfigureAwait(false);
            await batch.AddAsync(DeleteResponsiblesSql, cancellationToken, Text(company), Text(assignment.CustomerCode)).ConfigureAwait(false);
            for (var position = 0; position < (assignment.Responsibles?.Count ?? 0); position++)
            {
                await batch.AddAsync(InsertResponsibleSql, cancellationToken, Text(company), Text(assignment.CustomerCode), Bigint(position), Text(assignment.Responsibles![position].Value)).ConfigureAwait(false);
            }
        }

        foreach (var assignment in changes.ProcedureAssignments)
        {
            await batch.AddAsync(
                UpsertProcedureAssignmentSql,
                cancellationToken,
                Text(company),
                Text(Name(assignment.Scope)),
                Text(assignment.ScopeKey),
                Text(Name(assignment.Purpose)),
                Json(RecoveryJson.Serialize(assignment))).ConfigureAwait(false);
        }

        foreach (var record in changes.Quarantine)
        {
            await batch.AddAsync(InsertQuarantineSql, cancellationToken, Text(company), Text(record.Source), Bigint(Ticks(record.At)), Json(RecoveryJson.Serialize(record))).ConfigureAwait(false);
        }

        foreach (var cursor in changes.Cursors)
        {
            await batch.AddAsync(UpsertCursorSql, cancellationToken, Text(company), Text(cursor.Source), Text(cursor.Cursor)).ConfigureAwait(false);
        }

        await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static NpgsqlParameter Text(string? value) =>
        new NpgsqlParameter<string?> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter Json(string value) =>
        new NpgsqlParameter<string> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Json };

    private static NpgsqlParameter Bigint(long value) =>
        new NpgsqlParameter<long> { TypedValue = value, NpgsqlDbType = NpgsqlDbType.Bigint };

    private static NpgsqlParameter DateParameter(NodaTime.LocalDate? value) => value is { } date
        ? new NpgsqlParameter<DateOnly> { TypedValue = Date(date), NpgsqlDbType = NpgsqlDbType.Date }
        : new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Date };

    /// <summary>Statements of one commit, sent <see cref="BatchSize"/> at a time in the commit's transaction.</summary>
    private sealed class Batch(NpgsqlConnection connection, NpgsqlTransaction transaction) : IAsyncDisposable
    {
        private NpgsqlBatch _batch = new(connection, transaction);

        public async ValueTask AddAsync(string sql, CancellationToken cancellationToken, params NpgsqlParameter[] parameters)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var parameter in parameters)
            {
                command.Parameters.Add(parameter);
            }

            _batch.BatchCommands.Add(command);
            if (_batch.BatchCommands.Count >= BatchSize)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (_batch.BatchCommands.Count == 0)
            {
                return;
            }

            await _batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await _batch.DisposeAsync().ConfigureAwait(false);
            _batch = new NpgsqlBatch(connection, transaction);
        }

        public ValueTask DisposeAsync() => _batch.DisposeAsync();
    }
}
