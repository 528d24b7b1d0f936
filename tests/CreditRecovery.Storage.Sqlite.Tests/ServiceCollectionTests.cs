using CreditRecovery.Ports;
using CreditRecovery.Testing.StoreContract;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Storage.Sqlite.Tests;

public sealed class ServiceCollectionTests
{
    [Fact]
    public async Task Registers_the_store_as_a_singleton()
    {
        await using var db = new TestDatabase();
        var services = new ServiceCollection().AddCreditRecoverySqliteStore(o => o.DatabasePath = db.FilePath);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = provider.GetRequiredService<IRecoveryStore>();
        Assert.IsType<SqliteRecoveryStore>(store);
        Assert.Same(store, provider.GetRequiredService<IRecoveryStore>());
        Assert.Same(store, provider.GetRequiredService<SqliteRecoveryStore>());
        Assert.Null(await store.GetCaseAsync(ContractSamples.Acme, new InstallmentKey("K")));
    }

    [Fact]
    public void Keeps_a_store_registered_before()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRecoveryStore>(_ => throw new InvalidOperationException("not built"));
        services.AddCreditRecoverySqliteStore(o => o.DatabasePath = "unused.db");
        Assert.Single(services, d => d.ServiceType == typeof(IRecoveryStore));
    }

    [Fact]
    public async Task Validates_the_options()
    {
        var services = new ServiceCollection().AddCreditRecoverySqliteStore(_ => { });
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<SqliteStoreOptions>>().Value);
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);

        // ValidateOnStart registers the startup validator that hosts run.
        var startup = provider.GetRequiredService<IStartupValidator>();
        Assert.Throws<OptionsValidationException>(startup.Validate);
    }
}
