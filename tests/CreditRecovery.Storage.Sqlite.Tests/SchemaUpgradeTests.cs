using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Storage.Sqlite.Schema;
using CreditRecovery.Testing.StoreContract;
using CreditRecovery.Work;
using Microsoft.Data.Sqlite;
using NodaTime;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Storage.Sqlite.Tests;

/// <summary>
/// A database written by an older release (schema version 1, before leases and report columns) is upgraded in place
/// when the current store opens it, without losing data (issue 4), and its report columns are backfilled (issue 7).
/// </summary>
public sealed class SchemaUpgradeTests : IAsyncLifetime
{
    private readonly TestDatabase _reference = new();
    private readonly TestDatabase _old = new();

    public Task InitializeAsync() => System.Threading.Tasks.Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _reference.DisposeAsync();
        await _old.DisposeAsync();
    }

    [Fact]
    public async Task A_version_1_database_is_upgraded_without_data_loss_and_gets_leases()
    {
        // The rows, written by the current store into a reference database.
        var reference = _reference.Open();
        await reference.CommitAsync(Everything(Acme));
        await reference.CommitAsync(Everything(Beta, "b-"));
        var next = (await reference.GetCaseAsync(Acme, Key("K1")))!;
        var write = new RecoveryChangeSet(Acme);
        write.Cases.Add(new CaseWrite(next with { Version = 2, Status = CaseStatus.Overdue }, 1));
        write.History.Add(Event(Acme, "K1", 2, "DueDatePassed"));
        await reference.CommitAsync(write);

        // A version-1 database, made by hand the way SchemaMigrator does, with the same rows copied in by raw SQL.
        Directory.CreateDirectory(Path.GetDirectoryName(_old.FilePath)!);
        using (var connection = _old.Connect())
        {
            var v1 = SchemaMigrator.Migrations.Single(m => m.Version == 1);
            Execute(connection, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;");
            Execute(connection, v1.Sql);
            Execute(connection, $"INSERT INTO schema_version (version, name, applied_at) VALUES (1, '{v1.Name}', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));");
            Assert.Equal(0L, Scalar(connection, "SELECT count(*) FROM sqlite_master WHERE name = 'leases';"));

            SqliteConnection.ClearAllPools();
            Execute(connection, $"ATTACH DATABASE '{_reference.FilePath.Replace("'", "''", StringComparison.Ordinal)}' AS ref;");
            var tables = new List<string>();
            using (var list = connection.CreateCommand())
            {
                list.CommandText = "SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT IN ('schema_version', 'sqlite_sequence') ORDER BY name;";
                using var reader = list.ExecuteReader();
                while (reader.Read())
                {
                    tables.Add(reader.GetString(0));
                }
            }

            Assert.Contains("cases", tables);
            // Referenced tables first (operator_companies references operators).
            foreach (var table in tables.OrderBy(t => t == "operators" ? 0 : 1))
            {
                // Only the version-1 columns: the report columns of version 3 must be filled by the upgrade itself.
                var columns = string.Join(", ", Columns(connection, table));
                Execute(connection, $"INSERT INTO main.{table} ({columns}) SELECT {columns} FROM ref.{table};");
            }

            Execute(connection, "DETACH DATABASE ref;");
        }

        // The current store opens it, migrates it to the latest version and reads every row as the reference does.
        var upgraded = _old.Open();
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion, _old.Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal(2L, _old.Scalar("SELECT count(*) FROM schema_version WHERE version IN (1, 2);"));
        foreach (var company in new[] { Acme, Beta })
        {
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadCustomersAsync(company)), await ReadAsync(upgraded.ReadCustomersAsync(company)));
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadCasesAsync(company, CaseFilter.All)), await ReadAsync(upgraded.ReadCasesAsync(company, CaseFilter.All)));
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadHistoryAsync(company, Key("K1"))), await ReadAsync(upgraded.ReadHistoryAsync(company, Key("K1"))));
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadOutboxAsync(company, OutboxStatus.Pending)), await ReadAsync(upgraded.ReadOutboxAsync(company, OutboxStatus.Pending)));
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadTasksAsync(company, new TaskFilter())), await ReadAsync(upgraded.ReadTasksAsync(company, new TaskFilter())));
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadActivitiesAsync(company, "C001")), await ReadAsync(upgraded.ReadActivitiesAsync(company, "C001")));
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadAgendaAsync(company, null, Today)), await ReadAsync(upgraded.ReadAgendaAsync(company, null, Today)));
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadOperatorsAsync(company)), await ReadAsync(upgraded.ReadOperatorsAsync(company)));
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadAssignmentsAsync(company)), await ReadAsync(upgraded.ReadAssignmentsAsync(company)));
            DeepAssert.SequenceEqual(await ReadAsync(reference.ReadQuarantineAsync(company)), await ReadAsync(upgraded.ReadQuarantineAsync(company)));
            Assert.Equal(await reference.GetCursorAsync(company, "mexal"), await upgraded.GetCursorAsync(company, "mexal"));
        }

        Assert.Equal(2L, (await upgraded.GetCaseAsync(Acme, Key("K1")))!.Version);

        // Version 3 backfilled the report columns and the responsibles: reports agree with the reference database.
        foreach (var dimension in Enum.GetValues<AgingDimension>())
        {
            foreach (var scope in new CustomerScope?[] { null, new([Op1], false), new([Op2], true) })
            {
                var query = new AgingQuery { AsOf = Today, GroupBy = dimension, Scope = scope };
                var expected = Testing.Reporting.ReportBook.Sorted(await ReadAsync(reference.ReadAgingAsync(Acme, query)));
                Assert.NotEmpty(expected);
                Assert.Equal(expected, Testing.Reporting.ReportBook.Sorted(await ReadAsync(upgraded.ReadAgingAsync(Acme, query))));
                var filter = new ReportCaseFilter { Scope = scope, DueOnOrBefore = Today.PlusDays(400) };
                Assert.Equal(
                    (await ReadAsync(reference.ReadReportCasesAsync(Acme, filter))).Select(c => c.Key),
                    (await ReadAsync(upgraded.ReadReportCasesAsync(Acme, filter))).Select(c => c.Key));
            }
        }

        // The upgraded database takes writes (version checks included) and leases.
        var stale = new RecoveryChangeSet(Acme);
        stale.Cases.Add(new CaseWrite(next with { Version = 2 }, 1));
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => upgraded.CommitAsync(stale).AsTask());
        var now = Instant.FromUtc(2025, 3, 31, 6, 0);
        Assert.True(await upgraded.TryAcquireLeaseAsync(Acme, "run/2025-03-31/0", "w1", now, Duration.FromMinutes(10)));
        Assert.False(await upgraded.TryAcquireLeaseAsync(Acme, "run/2025-03-31/0", "w2", now, Duration.FromMinutes(10)));

        // Opening it again changes nothing: the upgrade ran once.
        _ = _old.Open();
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion, _old.Scalar("SELECT count(*) FROM schema_version;"));
    }

    private static async Task<List<T>> ReadAsync<T>(IAsyncEnumerable<T> source)
    {
        var items = new List<T>();
        await foreach (var item in source)
        {
            items.Add(item);
        }

        return items;
    }

    private static List<string> Columns(SqliteConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT name FROM pragma_table_info('{table}', 'main') ORDER BY cid;";
        using var reader = command.ExecuteReader();
        var columns = new List<string>();
        while (reader.Read())
        {
            columns.Add(reader.GetString(0));
        }

        return columns;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
