using Scriban;
using Scriban.Parsing;
using Scriban.Runtime;

namespace CreditRecovery.Templates.Liquid;

/// <summary>
/// The Scriban context messages render in: the shared read-only filters, the limits, no template loader (no
/// <c>include</c>), no .NET member visible through reflection, and in HTML parts every printed value escaped. Per
/// message, <see cref="Begin"/> pushes the model, a fresh scratch scope for <c>assign</c>/<c>capture</c> and the
/// language's culture, and <see cref="End"/> pops them, so nothing of one message is visible to the next.
/// </summary>
/// <remarks>
/// Building a Scriban <see cref="TemplateContext"/> costs about 21 KB and 15-20 µs, more than rendering a letter, so the
/// renderer keeps one per thread and reuses it after a successful render (after a failure it is dropped).
/// </remarks>
internal sealed class RenderContext : TemplateContext
{
    public RenderContext(ScriptObject filters, LiquidTemplateOptions options)
        : base(filters)
    {
        Options = options;
        MemberFilter = static _ => false;
        TemplateLoader = null;
        LoopLimit = options.LoopLimit;
        RecursiveLimit = options.RecursiveLimit;
        ObjectRecursionLimit = options.RecursiveLimit;
        OutputLimit = options.OutputLimit;
        LimitToString = options.OutputLimit;
        StrictVariables = false;
        EnableRelaxedMemberAccess = true;
        EnableBreakAndContinueAsReturnOutsideLoop = true;
        NewLine = "\n";
    }

    /// <summary>The options the context was built with.</summary>
    public LiquidTemplateOptions Options { get; }

    /// <summary>The message language.</summary>
    public TemplateLanguage MessageLanguage { get; private set; } = TemplateLanguage.Italian;

    /// <summary>The current message's shared state (currency).</summary>
    public RenderState State { get; private set; } = null!;

    /// <summary>Whether the part being rendered is HTML: printed values are escaped.</summary>
    public bool Html { get; set; }

    /// <summary>Starts a message: its model, a fresh scratch scope and its language's culture.</summary>
    public void Begin(ModelView model, TemplateLanguage language)
    {
        MessageLanguage = language;
        State = model.State;
        PushCulture(language.Culture);
        PushGlobal(model);
        PushGlobal(new ScriptObject());
    }

    /// <summary>Ends a message: removes everything <see cref="Begin"/> pushed.</summary>
    public void End()
    {
        PopGlobal();
        PopGlobal();
        PopCulture();
        State = null!;
        Html = false;
    }

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
