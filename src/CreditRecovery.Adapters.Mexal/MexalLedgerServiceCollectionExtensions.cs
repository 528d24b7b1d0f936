using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CreditRecovery.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CreditRecovery.Adapters.Mexal;

/// <summary>Registers the Mexal ledger source.</summary>
public static class MexalLedgerServiceCollectionExtensions
{
    /// <summary>The name of the <see cref="HttpClient"/> the adapter uses (to add handlers, e.g. a proxy).</summary>
    public const string HttpClientName = "CreditRecovery.Adapters.Mexal";

    /// <summary>
    /// Registers <see cref="MexalLedgerSource"/> as the <see cref="ILedgerSource"/> singleton (unless a ledger source is already
    /// registered), over a typed <see cref="HttpClient"/> from <c>IHttpClientFactory</c>, with its options validated on start
    /// (<c>ValidateOnStart</c>). Validation messages never show the password. The source needs a NodaTime
    /// <see cref="IClock"/> (<c>AddCreditRecovery</c> registers one).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; { o.BaseAddress = new Uri("https://mexal:9004/webapi/"); o.User = ...; }</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddMexalLedger(this IServiceCollection services, Action<MexalLedgerOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<MexalLedgerOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MexalLedgerOptions>, MexalLedgerOptionsValidator>());
        services.TryAddSingleton(sp => new MexalCallGate(sp.GetRequiredService<IOptions<MexalLedgerOptions>>().Value.MaxConcurrentCalls));
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => CreateHandler(sp.GetRequiredService<IOptions<MexalLedgerOptions>>().Value))
            .AddTypedClient((http, sp) =>
            {
                var options = sp.GetRequiredService<IOptions<MexalLedgerOptions>>().Value;
                http.Timeout = options.RequestTimeout + TimeSpan.FromSeconds(30); // The client's own per-call timeout fires first.
                return new MexalWebApiClient(http, options, sp.GetRequiredService<MexalCallGate>(),
                    sp.GetService<ILoggerFactory>()?.CreateLogger<MexalLedgerSource>() ?? (ILogger)NullLogger.Instance);
            });
        services.TryAddSingleton(sp =>
        {
            // Hosts without the Generic Host never run ValidateOnStart: resolving the options validates them too.
            var options = sp.GetRequiredService<IOptions<MexalLedgerOptions>>().Value;
            var clock = sp.GetService<IClock>()
                ?? throw new InvalidOperationException("The Mexal ledger source needs a NodaTime IClock: call AddCreditRecovery, or register one.");
            return new MexalLedgerSource(sp.GetRequiredService<MexalWebApiClient>, options, clock, sp.GetService<ILoggerFactory>()?.CreateLogger<MexalLedgerSource>());
        });
        services.TryAddSingleton<ILedgerSource>(sp => sp.GetRequiredService<MexalLedgerSource>());
        return services;
    }

    /// <summary>
    /// The HTTP handler the adapter uses: the platform's certificate validation, unless
    /// <see cref="MexalLedgerOptions.AcceptUntrustedCertificate"/> explicitly accepts an untrusted (self-signed) certificate,
    /// pinned by <see cref="MexalLedgerOptions.CertificateThumbprint"/> when given. For hosts that build the
    /// <see cref="HttpClient"/> themselves.
    /// </summary>
    /// <param name="options">The options.</param>
    /// <returns>A new handler; the caller owns it.</returns>
    public static SocketsHttpHandler CreateHandler(MexalLedgerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), MaxConnectionsPerServer = MexalLedgerOptions.MexalServicePool };
        if (options.AcceptUntrustedCertificate)
        {
            var pin = options.CertificateThumbprint;
            handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, _, errors) =>
                errors == SslPolicyErrors.None || (certificate is not null && (pin is null || Matches(certificate, pin)));
        }

        return handler;
    }

    private static bool Matches(X509Certificate certificate, string pin)
    {
        var hash = pin.Length == 64 ? certificate.GetCertHashString(HashAlgorithmName.SHA256) : certificate.GetCertHashString();
        return string.Equals(hash, pin, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class MexalLedgerOptionsValidator : IValidateOptions<MexalLedgerOptions>
    {
        public ValidateOptionsResult Validate(string? name, MexalLedgerOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
