using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using NodaTime.Text;
using Scriban;
using Scriban.Runtime;

namespace CreditRecovery.Templates.Liquid;

/// <summary>
/// The filters templates can use: a vetted subset of Liquid's standard filters (no <c>include</c>, no
/// <c>object</c>/<c>regex</c>/<c>eval</c>-like functions, nothing that reads the clock) and our own money, number,
/// percent, date, escape and newline filters, which write in the message's language. Built once, read-only, shared by
/// every render.
/// </summary>
internal static class TemplateFilters
{
    /// <summary>The standard Liquid filters kept from Scriban's Liquid built-ins.</summary>
    private static readonly string[] StandardFilters =
    [
        "abs", "append", "capitalize", "ceil", "compact", "concat", "contains", "default", "divided_by", "downcase",
        "first", "floor", "join", "last", "lstrip", "map", "minus", "modulo", "plus", "prepend", "remove",
        "remove_first", "replace", "replace_first", "reverse", "round", "rstrip", "size", "slice", "sort", "split",
        "strip", "strip_html", "strip_newlines", "times", "truncate", "truncatewords", "uniq", "upcase", "blank", "empty",
    ];

    /// <summary>Our own filters, documented in docs/templates.md.</summary>
    public static readonly string[] OwnFilters = ["money", "number", "percent", "date", "escape", "newline_to_br"];

    /// <summary>The shared, read-only filter object every render context starts from.</summary>
    public static ScriptObject Builtins { get; } = Build();

    /// <summary>Every name a template may call.</summary>
    public static FrozenSet<string> Names { get; } = Builtins.GetMembers().ToFrozenSet(StringComparer.Ordinal);

    private static ScriptObject Build()
    {
        var liquid = new LiquidTemplateContext().BuiltinObject;
        var filters = new ScriptObject();
        foreach (var name in StandardFilters)
        {
            filters[name] = liquid[name];
        }

        foreach (var (name, method) in new[]
                 {
                     ("money", nameof(Money)), ("number", nameof(Number)), ("percent", nameof(Percent)), ("date", nameof(Date)),
                     ("escape", nameof(Escape)), ("newline_to_br", nameof(NewlineToBr)),
                 })
        {
            filters[name] = DynamicCustomFunction.Create(null!, typeof(TemplateFilters).GetMethod(method, BindingFlags.NonPublic | BindingFlags.Static)!);
        }

        filters.IsReadOnly = true;
        return filters;
    }

    /// <summary><c>{{ total_residual | money }}</c> → <c>€ 1.234,56</c> (it) / <c>€1,234.56</c> (en).</summary>
    private static string Money(TemplateContext context, object? value, string? currency = null)
    {
        var c = (RenderContext)context;
        return ToDecimal(value) is { } amount
            ? c.MessageLanguage.Money(amount, string.IsNullOrEmpty(currency) ? c.State.Currency : currency.ToUpperInvariant())
            : string.Empty;
    }

    /// <summary><c>{{ x | number }}</c> → <c>1.234,56</c>; <c>{{ x | number: 0 }}</c> → <c>1.235</c>.</summary>
    private static string Number(TemplateContext context, object? value, object? decimals = null) =>
        ToDecimal(value) is { } number ? ((RenderContext)context).MessageLanguage.Number(number, Decimals(decimals)) : string.Empty;

    /// <summary><c>{{ line.rate_percent | percent }}</c> → <c>10,15%</c>.</summary>
    private static string Percent(TemplateContext context, object? value, object? decimals = null) =>
        ToDecimal(value) is { } number ? ((RenderContext)context).MessageLanguage.Number(number, Decimals(decimals)) + "%" : string.Empty;

    /// <summary>
    /// <c>{{ due_date | date }}</c> → <c>15/03/2026</c>; <c>date: "long"</c> → <c>15 marzo 2026</c> / <c>15 March 2026</c>;
    /// any other argument is a NodaTime date pattern (<c>"MMMM yyyy"</c>). Anything that is not a model date (such as
    /// <c>"now"</c>) is returned unchanged: templates never read the clock.
    /// </summary>
    private static object? Date(TemplateContext context, object? value, string? format = null)
    {
        if (value is not TemplateDate date)
        {
            return value;
        }

        var language = ((RenderContext)context).MessageLanguage;
        return format switch
        {
            null or "" or "short" => TemplateLanguage.ShortDate(date.Value),
            "long" => language.LongDate(date.Value),
            _ => LocalDatePattern.Create(format, language.Culture).Format(date.Value),
        };
    }

    /// <summary>Escapes HTML; in an HTML part the result is not escaped a second time.</summary>
    private static object Escape(TemplateContext context, object? value)
    {
        var text = HtmlText.Escape(Text(context, value));
        return ((RenderContext)context).Html ? new HtmlFragment(text) : text;
    }

    /// <summary>In an HTML part, escapes the text and turns line breaks into <c>&lt;br /&gt;</c>; in text parts, unchanged.</summary>
    private static object NewlineToBr(TemplateContext context, object? value)
    {
        var text = Text(context, value);
        if (!((RenderContext)context).Html)
        {
            return text;
        }

        return new HtmlFragment(HtmlText.Escape(text.Replace("\r\n", "\n", StringComparison.Ordinal)).Replace("\n", "<br />\n", StringComparison.Ordinal));
    }

    private static string Text(TemplateContext context, object? value) =>
        value is null ? string.Empty : context.ObjectToString(value) ?? string.Empty;

    private static int Decimals(object? decimals) => decimals switch
    {
        null => 2,
        int i => i,
        long l => (int)Math.Clamp(l, 0, 10),
        _ => ToDecimal(decimals) is { } d ? (int)Math.Clamp(d, 0, 10) : 2,
    };

    private static decimal? ToDecimal(object? value) => value switch
    {
        null => null,
        decimal d => d,
        int i => i,
        long l => l,
        double d when double.IsFinite(d) => (decimal)d,
        float f when float.IsFinite(f) => (decimal)f,
        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        _ => null,
    };
}
