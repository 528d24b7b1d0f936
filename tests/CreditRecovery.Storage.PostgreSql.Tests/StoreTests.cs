using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing;
using CreditRecovery.Testing.StoreContract;
using CreditRecovery.Work;
using Npgsql;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>
/// What only the PostgreSQL store has, each test on its own fresh database: its schema and migrations, triggers, JSON
/// payloads and connection strings. The behaviour of the port is tested by <see cref="PostgreSqlStoreContractTests"/>.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class StoreTests(PostgreSqlFixture fixture) : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private PostgreSqlRecoveryStore _store = null!;

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync(fixture, "store");
        _store = _db.Open();
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [PostgreSqlFact]
    public async Task Payloads_are_the_same_json_as_the_sqlite_store_writes()
    {
        var changes = new RecoveryChangeSet(Acme);
        changes.Cases.Add(new CaseWrite(PreciseCase(Acme, "K1"), 0));
        await _store.CommitAsync(changes);
        await using var connection = await _db.ConnectAsync();
        await using var command = new NpgsqlCommand("SELECT payload::text FROM cases;", connection);
        var json = (string)(await command.ExecuteScalarAsync())!;

        // json (not jsonb) keeps the payload verbatim: the decimal's digits and scale survive.
        Assert.Equal(Json.RecoveryJson.Serialize(changes.Cases[0].Case), json);
        Assert.Contains("\"openResidual\":{\"amount\":123456789012345678.0123456789,\"currency\":\"EUR\"}", json, StringComparison.Ordinal);
        Assert.DoesNotContain("isOpen", json, StringComparison.Ordinal);
    }

    [PostgreSqlFact]
    public async Task History_is_append_only_in_the_database()
    {
        await _store.CommitAsync(Everything(Acme));
        foreach (var sql in new[] { "DELETE FROM history;", "UPDATE history SET case_version = 9;", "TRUNCATE history;" })
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => _db.ExecuteAsync(sql));
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }

        Assert.Equal(2, await _db.ScalarAsync("SELECT count(*) FROM history;"));
    }

    [PostgreSqlFact]
    public async Task Every_table_but_operators_is_scoped_by_company()
    {
        await using var connection = await _db.ConnectAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT t.table_name FROM information_schema.tables t
            WHERE t.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
              AND t.table_name NOT IN ('schema_version', 'operators')
              AND NOT EXISTS (SELECT 1 FROM information_schema.columns c
                              WHERE c.table_schema = t.table_schema AND c.table_name = t.table_name AND c.column_name = 'company' AND c.is_nullable = 'NO');
            """,
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        var unscoped = new List<string>();
        while (await reader.ReadAsync())
        {
            unscoped.Add(reader.GetString(0));
        }

        Assert.Empty(unscoped);
    }

    [PostgreSqlFact]
    public async Task Upserts_replace_rows_and_do_not_add_them()
    {
        await _store.CommitAsync(Everything(Acme));
        var second = new RecoveryChangeSet(Acme);
        second.Customers.Add(Customer(Acme, "C001", "Renamed"));
        second.Outbox.Add(Outbox(Acme, "m1", status: OutboxStatus.Sent));
        await _store.CommitAsync(second);

        Assert.Equal(1, await _db.ScalarAsync("SELECT count(*) FROM customers;"));
        Assert.Equal(1, await _db.ScalarAsync("SELECT count(*) FROM outbox;"));
    }

    [PostgreSqlFact]
    public async Task Data_survives_reopening_the_store()
    {
        var changes = Everything(Acme);
        await _store.CommitAsync(changes);
        await _store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await _store.GetCaseAsync(Acme, Key("K1")));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await _store.CommitAsync(Everything(Beta)));

        var reopened = _db.Open();
        DeepAssert.Equal(changes.Cases[0].Case, (await reopened.GetCaseAsync(Acme, Key("K1")))!);
        DeepAssert.SequenceEqual(changes.History, await reopened.ReadHistoryAsync(Acme, Key("K1")).ToListAsync());
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion, await _db.ScalarAsync("SELECT max(version) FROM schema_version;"));
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion, await _db.ScalarAsync("SELECT count(*) FROM schema_version;"));

        // The port leaves their order open; this store orders procedure assignments by the scope's name.
        Assert.Equal(
            [ProcedureScope.Company, ProcedureScope.Customer],
            (await reopened.ReadProcedureAssignmentsAsync(Acme).ToListAsync()).Select(p => p.Scope));
    }

    [PostgreSqlFact]
    public async Task A_database_with_a_newer_schema_is_refused()
    {
        await _store.DisposeAsync();
        await _db.ExecuteAsync($"INSERT INTO schema_version (version, name) VALUES ({PostgreSqlRecoveryStore.SupportedSchemaVersion + 1}, 'from_the_future');");

        var error = Assert.Throws<PostgreSqlSchemaVersionException>(() => _db.Open());
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion + 1, error.DatabaseVersion);
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion, error.SupportedVersion);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", error.Message, StringComparison.Ordinal);

        // Nothing was changed by the refused open.
        Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion + 1, await _db.ScalarAsync("SELECT count(*) FROM schema_version;"));
    }

    [PostgreSqlFact]
    public async Task Stores_opening_an_empty_database_together_migrate_it_once()
    {
        var db = await TestDatabase.CreateAsync(fixture, "migrate");
        await using (db)
        {
            var stores = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 4).Select(_ => System.Threading.Tasks.Task.Run(db.Open)));
            Assert.Equal(4, stores.Length);
            Assert.Equal(PostgreSqlRecoveryStore.SupportedSchemaVersion, await db.ScalarAsync("SELECT count(*) FROM schema_version;"));
            await stores[0].CommitAsync(Everything(Acme));
            Assert.NotNull(await stores[3].GetCaseAsync(Acme, Key("K1")));
        }
    }

    [PostgreSqlFact]
    public void Bad_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new PostgreSqlRecoveryStore(new PostgreSqlStoreOptions()));
        Assert.Throws<ArgumentException>(() => new PostgreSqlRecoveryStore("Database=x"));
        Assert.Throws<ArgumentException>(() => new PostgreSqlRecoveryStore("Host=127.0.0.1;Nonsense=1"));
        Assert.Throws<ArgumentException>(() => new PostgreSqlRecoveryStore("Host=127.0.0.1;Multiplexing=true"));
    }

    [PostgreSqlFact]
    public void The_data_source_names_no_credentials()
    {
        var builder = new NpgsqlConnectionStringBuilder(_db.ConnectionString) { Password = "s3cret-pw" };
        var options = new PostgreSqlStoreOptions { ConnectionString = builder.ToString() };
        Assert.DoesNotContain("s3cret", options.ToString(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", _store.DataSource, StringComparison.Ordinal);
        Assert.StartsWith("127.0.0.1:", _store.DataSource, StringComparison.Ordinal);
    }
}
