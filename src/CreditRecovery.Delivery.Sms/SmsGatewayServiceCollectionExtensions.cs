using CreditRecovery.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Delivery.Sms;

/// <summary>Registers the SMS gateway channel.</summary>
public static class SmsGatewayServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SmsGatewayChannel"/> (also as one of the <see cref="IMessageChannel"/>s) with a named
    /// <see cref="System.Net.Http.IHttpClientFactory"/> client (<see cref="SmsGatewayOptions.HttpClientName"/>, its request
    /// logging removed so that URLs and headers are never logged), and its options validated on start
    /// (<c>ValidateOnStart</c>): endpoint, field names and the authentication settings. Messages never show secrets.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; { o.Endpoint = new("https://sms.example/send"); o.Authentication = SmsAuthentication.Bearer; o.BearerToken = configuration["Sms:Token"]; }</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddSmsGateway(this IServiceCollection services, Action<SmsGatewayOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<SmsGatewayOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SmsGatewayOptions>, SmsGatewayOptionsValidator>());
        services.AddHttpClient(SmsGatewayOptions.HttpClientName)
            .ConfigureHttpClient((sp, client) => client.Timeout = sp.GetRequiredService<IOptions<SmsGatewayOptions>>().Value.Timeout)
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new SmsGatewayChannel(
            // Hosts without the Generic Host never run ValidateOnStart: resolving the options validates them too.
            sp.GetRequiredService<IOptions<SmsGatewayOptions>>().Value,
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetService<ILogger<SmsGatewayChannel>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageChannel, SmsGatewayChannel>(sp => sp.GetRequiredService<SmsGatewayChannel>()));
        return services;
    }

    private sealed class SmsGatewayOptionsValidator : IValidateOptions<SmsGatewayOptions>
    {
        public ValidateOptionsResult Validate(string? name, SmsGatewayOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
