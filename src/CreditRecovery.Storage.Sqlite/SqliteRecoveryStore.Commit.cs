using CreditRecovery.Ports;
using CreditRecovery.Storage.Json;
using Microsoft.Data.Sqlite;

namespace CreditRecovery.Storage.Sqlite;

/// <content>Writes: <see cref="CommitAsync"/>.</content>
public sealed partial class SqliteRecoveryStore
{
    private const string UpsertCustomerSql = """
        INSERT INTO customers (company, code, name, agent, sales_area, category, payload)
        VALUES ($company, $code, $name, $agent, $sales_area, $category, $payload)
        ON CONFLICT (company, code) DO UPDATE SET
            name = excluded.name,
            agent = excluded.agent,
            sales_area = excluded.sales_area,
            category = excluded.category,
            payload = excluded.payload;
        """;

    private const string SelectCaseVersionSql = "SELECT version FROM cases WHERE company = $company AND key = $key;";

    private const string UpsertCaseSql = """
        INSERT INTO cases (company, key, customer_code, status, next_action_date, version, due_date, currency, residual, residual_units, payment_type, payload)
        VALUES ($company, $key, $customer_code, $status, $next_action_date, $version, $due_date, $currency, $residual, $residual_units, $payment_type, $payload)
        ON CONFLICT (company, key) DO UPDATE SET
            customer_code = excluded.customer_code,
            status = excluded.status,
            next_action_date = excluded.next_action_date,
            version = excluded.version,
            due_date = excluded.due_date,
            currency = excluded.currency,
            residual = excluded.residual,
            residual_units = excluded.residual_units,
            payment_type = excluded.payment_type,
            payload = excluded.payload;
        """;

    private const string InsertHistorySql = """
        INSERT INTO history (company, case_key, case_version, payload) VALUES ($company, $case_key, $case_version, $payload);
        """;

    private const string UpsertOutboxSql = """
        INSERT INTO outbox (company, id, customer_code, status, created_at, payload)
        VALUES ($company, $id, $customer_code, $status, $created_at, $payload)
        ON CONFLICT (company, id) DO UPDATE SET
            customer_code = excluded.customer_code,
            status = excluded.status,
            created_at = excluded.created_at,
            payload = excluded.payload;
        """;

    private const string UpsertTaskSql = """
        INSERT INTO tasks (company, id, customer_code, assigned_to, status, due_on, payload)
        VALUES ($company, $id, $customer_code, $assigned_to, $status, $due_on, $payload)
        ON CONFLICT (company, id) DO UPDATE SET
            customer_code = excluded.customer_code,
            assigned_to = excluded.assigned_to,
            status = excluded.status,
            due_on = excluded.due_on,
            payload = excluded.payload;
        """;

    private const string UpsertActivitySql = """
        INSERT INTO activities (company, id, customer_code, at, payload)
        VALUES ($company, $id, $customer_code, $at, $payload)
        ON CONFLICT (company, id) DO UPDATE SET
            customer_code = excluded.customer_code,
            at = excluded.at,
            payload = excluded.payload;
        """;

    private const string UpsertAgendaSql = """
        INSERT INTO agenda (company, id, owner, date, payload)
        VALUES ($company, $id, $owner, $date, $payload)
        ON CONFLICT (company, id) DO UPDATE SET
            owner = excluded.owner,
            date = excluded.date,
            payload = excluded.payload;
        """;

    private const string UpsertOperatorSql = """
        INSERT INTO operators (id, payload) VALUES ($id, $payload)
        ON CONFLICT (id) DO UPDATE SET payload = excluded.payload;
        """;

    private const string DeleteOperatorCompaniesSql = "DELETE FROM operator_companies WHERE id = $id;";

    private const string InsertOperatorCompanySql = "INSERT INTO operator_companies (id, company) VALUES ($id, $company);";

    private const string UpsertAssignmentSql = """
        INSERT INTO customer_assignments (company, customer_code, payload) VALUES ($company, $customer_code, $payload)
        ON CONFLICT (company, customer_code) DO UPDATE SET payload = excluded.payload;
        """;

    private const string DeleteResponsiblesSql = "DELETE FROM customer_responsibles WHERE company = $company AND customer_code = $customer_code;";

    private const string InsertResponsibleSql = """
        INSERT OR IGNORE INTO customer_responsibles (company, customer_code, position, operator) VALUES ($company, $customer_code, $position, $operator);
        """;

    private const string UpsertProcedureAssignmentSql = """
        INSERT INTO procedure_assignments (company, scope, scope_key, purpose, payload)
        VALUES ($company, $scope, $scope_key, $purpose, $payload)
        ON CONFLICT (company, scope, scope_key, purpose) DO UPDATE SET payload = excluded.payload;
        """;

    private const string InsertQuarantineSql = """
        INSERT INTO quarantine (company, source, at, payload) VALUES ($company, $source, $at, $payload);
        """;

    private const string UpsertCursorSql = """
        INSERT INTO cursors (company, source, cursor) VALUES ($company, $source, $cursor)
        ON CONFLICT (company, source) DO UPDATE SET cursor = excluded.cursor;
        """;

    /// <inheritdoc />
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
        var company = changes.Company.Value;

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);

        // BEGIN IMMEDIATE: take the write lock now, so the version checks below cannot go stale before the commit.
        await using var transaction = connection.BeginTransaction(deferred: false);
        var batch = new Batch(connection, transaction);
        try
        {
            if (changes.Customers.Count > 0)
            {
                var upsert = batch.Prepare(UpsertCustomerSql, "$company", "$code", "$name", "$agent", "$sales_area", "$category", "$payload");
                foreach (var customer in changes.Customers)
                {
                    await Batch.ExecuteAsync(
                        upsert,
                        cancellationToken,
                        company,
                        customer.Code,
                        customer.Name,
                        customer.Agent,
                        customer.SalesArea,
                        customer.Category,
                        RecoveryJson.Serialize(customer)).ConfigureAwait(false);
                }
            }

            if (changes.Cases.Count > 0)
            {
                var select = batch.Prepare(SelectCaseVersionSql, "$company", "$key");
                var upsert = batch.Prepare(UpsertCaseSql, "$company", "$key", "$customer_code", "$status", "$next_action_date", "$version", "$due_date", "$currency", "$residual", "$residual_units", "$payment_type", "$payload");
                foreach (var write in changes.Cases)
                {
                    var value = write.Case;
                    Batch.Bind(select, company, value.Key.Value);
                    var stored = await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    var actual = stored is null or DBNull ? 0L : (long)stored;
                    if (actual != write.ExpectedVersion || value.Version != write.ExpectedVersion + 1)
                    {
                        await transaction.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                        throw new ConcurrencyConflictException(changes.Company, value.Key, write.ExpectedVersion, actual);
                    }

                    await Batch.ExecuteAsync(
                        upsert,
                        cancellationToken,
                        company,
                        value.Key.Value,
                        value.CustomerCode,
                        Name(value.Status),
                        value.NextActionDate is { } next ? Text(next) : null,
                        value.Version,
                        Text(value.Installment.DueDate),
                        value.Installment.OpenResidual.Currency,
                        ResidualText(value.Installment.OpenResidual.Amount),
                        ResidualUnits(value.Installment.OpenResidual.Amount),
                        Name(value.Installment.PaymentType),
                        RecoveryJson.Serialize(value)).ConfigureAwait(false);
                }
            }

            if (changes.History.Count > 0)
            {
                var insert = batch.Prepare(InsertHistorySql, "$company", "$case_key", "$case_version", "$payload");
                foreach (var entry in changes.History)
                {
                    await Batch.ExecuteAsync(insert, cancellationToken, company, entry.CaseKey.Value, entry.CaseVersion, RecoveryJson.Serialize(entry)).ConfigureAwait(false);
                }
            }

            if (changes.Outbox.Count > 0)
            {
                var upsert = batch.Prepare(UpsertOutboxSql, "$company", "$id", "$customer_code", "$status", "$created_at", "$payload");
                foreach (var message in changes.Outbox)
                {
                    await Batch.ExecuteAsync(
                        upsert,
                        cancellationToken,
                        company,
                        message.Id,
                        message.CustomerCode,
                        Name(message.Status),
                        Ticks(message.CreatedAt),
                        RecoveryJson.Serialize(message)).ConfigureAwait(false);
                }
            }

            if (changes.Tasks.Count > 0)
            {
                var upsert = batch.Prepare(UpsertTaskSql, "$company", "$id", "$customer_code", "$assigned_to", "$status", "$due_on", "$payload");
                foreach (var task in changes.Tasks)
                {
                    await Batch.ExecuteAsync(
                        upsert,
                        cancellationToken,
                        company,
                        task.Id,
                        task.CustomerCode,
                        task.AssignedTo?.Value,
                        Name(task.Status),
                        Text(task.DueOn),
                        RecoveryJson.Serialize(task)).ConfigureAwait(false);
                }
            }

            if (changes.Activities.Count > 0)
            {
                var upsert = batch.Prepare(UpsertActivitySql, "$company", "$id", "$customer_code", "$at", "$payload");
                foreach (var activity in changes.Activities)
                {
                    await Batch.ExecuteAsync(upsert, cancellationToken, company, activity.Id, activity.CustomerCode, Ticks(activity.At), RecoveryJson.Serialize(activity)).ConfigureAwait(false);
                }
            }

            if (changes.Agenda.Count > 0)
            {
                var upsert = batch.Prepare(UpsertAgendaSql, "$company", "$id", "$owner", "$date", "$payload");
                foreach (var entry in changes.Agenda)
                {
                    await Batch.ExecuteAsync(upsert, cancellationToken, company, entry.Id, entry.Owner.Value, Text(entry.Date), RecoveryJson.Serialize(entry)).ConfigureAwait(false);
                }
            }

            if (changes.Operators.Count > 0)
            {
                var upsert = batch.Prepare(UpsertOperatorSql, "$id", "$payload");
                var clear = batch.Prepare(DeleteOperatorCompaniesSql, "$id");
                var link = batch.Prepare(InsertOperatorCompanySql, "$id", "$company");
                foreach (var op in changes.Operators)
                {
                    await Batch.ExecuteAsync(upsert, cancellationToken, op.Id.Value, RecoveryJson.Serialize(op)).ConfigureAwait(false);
                    await Batch.ExecuteAsync(clear, cancellationToken, op.Id.Value).ConfigureAwait(false);
                    foreach (var member in op.Companies)
                    {
                        await Batch.ExecuteAsync(link, cancellationToken, op.Id.Value, member.Value).ConfigureAwait(false);
                    }
                }
            }

            if (changes.Assignments.Count > 0)
            {
                var upsert = batch.Prepare(UpsertAssignmentSql, "$company", "$customer_code", "$payload");
                var clear = batch.Prepare(DeleteResponsiblesSql, "$company", "$customer_code");
                var insert = batch.Prepare(InsertResponsibleSql, "$company", "$customer_code", "$position", "$operator");
                foreach (var assignment in changes.Assignments)
                {
                    await Batch.ExecuteAsync(upsert, cancellationToken, company, assignment.CustomerCode, RecoveryJson.Serialize(assignment)).ConfigureAwait(false);
                    await Batch.ExecuteAsync(clear, cancellationToken, company, assignment.CustomerCode).ConfigureAwait(false);
                    for (var position = 0; position < (assignment.Responsibles?.Count ?? 0); position++)
                    {
                        await Batch.ExecuteAsync(insert, cancellationToken, company, assignment.CustomerCode, (long)position, assignment.Responsibles![position].Value).ConfigureAwait(false);
                    }
                }
            }

            if (changes.ProcedureAssignments.Count > 0)
            {
                var upsert = batch.Prepare(UpsertProcedureAssignmentSql, "$company", "$scope", "$scope_key", "$purpose", "$payload");
                foreach (var assignment in changes.ProcedureAssignments)
                {
                    await Batch.ExecuteAsync(
                        upsert,
                        cancellationToken,
                        company,
                        Name(assignment.Scope),
                        assignment.ScopeKey,
                        Name(assignment.Purpose),
                        RecoveryJson.Serialize(assignment)).ConfigureAwait(false);
                }
            }

            if (changes.Quarantine.Count > 0)
            {
                var insert = batch.Prepare(InsertQuarantineSql, "$company", "$source", "$at", "$payload");
                foreach (var record in changes.Quarantine)
                {
                    await Batch.ExecuteAsync(insert, cancellationToken, company, record.Source, Ticks(record.At), RecoveryJson.Serialize(record)).ConfigureAwait(false);
                }
            }

            if (changes.Cursors.Count > 0)
            {
                var upsert = batch.Prepare(UpsertCursorSql, "$company", "$source", "$cursor");
                foreach (var cursor in changes.Cursors)
                {
                    await Batch.ExecuteAsync(upsert, cancellationToken, company, cursor.Source, cursor.Cursor).ConfigureAwait(false);
                }
            }

            // Past this point the commit is not cancelled: the change set is applied whole.
            cancellationToken.ThrowIfCancellationRequested();
            await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        }
        finally
        {
            batch.Dispose();
        }
    }

    /// <summary>The prepared commands of one commit, disposed together.</summary>
    private sealed class Batch(SqliteConnection connection, SqliteTransaction transaction) : IDisposable
    {
        private readonly List<SqliteCommand> _commands = [];

        public SqliteCommand Prepare(string sql, params string[] parameterNames)
        {
            var command = connection.CreateCommand();
            _commands.Add(command);
            command.Transaction = transaction;
            command.CommandText = sql;
            foreach (var name in parameterNames)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = name });
            }

            command.Prepare();
            return command;
        }

        public static void Bind(SqliteCommand command, params object?[] values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i] ?? DBNull.Value;
            }
        }

        public static Task<int> ExecuteAsync(SqliteCommand command, CancellationToken cancellationToken, params object?[] values)
        {
            Bind(command, values);
            return command.ExecuteNonQueryAsync(cancellationToken);
        }

        public void Dispose()
        {
            foreach (var command in _commands)
            {
                command.Dispose();
            }
        }
    }
}
