using CreditRecovery.Testing;
using Npgsql;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>One throw-away PostgreSQL server for the whole test assembly.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// Starts the server for the collection. Where PostgreSQL is missing outside CI the tests are skipped by
/// <see cref="PostgreSqlFactAttribute"/> and the server is never started; on CI a missing server fails every test.
/// </summary>
public sealed class PostgreSqlFixture : IDisposable
{
    private readonly Lazy<PostgreSqlServer> _server = new(PostgreSqlServer.Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public PostgreSqlServer Server => _server.Value;

    /// <summary>A new empty database; the store creates its schema in it.</summary>
    public Task<string> CreateDatabaseAsync(string prefix) => Server.CreateDatabaseAsync(prefix);

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            NpgsqlConnection.ClearAllPools();
            _server.Value.Dispose();
        }
    }
}
