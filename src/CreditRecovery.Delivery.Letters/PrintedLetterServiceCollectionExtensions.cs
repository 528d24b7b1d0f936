using CreditRecovery.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Delivery.Letters;

/// <summary>Registers the printed-letter channel.</summary>
public static class PrintedLetterServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PrintedLetterChannel"/> (also as one of the <see cref="IMessageChannel"/>s) and
    /// <see cref="LetterBatch"/> as singletons, with the options validated on start (<c>ValidateOnStart</c>): the output
    /// folder is required and a TrueType font must be found (install <c>fonts-dejavu-core</c> or set the font paths).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.OutputFolder = "letters"</c>.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddPrintedLetters(this IServiceCollection services, Action<PrintedLetterOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<PrintedLetterOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PrintedLetterOptions>, PrintedLetterOptionsValidator>());
        services.TryAddSingleton(sp =>
            // Hosts without the Generic Host never run ValidateOnStart: resolving the options validates them too.
            new PrintedLetterChannel(sp.GetRequiredService<IOptions<PrintedLetterOptions>>().Value, sp.GetService<ILogger<PrintedLetterChannel>>()));
        services.TryAddSingleton(sp =>
            new LetterBatch(sp.GetRequiredService<IOptions<PrintedLetterOptions>>().Value, sp.GetService<ILogger<LetterBatch>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IMessageChannel, PrintedLetterChannel>(sp => sp.GetRequiredService<PrintedLetterChannel>()));
        return services;
    }

    private sealed class PrintedLetterOptionsValidator : IValidateOptions<PrintedLetterOptions>
    {
        public ValidateOptionsResult Validate(string? name, PrintedLetterOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
