using CreditRecovery.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Storage.Sqlite;

/// <summary>Registers the SQLite store.</summary>
public static class SqliteStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SqliteRecoveryStore"/> as the <see cref="IRecoveryStore"/> singleton (unless a store is
    /// already registered), with its options validated on start: a connection string or a database path is required.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.DatabasePath = "data/recovery.db"</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCreditRecoverySqliteStore(this IServiceCollection services, Action<SqliteStoreOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<SqliteStoreOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SqliteStoreOptions>, SqliteStoreOptionsValidator>());
        services.TryAddSingleton(sp => new SqliteRecoveryStore(sp.GetRequiredService<IOptions<SqliteStoreOptions>>().Value));
        services.TryAddSingleton<IRecoveryStore>(sp => sp.GetRequiredService<SqliteRecoveryStore>());
        return services;
    }

    private sealed class SqliteStoreOptionsValidator : IValidateOptions<SqliteStoreOptions>
    {
        public ValidateOptionsResult Validate(string? name, SqliteStoreOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
