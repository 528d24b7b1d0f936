using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// Registers the mail channels. Each registers itself as an <see cref="IMessageChannel"/> singleton, so several channels
/// coexist (<c>IEnumerable&lt;IMessageChannel&gt;</c>), with its options validated on start (<c>ValidateOnStart</c>, and
/// again when the channel is first resolved for hosts without the Generic Host). Messages never show a password.
/// <see cref="IClock"/> defaults to the system clock when the host registers none.
/// </summary>
public static class EmailDeliveryServiceCollectionExtensions
{
    /// <summary>Registers <see cref="SmtpEmailChannel"/> for <see cref="DeliveryChannel.Email"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; { o.Host = "smtp.acme.example"; o.UserName = ...; o.Password = ...; }</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSmtpEmail(this IServiceCollection services, Action<SmtpEmailOptions> configure) =>
        AddSmtpChannel(services, configure, (options, clock, sp) => new SmtpEmailChannel(options, clock, sp.GetService<ILogger<SmtpEmailChannel>>()));

    /// <summary>Registers <see cref="PecChannel"/> for <see cref="DeliveryChannel.Pec"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options: <c>From</c> (the PEC address), <c>Host</c>, <c>Password</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddPecMail(this IServiceCollection services, Action<PecMailOptions> configure) =>
        AddSmtpChannel(services, configure, (options, clock, sp) => new PecChannel(options, clock, sp.GetService<ILogger<PecChannel>>()));

    /// <summary>Registers <see cref="FaxGatewayChannel"/> for <see cref="DeliveryChannel.Fax"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options: <c>AddressPattern</c> (e.g. <c>{number}@fax.provider.example</c>), <c>Host</c>, credentials.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddFaxGateway(this IServiceCollection services, Action<FaxGatewayOptions> configure) =>
        AddSmtpChannel(services, configure, (options, clock, sp) => new FaxGatewayChannel(options, clock, sp.GetService<ILogger<FaxGatewayChannel>>()));

    /// <summary>
    /// Registers a <see cref="PickupFolderChannel"/> for each channel in <see cref="PickupFolderOptions.Channels"/> (default
    /// Email, Pec and Fax). The channels are read when this method runs (<paramref name="configure"/> is called once here
    /// for that); everything else is read, and validated, on start. Call it once.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.Folder = ".run/outbox"</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddPickupFolder(this IServiceCollection services, Action<PickupFolderOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(services, configure);

        var probe = new PickupFolderOptions();
        configure(probe);
        foreach (var channel in (probe.Channels ?? new HashSet<DeliveryChannel>())
            .Where(c => c is DeliveryChannel.Email or DeliveryChannel.Pec or DeliveryChannel.Fax)
            .Order())
        {
            services.AddSingleton<IMessageChannel>(sp => new PickupFolderChannel(
                channel,
                sp.GetRequiredService<IOptions<PickupFolderOptions>>().Value,
                sp.GetRequiredService<IClock>(),
                sp.GetService<ILogger<PickupFolderChannel>>()));
        }

        return services;
    }

    private static IServiceCollection AddSmtpChannel<TOptions, TChannel>(
        IServiceCollection services,
        Action<TOptions> configure,
        Func<TOptions, IClock, IServiceProvider, TChannel> create)
        where TOptions : SmtpServerOptions
        where TChannel : class, IMessageChannel
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddOptions(services, configure);

        // Resolving the options validates them too (hosts without the Generic Host never run ValidateOnStart).
        services.TryAddSingleton(sp => create(sp.GetRequiredService<IOptions<TOptions>>().Value, sp.GetRequiredService<IClock>(), sp));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageChannel, TChannel>(sp => sp.GetRequiredService<TChannel>()));
        return services;
    }

    private static void AddOptions<TOptions>(IServiceCollection services, Action<TOptions> configure)
        where TOptions : MailChannelOptions
    {
        services.AddOptions<TOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, MailOptionsValidator<TOptions>>());
        services.TryAddSingleton(SystemClockProvider.Clock);
    }

    private sealed class MailOptionsValidator<TOptions> : IValidateOptions<TOptions>
        where TOptions : MailChannelOptions
    {
        public ValidateOptionsResult Validate(string? name, TOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}

/// <summary>The default <see cref="IClock"/> for hosts that register none.</summary>
internal static class SystemClockProvider
{
#pragma warning disable RS0030 // The default clock registration is the single sanctioned use.
    public static IClock Clock => SystemClock.Instance;
#pragma warning restore RS0030
}
