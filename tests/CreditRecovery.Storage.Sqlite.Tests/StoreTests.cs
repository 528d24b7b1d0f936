using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing.StoreContract;
using Microsoft.Data.Sqlite;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Storage.Sqlite.Tests;

/// <summary>
/// What only the SQLite store has: the file, its schema version, WAL, locking and triggers. The behaviour of the port is
/// tested by <see cref="SqliteStoreContractTests"/>.
/// </summary>
public sealed class StoreTests : IAsyncLifetime
{
    private readonly TestDatabase _db = new();
    private SqliteRecoveryStore _store = null!;

    public Task InitializeAsync()
    {
        _store = _db.Open();
        return System.Threading.Tasks.Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _db.DisposeAsync();

    [Fact]
    public async Task History_is_append_only_in_the_database()
    {
        await _store.CommitAsync(Everything(Acme));
        using var connection = _db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM history;";
        var error = Assert.Throws<SqliteException>(() => command.ExecuteNonQuery());
        Assert.Contains("append-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_commit_waits_for_another_writer()
    {
        using var other = _db.Connect();
        using (var begin = other.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            begin.ExecuteNonQuery();
        }

        var changes = new RecoveryChangeSet(Acme);
        changes.Customers.Add(Customer(Acme, "C001"));
        var pending = System.Threading.Tasks.Task.Run(async () => await _store.CommitAsync(changes));
        await System.Threading.Tasks.Task.Delay(300);
        Assert.False(pending.IsCompleted);
        using (var rollback = other.CreateCommand())
        {
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }

        await pending;
        Assert.NotNull(await _store.GetCustomerAsync(Acme, "C001"));
    }

    [Fact]
    public void Transactions_that_are_not_deferred_take_the_write_lock_at_once()
    {
        // The store relies on BeginTransaction(deferred: false) issuing BEGIN IMMEDIATE.
        using var first = _db.Connect();
        using var transaction = first.BeginTransaction(deferred: false);
        using var second = _db.Connect();
        using (var noWait = second.CreateCommand())
        {
            noWait.CommandText = "PRAGMA busy_timeout = 0;";
            noWait.ExecuteNonQuery();
        }

        using var begin = second.CreateCommand();
        begin.CommandText = "BEGIN IMMEDIATE;";
        begin.CommandTimeout = 1;
        var error = Assert.Throws<SqliteException>(() => begin.ExecuteNonQuery());
        Assert.Equal(5, error.SqliteErrorCode); // SQLITE_BUSY
    }

    [Fact]
    public async Task Data_survives_reopening_the_file()
    {
        var changes = Everything(Acme);
        await _store.CommitAsync(changes);
        await _store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await _store.GetCaseAsync(Acme, Key("K1")));

        var reopened = _db.Open();
        DeepAssert.Equal(changes.Cases[0].Case, (await reopened.GetCaseAsync(Acme, Key("K1")))!);
        DeepAssert.SequenceEqual(changes.History, await reopened.ReadHistoryAsync(Acme, Key("K1")).ToListAsync());
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion, _db.Scalar("SELECT max(version) FROM schema_version;"));
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion, _db.Scalar("SELECT count(*) FROM schema_version;"));

        // The port leaves their order open; this store orders procedure assignments by the scope's name.
        Assert.Equal(
            [ProcedureScope.Company, ProcedureScope.Customer],
            (await reopened.ReadProcedureAssignmentsAsync(Acme).ToListAsync()).Select(p => p.Scope));
    }

    [Fact]
    public void The_database_runs_in_wal_mode()
    {
        using var connection = _db.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode;";
        Assert.Equal("wal", command.ExecuteScalar() as string);
    }

    [Fact]
    public async Task A_database_with_a_newer_schema_is_refused()
    {
        await _store.DisposeAsync();
        using (var connection = _db.Connect())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = "INSERT INTO schema_version (version, name, applied_at) VALUES ($v, 'from_the_future', '2099-01-01');";
            command.Parameters.AddWithValue("$v", SqliteRecoveryStore.SupportedSchemaVersion + 1);
            command.ExecuteNonQuery();
        }

        var error = Assert.Throws<SqliteSchemaVersionException>(() => _db.Open());
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion + 1, error.DatabaseVersion);
        Assert.Equal(SqliteRecoveryStore.SupportedSchemaVersion, error.SupportedVersion);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shared_memory_database_works()
    {
        var options = new SqliteStoreOptions { ConnectionString = $"Data Source=mem-{Guid.NewGuid():N};Mode=Memory;Cache=Shared" };
        await using var store = new SqliteRecoveryStore(options);
        await store.CommitAsync(Everything(Acme));
        Assert.NotNull(await store.GetCaseAsync(Acme, Key("K1")));
    }

    [Fact]
    public void Bad_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => new SqliteRecoveryStore(new SqliteStoreOptions()));
        Assert.Throws<ArgumentException>(() => new SqliteRecoveryStore(new SqliteStoreOptions { ConnectionString = "Data Source=:memory:" }));
        Assert.Throws<ArgumentException>(() => new SqliteRecoveryStore(new SqliteStoreOptions { ConnectionString = "Data Source=a.db", DatabasePath = "b.db" }));
    }
}
