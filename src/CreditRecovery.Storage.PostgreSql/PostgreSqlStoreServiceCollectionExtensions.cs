using CreditRecovery.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Storage.PostgreSql;

/// <summary>Registers the PostgreSQL store.</summary>
public static class PostgreSqlStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PostgreSqlRecoveryStore"/> as the <see cref="IRecoveryStore"/> singleton (unless a store
    /// is already registered), with its options validated on start: a valid connection string naming a host is
    /// required. Validation messages never quote the connection string.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.ConnectionString = configuration.GetConnectionString("Recovery")</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCreditRecoveryPostgreSqlStore(this IServiceCollection services, Action<PostgreSqlStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<PostgreSqlStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PostgreSqlStoreOptions>, PostgreSqlStoreOptionsValidator>());
        services.TryAddSingleton(sp => new PostgreSqlRecoveryStore(sp.GetRequiredService<IOptions<PostgreSqlStoreOptions>>().Value));
        services.TryAddSingleton<IRecoveryStore>(sp => sp.GetRequiredService<PostgreSqlRecoveryStore>());
        return services;
    }

    private sealed class PostgreSqlStoreOptionsValidator : IValidateOptions<PostgreSqlStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, PostgreSqlStoreOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
