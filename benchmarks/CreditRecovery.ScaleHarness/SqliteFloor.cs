using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.ScaleHarness;

/// <summary>What the engine wrote for one customer in the measured run: rows and bytes per table.</summary>
public sealed record CustomerWrites(int Cases, long CaseBytes, int History, long HistoryBytes, int Outbox, long OutboxBytes, int Tasks, long TaskBytes);

/// <summary>What a floor run did.</summary>
/// <param name="DueRows">Due rows read.</param>
/// <param name="Transactions">Transactions committed (one per customer the engine committed).</param>
/// <param name="CaseRows">Case rows updated.</param>
/// <param name="HistoryRows">History rows inserted.</param>
/// <param name="OutboxRows">Outbox rows inserted.</param>
/// <param name="TaskRows">Task rows inserted.</param>
public sealed record FloorResult(int DueRows, int Transactions, int CaseRows, int HistoryRows, int OutboxRows, int TaskRows)
{
    /// <summary>Rows written, all tables.</summary>
    public long RowsWritten => (long)CaseRows + HistoryRows + OutboxRows + TaskRows;
}

/// <summary>
/// The physical floor of the daily run on the SQLite store: a raw ADO.NET loop on a copy of the same database taken
/// just before the engine's run. It reads the same due rows with the same query (payload text included, nothing
/// parsed; the read is closed before writing), and for every customer the engine committed it writes, in one <c>BEGIN IMMEDIATE</c> transaction as the
/// engine does, the same number of case updates (the same columns, so the same indexes), history, outbox and task rows
/// with payloads of the same size, through
/// prepared statements and a reader on its own connection (as the store does). No JSON, no rules, no objects.
/// </summary>
public static class SqliteFloor
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    /// <summary>Reads, from the engine's database after its run and the copy taken before it, what the engine wrote per customer.</summary>
    /// <param name="engineDb">The engine's database file.</param>
    /// <param name="copyDb">The copy taken before the run.</param>
    /// <param name="company">The company.</param>
    public static Dictionary<string, CustomerWrites> Plan(string engineDb, string copyDb, CompanyId company)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = engineDb, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
        connection.Open();
        using (var attach = connection.CreateCommand())
        {
            attach.CommandText = "ATTACH DATABASE $path AS pre;";
            attach.Parameters.AddWithValue("$path", copyDb);
            attach.ExecuteNonQuery();
        }

        var rows = new Dictionary<string, long[]>(StringComparer.Ordinal);
        void Read(string sql, int slot)
        {
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$company", company.Value);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                var code = reader.GetString(0);
                if (!rows.TryGetValue(code, out var counts))
                {
                    counts = new long[8];
                    rows[code] = counts;
                }

                counts[slot] = reader.GetInt64(1);
                counts[slot + 1] = reader.GetInt64(2);
            }
        }

        Read("""
            SELECT c.customer_code, count(*), sum(length(c.payload)) FROM main.cases c JOIN pre.cases p ON p.company = c.company AND p.key = c.key
            WHERE c.company = $company AND c.version > p.version GROUP BY c.customer_code;
            """, 0);
        Read("""
            SELECT c.customer_code, count(*), sum(length(h.payload)) FROM main.history h JOIN main.cases c ON c.company = h.company AND c.key = h.case_key
            WHERE h.company = $company AND h.seq > (SELECT coalesce(max(seq), 0) FROM pre.history) GROUP BY c.customer_code;
            """, 2);
        Read("""
            SELECT o.customer_code, count(*), sum(length(o.payload)) FROM main.outbox o LEFT JOIN pre.outbox p ON p.company = o.company AND p.id = o.id
            WHERE o.company = $company AND (p.id IS NULL OR p.payload <> o.payload) GROUP BY o.customer_code;
            """, 4);
        Read("""
            SELECT t.customer_code, count(*), sum(length(t.payload)) FROM main.tasks t LEFT JOIN pre.tasks p ON p.company = t.company AND p.id = t.id
            WHERE t.company = $company AND (p.id IS NULL OR p.payload <> t.payload) GROUP BY t.customer_code;
            """, 6);
        return rows.ToDictionary(
            x => x.Key,
            x => new CustomerWrites((int)x.Value[0], x.Value[1], (int)x.Value[2], x.Value[3], (int)x.Value[4], x.Value[5], (int)x.Value[6], x.Value[7]),
            StringComparer.Ordinal);
    }

    /// <summary>Runs the floor on <paramref name="database"/> (the copy).</summary>
    /// <param name="database">The copy of the store taken before the engine's run.</param>
    /// <param name="company">The company.</param>
    /// <param name="date">The business date.</param>
    /// <param name="plan">What to write per customer (<see cref="Plan"/>).</param>
    /// <param name="createdAt">The instant written on outbox rows.</param>
    public static FloorResult Run(string database, CompanyId company, LocalDate date, IReadOnlyDictionary<string, CustomerWrites> plan, Instant createdAt)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = database, Pooling = true, DefaultTimeout = 30 }.ToString();
        using var reading = Open(connectionString);
        using var writing = Open(connectionString);
        using var read = reading.CreateCommand();
        read.CommandText = """
            SELECT key, customer_code, version, payload, status, due_date, currency, residual, residual_units, payment_type FROM cases WHERE company = $company AND status <> 'Closed' AND next_action_date <= $until
            ORDER BY customer_code COLLATE BINARY, key COLLATE BINARY;
            """;
        read.Parameters.AddWithValue("$company", company.Value);
        read.Parameters.AddWithValue("$until", Iso.Format(date));

        var next = Iso.Format(date.PlusDays(1));
        var ticks = createdAt.ToUnixTimeTicks();
        var due = new List<(string Key, string Customer, long Version, object[] Columns)>();
        var dueRows = 0;
        var transactions = 0;
        int caseRows = 0, historyRows = 0, outboxRows = 0, taskRows = 0;

        // Read every due row first and close the read, as the engine does: a read left open across the commits would keep
        // SQLite's write-ahead log from being checkpointed.
        using (var reader = read.ExecuteReader())
        {
            while (reader.Read())
            {
                _ = reader.GetString(3);
                var columns = new object[6];
                for (var c = 0; c < columns.Length; c++)
                {
                    columns[c] = reader.GetValue(4 + c);
                }

                due.Add((reader.GetString(0), reader.GetString(1), reader.GetInt64(2), columns));
                dueRows++;
            }
        }

        var group = new List<(string Key, long Version, object[] Columns)>();
        string? customer = null;
        foreach (var (key, code, version, columns) in due)
        {
            if (customer is not null && !string.Equals(customer, code, StringComparison.Ordinal))
            {
                Write(customer, group);
                group.Clear();
            }

            customer = code;
            group.Add((key, version, columns));
        }

        if (customer is not null)
        {
            Write(customer, group);
        }

        return new FloorResult(dueRows, transactions, caseRows, historyRows, outboxRows, taskRows);

        void Write(string code, List<(string Key, long Version, object[] Columns)> cases)
        {
            if (!plan.TryGetValue(code, out var w))
            {
                return;
            }

            using var transaction = writing.BeginTransaction(deferred: false);
            using var update = Prepare(writing, transaction, """
                UPDATE cases SET next_action_date = $next, version = version + 1, payload = $payload, customer_code = $customer, status = $status,
                    due_date = $due_date, currency = $currency, residual = $residual, residual_units = $residual_units, payment_type = $payment_type
                WHERE company = $company AND key = $key AND version = $version;
                """, "$next", "$payload", "$company", "$key", "$version", "$customer", "$status", "$due_date", "$currency", "$residual", "$residual_units", "$payment_type");
            using var history = Prepare(writing, transaction, "INSERT INTO history (company, case_key, case_version, payload) VALUES ($company, $key, $version, $payload);", "$company", "$key", "$version", "$payload");
            using var outbox = Prepare(writing, transaction, "INSERT INTO outbox (company, id, customer_code, status, created_at, payload) VALUES ($company, $id, $customer, 'Pending', $at, $payload);", "$company", "$id", "$customer", "$at", "$payload");
            using var task = Prepare(writing, transaction, "INSERT INTO tasks (company, id, customer_code, assigned_to, status, due_on, payload) VALUES ($company, $id, $customer, 'anna', 'Open', $due, $payload);", "$company", "$id", "$customer", "$due", "$payload");
            for (var i = 0; i < w.Cases && i < cases.Count; i++)
            {
                var c = cases[i].Columns;
                Execute(update, next, Payload(w.CaseBytes, w.Cases), company.Value, cases[i].Key, cases[i].Version, code, c[0], c[1], c[2], c[3], c[4], c[5]);
            }

            for (var i = 0; i < w.History; i++)
            {
                Execute(history, company.Value, cases[i % cases.Count].Key, cases[i % cases.Count].Version + 1, Payload(w.HistoryBytes, w.History));
            }

            for (var i = 0; i < w.Outbox; i++)
            {
                Execute(outbox, company.Value, $"floor/{code}/{i}", code, ticks, Payload(w.OutboxBytes, w.Outbox));
            }

            for (var i = 0; i < w.Tasks; i++)
            {
                Execute(task, company.Value, $"floor-task/{code}/{i}", code, Iso.Format(date), Payload(w.TaskBytes, w.Tasks));
            }

            transaction.Commit();
            transactions++;
            caseRows += Math.Min(w.Cases, cases.Count);
            historyRows += w.History;
            outboxRows += w.Outbox;
            taskRows += w.Tasks;
        }
    }

    private static string Payload(long bytes, int rows) => new('x', (int)(bytes / Math.Max(1, rows)));

    private static SqliteConnection Open(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var setup = connection.CreateCommand();
        setup.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;";
        setup.ExecuteNonQuery();
        return connection;
    }

    private static SqliteCommand Prepare(SqliteConnection connection, SqliteTransaction transaction, string sql, params string[] names)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var name in names)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        command.Prepare();
        return command;
    }

    private static void Execute(SqliteCommand command, params object[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i];
        }

        command.ExecuteNonQuery();
    }
}
