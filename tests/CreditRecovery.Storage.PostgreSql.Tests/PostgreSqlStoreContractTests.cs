using CreditRecovery.Testing;
using CreditRecovery.Ports;
using CreditRecovery.Testing.StoreContract;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>
/// The store contract on <see cref="PostgreSqlRecoveryStore"/>, each test on its own fresh database of the shared
/// test server.
/// </summary>
/// <remarks>
/// The contract's tests are plain <c>[Fact]</c>s, so on a machine without PostgreSQL (outside CI) they fail with the
/// fixture's message ("PostgreSQL is required but cannot be started: ...") instead of being skipped.
/// </remarks>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlStoreContractTests(PostgreSqlFixture fixture) : RecoveryStoreContractTests
{
    private TestDatabase? _database;

    protected override async Task<IRecoveryStore> CreateStoreAsync()
    {
        _database = await TestDatabase.CreateAsync(fixture, "contract");
        return _database.Open();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
