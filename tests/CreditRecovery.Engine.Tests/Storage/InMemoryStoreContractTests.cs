using CreditRecovery.Ports;
using CreditRecovery.Testing;
using CreditRecovery.Testing.StoreContract;

namespace CreditRecovery.Engine.Tests.Storage;

/// <summary>The store contract on <see cref="InMemoryRecoveryStore"/>.</summary>
public sealed class InMemoryStoreContractTests : RecoveryStoreContractTests
{
    protected override Task<IRecoveryStore> CreateStoreAsync() => Task.FromResult<IRecoveryStore>(new InMemoryRecoveryStore());

}
