using Npgsql;

namespace CreditRecovery.Testing;

/// <summary>
/// One throw-away PostgreSQL server shared by a test collection, started on first use. Each test assembly declares its
/// own <c>[CollectionDefinition]</c> with <c>ICollectionFixture&lt;PostgreSqlFixture&gt;</c> (xunit needs it there).
/// Where PostgreSQL is missing outside CI the tests are skipped by <see cref="PostgreSqlFactAttribute"/> and the server is
/// never started; on CI a missing server fails the tests.
/// </summary>
public sealed class PostgreSqlFixture : IDisposable
{
    private readonly Lazy<PostgreSqlServer> _server = new(PostgreSqlServer.Start, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The server, started on first access.</summary>
    public PostgreSqlServer Server => _server.Value;

    /// <summary>A new empty database on the server; returns its connection string.</summary>
    /// <param name="prefix">A prefix for the database name.</param>
    public Task<string> CreateDatabaseAsync(string prefix) => Server.CreateDatabaseAsync(prefix);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            NpgsqlConnection.ClearAllPools();
            _server.Value.Dispose();
        }
    }
}
