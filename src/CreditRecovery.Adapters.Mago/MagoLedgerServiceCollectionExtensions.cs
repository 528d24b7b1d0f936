using CreditRecovery.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Adapters.Mago;

/// <summary>Registers the Mago ledger source.</summary>
public static class MagoLedgerServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="MagoLedgerSource"/> as the <see cref="ILedgerSource"/> singleton (unless a ledger source is already
    /// registered), with its options validated on start (<c>ValidateOnStart</c>): the provider name and the connection string
    /// are required. Validation messages never show the connection string.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.ConnectionString = configuration["Mago:ConnectionString"]</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddMagoLedger(this IServiceCollection services, Action<MagoLedgerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<MagoLedgerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MagoLedgerOptions>, MagoLedgerOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            // Hosts without the Generic Host never run ValidateOnStart: resolving the options validates them too.
            var options = sp.GetRequiredService<IOptions<MagoLedgerOptions>>().Value;
            return new MagoLedgerSource(options, sp.GetService<ILogger<MagoLedgerSource>>());
        });
        services.TryAddSingleton<ILedgerSource>(sp => sp.GetRequiredService<MagoLedgerSource>());
        return services;
    }

    private sealed class MagoLedgerOptionsValidator : IValidateOptions<MagoLedgerOptions>
    {
        public ValidateOptionsResult Validate(string? name, MagoLedgerOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
