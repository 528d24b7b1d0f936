using CreditRecovery.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CreditRecovery.Mailbox.Imap;

/// <summary>Registers the IMAP mailbox.</summary>
public static class ImapMailboxServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="ImapInboundMailSource"/> as the <see cref="IInboundMailSource"/> singleton (unless an inbound mail
    /// source is already registered), with its options validated on start (<c>ValidateOnStart</c>): host, user name,
    /// password and evidence folder are required, an unencrypted connection only goes to a loopback address. Validation
    /// messages never show the password. The <see cref="IClock"/> is the one the host registers (the engine registers the
    /// system clock); without one the system clock is used.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; { o.Host = "imaps.pec.aruba.it"; o.Password = configuration["Pec:Password"]!; }</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddImapMailbox(this IServiceCollection services, Action<ImapMailboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<ImapMailboxOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ImapMailboxOptions>, ImapMailboxOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            // Hosts without the Generic Host never run ValidateOnStart: resolving the options validates them too.
            var options = sp.GetRequiredService<IOptions<ImapMailboxOptions>>().Value;
            return new ImapInboundMailSource(options, sp.GetService<IClock>() ?? DefaultClock.Instance, sp.GetService<ILogger<ImapInboundMailSource>>());
        });
        services.TryAddSingleton<IInboundMailSource>(sp => sp.GetRequiredService<ImapInboundMailSource>());
        return services;
    }

    private sealed class ImapMailboxOptionsValidator : IValidateOptions<ImapMailboxOptions>
    {
        public ValidateOptionsResult Validate(string? name, ImapMailboxOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }

    private static class DefaultClock
    {
#pragma warning disable RS0030 // Hosts that register no IClock: the source only needs it for a mail without any date.
        public static IClock Instance => SystemClock.Instance;
#pragma warning restore RS0030
    }
}
