using System.Globalization;

namespace CreditRecovery.Templates.Liquid;

/// <summary>Options of the Liquid template renderer.</summary>
public sealed class LiquidTemplateOptions
{
    /// <summary>
    /// A directory of templates that override or add to the defaults, file by file:
    /// <c>&lt;id&gt;.&lt;language&gt;.&lt;subject|text|html&gt;.liquid</c> (e.g. <c>dunning-1.it.text.liquid</c>). Read once,
    /// when the renderer is built; <see langword="null"/> uses the shipped defaults only.
    /// </summary>
    public string? Directory { get; set; }

    /// <summary>Whether the shipped default templates are loaded (default <see langword="true"/>).</summary>
    public bool UseDefaultTemplates { get; set; } = true;

    /// <summary>The language used when a template has no version in the message's language (default <c>it</c>).</summary>
    public string FallbackLanguage { get; set; } = "it";

    /// <summary>Most iterations of one loop in a template (default 1,000: a letter lists far fewer installments).</summary>
    public int LoopLimit { get; set; } = 1000;

    /// <summary>Deepest nesting of calls and objects (default 16).</summary>
    public int RecursiveLimit { get; set; } = 16;

    /// <summary>Most characters one rendered part may have (default 1,000,000).</summary>
    public int OutputLimit { get; set; } = 1_000_000;

    /// <summary>Every problem with the options, each naming the option; empty when they are valid.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Directory is not null && !System.IO.Directory.Exists(Directory))
        {
            errors.Add($"LiquidTemplateOptions.Directory '{Directory}' does not exist");
        }

        if (!UseDefaultTemplates && Directory is null)
        {
            errors.Add("LiquidTemplateOptions: with UseDefaultTemplates = false, set Directory, or there are no templates at all");
        }

        if (string.IsNullOrWhiteSpace(FallbackLanguage) || !TemplateSet.IsLanguage(FallbackLanguage))
        {
            errors.Add($"LiquidTemplateOptions.FallbackLanguage '{FallbackLanguage}' is not a language code such as 'it' or 'en'");
        }

        Positive(LoopLimit, nameof(LoopLimit));
        Positive(RecursiveLimit, nameof(RecursiveLimit));
        Positive(OutputLimit, nameof(OutputLimit));
        return errors;

        void Positive(int value, string name)
        {
            if (value < 1)
            {
                errors.Add(string.Create(CultureInfo.InvariantCulture, $"LiquidTemplateOptions.{name} must be at least 1, not {value}"));
            }
        }
    }

    internal LiquidTemplateOptions Copy() => (LiquidTemplateOptions)MemberwiseClone();
}
