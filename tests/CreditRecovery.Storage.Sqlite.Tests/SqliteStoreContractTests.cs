using CreditRecovery.Ports;
using CreditRecovery.Testing.StoreContract;

namespace CreditRecovery.Storage.Sqlite.Tests;

/// <summary>The store contract on <see cref="SqliteRecoveryStore"/>, each test on a real file in its own temporary folder.</summary>
public sealed class SqliteStoreContractTests : RecoveryStoreContractTests
{
    private readonly TestDatabase _database = new();

    protected override Task<IRecoveryStore> CreateStoreAsync() => Task.FromResult<IRecoveryStore>(_database.Open());

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await _database.DisposeAsync();
    }
}
