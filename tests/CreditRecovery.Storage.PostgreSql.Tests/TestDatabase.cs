using CreditRecovery.Testing;
using System.Globalization;
using Npgsql;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>A fresh database on the shared test server; its stores are disposed with it.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly List<PostgreSqlRecoveryStore> _stores = [];

    private TestDatabase(string connectionString) => ConnectionString = connectionString;

    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(PostgreSqlFixture fixture, string prefix) =>
        new(await fixture.CreateDatabaseAsync(prefix));

    /// <summary>Opens a store on the database (its own connection pool, as another worker would have).</summary>
    public PostgreSqlRecoveryStore Open()
    {
        var store = new PostgreSqlRecoveryStore(new PostgreSqlStoreOptions { ConnectionString = ConnectionString });
        lock (_stores)
        {
            _stores.Add(store);
        }

        return store;
    }

    /// <summary>A raw connection, for checks and interference the port does not expose.</summary>
    public async Task<NpgsqlConnection> ConnectAsync()
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ConnectionString) { Pooling = false }.ToString());
        await connection.OpenAsync();
        return connection;
    }

    public async Task<long> ScalarAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt64(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = await ConnectAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }
}
