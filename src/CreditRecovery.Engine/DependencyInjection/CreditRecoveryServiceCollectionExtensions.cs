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
    /// procedure. Register a store (e.g. <c>AddCreditRecoverySqliteStore</c>), a ledger source (an ERP adapter), a template
    /// renderer, the delivery channels (<see cref="IMessageChannel"/>, any number), and optionally a document archive and
    /// a mailbox (<see cref="IInboundMailSource"/>). <see cref="IClock"/> defaults to the system clock.
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
            return new CreditRecoveryEngine(options, new EnginePorts(sp.GetRequiredService<IRecoveryStore>(), sp.GetRequiredService<IClock>())
            {
                Ledger = sp.GetService<ILedgerSource>(),
                Templates = sp.GetService<ITemplateRenderer>(),
                Channels = sp.GetServices<IMessageChannel>().ToList(),
                DocumentArchive = sp.GetService<IDocumentArchive>(),
                InboundMail = sp.GetService<IInboundMailSource>(),
                LoggerFactory = sp.GetService<ILoggerFactory>() ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
            });
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

        if (options.Delivery is null)
        {
            errors.Add("Delivery options are missing");
        }
        else
        {
            if (options.Delivery.MaxAttempts < 1)
            {
                errors.Add("Delivery.MaxAttempts must be at least 1");
            }

            if (options.Delivery.FirstRetryDelay <= NodaTime.Duration.Zero || options.Delivery.MaxRetryDelay < options.Delivery.FirstRetryDelay)
            {
                errors.Add("Delivery.FirstRetryDelay must be positive and not longer than Delivery.MaxRetryDelay");
            }

            if (options.Delivery.LeaseDuration <= NodaTime.Duration.Zero)
            {
                errors.Add("Delivery.LeaseDuration must be positive");
            }
        }

        foreach (var company in options.Companies)
        {
            try
            {
                company.LatePaymentInterest?.Default.Validate();
            }
            catch (ArgumentException ex)
            {
                errors.Add($"company '{company.Id}': LatePaymentInterest: {ex.Message}");
            }
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
