using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace CreditRecovery.Templates.Liquid;

/// <summary>
/// The Scriban context of one message: the shared read-only filters, the model, a scratch scope for <c>assign</c> and
/// <c>capture</c>, the message language's culture and the limits. No template loader (no <c>include</c>), no .NET
/// member is visible through reflection, and in HTML parts every printed value is escaped.
/// </summary>
internal sealed class RenderContext : TemplateContext
{
    public RenderContext(ScriptObject filters, ModelView model, TemplateLanguage language, LiquidTemplateOptions options)
        : base(filters)
    {
        MessageLanguage = language;
        State = model.State;
        MemberFilter = static _ => false;
        TemplateLoader = null;
        LoopLimit = options.LoopLimit;
        RecursiveLimit = options.RecursiveLimit;
        ObjectRecursionLimit = options.RecursiveLimit;
        OutputLimit = options.OutputLimit;
        LimitToString = options.OutputLimit;
        StrictVariables = false;
        NewLine = "\n";
        PushCulture(language.Culture);
        PushGlobal(model);
        PushGlobal(new ScriptObject());
    }

    /// <summary>The message language.</summary>
    public TemplateLanguage MessageLanguage { get; }

    /// <summary>The render's shared state (currency).</summary>
    public RenderState State { get; }

    /// <summary>Whether the part being rendered is HTML: printed values are escaped.</summary>
    public bool Html { get; set; }

    public override TemplateContext Write(SourceSpan span, object? textAsObject)
    {
        if (textAsObject is null)
        {
            return this;
        }

        if (textAsObject is HtmlFragment fragment)
        {
            return Write(fragment.Value);
        }

        return Html ? Write(HtmlText.Escape(ObjectToString(textAsObject) ?? string.Empty)) : base.Write(span, textAsObject);
    }

    public override string? ObjectToString(object? value, bool nested = false) => value switch
    {
        TemplateDate date => date.ToString(),
        HtmlFragment fragment => fragment.Value,
        _ => base.ObjectToString(value, nested),
    };
}

/// <summary>Text a filter already escaped for HTML (<c>escape</c>, <c>newline_to_br</c>): printed as is.</summary>
/// <param name="Value">The escaped HTML.</param>
internal sealed record HtmlFragment(string Value)
{
    public override string ToString() => Value;
}

/// <summary>HTML escaping of the five characters that matter (the documents are UTF-8, so nothing else is encoded).</summary>
internal static class HtmlText
{
    private static readonly System.Buffers.SearchValues<char> Special = System.Buffers.SearchValues.Create("&<>\"'");

    public static string Escape(string text)
    {
        var first = text.AsSpan().IndexOfAny(Special);
        if (first < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length + 16);
        builder.Append(text, 0, first);
        for (var i = first; i < text.Length; i++)
        {
            var c = text[i];
            builder.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&#39;",
                _ => null,
            } ?? c.ToString());
        }

        return builder.ToString();
    }
}
