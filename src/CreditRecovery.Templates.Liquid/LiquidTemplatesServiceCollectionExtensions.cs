using CreditRecovery.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Templates.Liquid;

/// <summary>Registers the Liquid template renderer.</summary>
public static class LiquidTemplatesServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="LiquidTemplateRenderer"/> as the <see cref="ITemplateRenderer"/> singleton (unless one is already
    /// registered), with its options validated on start (<c>ValidateOnStart</c>): the override directory must exist and the
    /// limits be positive. The engine's own start-up validation then checks every template its procedures use.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options, e.g. <c>o =&gt; o.Directory = "templates"</c>; <see langword="null"/> for the defaults.</param>
    /// <returns>The services, for chaining.</returns>
    public static IServiceCollection AddLiquidTemplates(this IServiceCollection services, Action<LiquidTemplateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<LiquidTemplateOptions>().Configure(o => configure?.Invoke(o)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LiquidTemplateOptions>, LiquidTemplateOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            // Hosts without the Generic Host never run ValidateOnStart: resolving the options validates them too.
            var options = sp.GetRequiredService<IOptions<LiquidTemplateOptions>>().Value;
            return new LiquidTemplateRenderer(options);
        });
        services.TryAddSingleton<ITemplateRenderer>(sp => sp.GetRequiredService<LiquidTemplateRenderer>());
        return services;
    }

    private sealed class LiquidTemplateOptionsValidator : IValidateOptions<LiquidTemplateOptions>
    {
        public ValidateOptionsResult Validate(string? name, LiquidTemplateOptions options)
        {
            var errors = options.Validate();
            return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
        }
    }
}
