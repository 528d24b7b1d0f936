using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CreditRecovery;

/// <summary>Registers the CreditRecovery engine in a service collection.</summary>
public static class CreditRecoveryServiceCollectionExtensions
{
    /// <summary>
    /// Adds the engine with its options, validated at start (<c>ValidateOnStart</c>): time zone, companies and every
    /// procedure. Register a store (e.g. <c>AddCreditRecoverySqliteStore</c>), a ledger source (an ERP adapter) and, for
    /// template checks, a template renderer. <see cref="IClock"/> defaults to the system clock.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddCreditRecovery(this IServiceCollection services, Action<CreditRecoveryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<CreditRecoveryOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<CreditRecoveryOptions>, CreditRecoveryOptionsValidator>());
        services.TryAddSingleton<IClock>(SystemClockProvider.Clock);
        services.TryAddSingleton(sp =>
        {
            // Hosts without the Generic Host never run ValidateOnStart: validate here too.
            sp.GetService<IStartupValidator>()?.Validate();
            var options = sp.GetRequiredService<IOptions<CreditRecoveryOptions>>().Value;
            return new CreditRecoveryEngine(options, sp.GetRequiredService<IRecoveryStore>(), sp.GetService<ILedgerSource>(), sp.GetRequiredService<IClock>(), sp.GetService<ILoggerFactory>());
        });
        return services;
    }
}

/// <summary>Validates <see cref="CreditRecoveryOptions"/>: the time zone exists, companies are unique, procedures are sound.</summary>
internal sealed class CreditRecoveryOptionsValidator(IServiceProvider services) : IValidateOptions<CreditRecoveryOptions>
{
    public ValidateOptionsResult Validate(string? name, CreditRecoveryOptions options)
    {
        var errors = new List<string>();
        if (options.TimeZoneId is null || DateTimeZoneProviders.Tzdb.GetZoneOrNull(options.TimeZoneId) is null)
        {
            errors.Add($"TimeZoneId '{options.TimeZoneId}' is not a known IANA time zone");
        }

        if (options.Companies.Count == 0)
        {
            errors.Add("no company is configured (CreditRecoveryOptions.Companies)");
        }

        foreach (var duplicate in options.Companies.GroupBy(c => c.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            errors.Add($"company '{duplicate.Key}' is configured twice");
        }

        if (options.LedgerBatchSize < 1)
        {
            errors.Add("LedgerBatchSize must be at least 1");
        }

        if (options.ConflictRetries < 0)
        {
            errors.Add("ConflictRetries cannot be negative");
        }

        errors.AddRange(ProcedureValidator.Validate(options, services.GetService(typeof(ITemplateRenderer)) as ITemplateRenderer));
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>The one place the SDK touches the system clock: the default <see cref="IClock"/> for hosts that register none.</summary>
internal static class SystemClockProvider
{
#pragma warning disable RS0030 // The default clock registration is the single sanctioned use.
    public static IClock Clock => SystemClock.Instance;
#pragma warning restore RS0030
}
