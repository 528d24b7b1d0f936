using CreditRecovery.Testing;
using Npgsql;

namespace CreditRecovery.Storage.Resilience.Tests;

/// <summary>One throw-away PostgreSQL server for the tests that need it.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "PostgreSQL";
}

/// <summary>
/// Starts the server on first use. Where PostgreSQL is missing outside CI the tests are skipped by
/// <see cref="PostgreSqlFactAttribute"/> and the server is never started; on CI a missing server fails the tests.
/// </summary>
public sealed class PostgreSqlFixture : IDisposable
{
    private readonly Lazy<PostgreSqlServer> _server = new(PostgreSqlServer.Start, LazyThreadSafetyMode.ExecutionAndPublication);

    public PostgreSqlServer Server => _server.Value;

    public void Dispose()
    {
        if (_server.IsValueCreated)
        {
            NpgsqlConnection.ClearAllPools();
            _server.Value.Dispose();
        }
    }
}
