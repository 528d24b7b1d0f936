using CreditRecovery.Ports;
using CreditRecovery.Testing;
using CreditRecovery.Testing.StoreContract;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Storage.PostgreSql.Tests;

[Collection(PostgreSqlCollection.Name)]
public sealed class ServiceCollectionTests(PostgreSqlFixture fixture)
{
    [PostgreSqlFact]
    public async Task Registers_the_store_as_a_singleton()
    {
        await using var db = await TestDatabase.CreateAsync(fixture, "di");
        var services = new ServiceCollection().AddCreditRecoveryPostgreSqlStore(o => o.ConnectionString = db.ConnectionString);
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = provider.GetRequiredService<IRecoveryStore>();
        Assert.IsType<PostgreSqlRecoveryStore>(store);
        Assert.Same(store, provider.GetRequiredService<IRecoveryStore>());
        Assert.Same(store, provider.GetRequiredService<PostgreSqlRecoveryStore>());
        Assert.Null(await store.GetCaseAsync(ContractSamples.Acme, new InstallmentKey("K")));
    }

    [Fact]
    public void Keeps_a_store_registered_before()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRecoveryStore>(_ => throw new InvalidOperationException("not built"));
        services.AddCreditRecoveryPostgreSqlStore(o => o.ConnectionString = "Host=unused");
        Assert.Single(services, d => d.ServiceType == typeof(IRecoveryStore));
    }

    [Fact]
    public async Task Validates_the_options()
    {
        var services = new ServiceCollection().AddCreditRecoveryPostgreSqlStore(_ => { });
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value);
        Assert.Contains("ConnectionString", error.Message, StringComparison.Ordinal);

        // ValidateOnStart registers the startup validator that hosts run.
        var startup = provider.GetRequiredService<IStartupValidator>();
        Assert.Throws<OptionsValidationException>(startup.Validate);
    }

    [Theory]
    [InlineData("Password=s3cret-pw;Database=x")] // no host
    [InlineData("Host=db;Password=s3cret-pw;Bogus Keyword=s3cret-pw")] // unknown keyword
    [InlineData("Host=db;Port=s3cret-pw")] // bad value
    [InlineData("Host=db;Password=s3cret-pw;Multiplexing=true")]
    public async Task Validation_messages_never_quote_the_connection_string(string connectionString)
    {
        var services = new ServiceCollection().AddCreditRecoveryPostgreSqlStore(o => o.ConnectionString = connectionString);
        await using var provider = services.BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value);
        Assert.DoesNotContain("s3cret", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", new PostgreSqlStoreOptions { ConnectionString = connectionString }.ToString(), StringComparison.Ordinal);
        var direct = Assert.Throws<ArgumentException>(() => new PostgreSqlRecoveryStore(connectionString));
        Assert.DoesNotContain("s3cret", direct.Message, StringComparison.Ordinal);
    }
}
