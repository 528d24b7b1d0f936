using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CreditRecovery.Templates.Liquid.Tests;

/// <summary>Whatever a customer's data contains, the letter prints it as written (escaped in HTML), never runs it.</summary>
public sealed class LiteralDataProperties
{
    private static readonly LiquidTemplateRenderer Renderer = LiquidTemplateRenderer.Create();

    [Property(Arbitrary = [typeof(CustomerText)], MaxTest = 300)]
    public Property A_customer_name_is_printed_literally_in_text_and_escaped_in_html(string name)
    {
        var message = Renderer.Render("dunning-1", Models.Realistic(customerName: name));
        return message.TextBody.Contains(name, StringComparison.Ordinal).Label("text body contains the name as written")
            .And(message.HtmlBody!.Contains(Escaped(name), StringComparison.Ordinal).Label("html body contains the name escaped"))
            .And((name.Contains('<', StringComparison.Ordinal) == false || !message.HtmlBody.Contains(name, StringComparison.Ordinal)).Label("no raw markup in html"));
    }

    [Property(Arbitrary = [typeof(CustomerText)], MaxTest = 200)]
    public Property An_operator_text_is_printed_literally_in_the_mass_email(string text)
    {
        var message = Renderer.Render("mass-email", Models.Realistic("en") with { OperatorText = text });
        var html = Escaped(text.Replace("\r\n", "\n", StringComparison.Ordinal)).Replace("\n", "<br />\n", StringComparison.Ordinal);
        return message.TextBody.Contains(text.Trim(), StringComparison.Ordinal).Label("text body contains the text")
            .And(message.HtmlBody!.Contains(html.Trim(), StringComparison.Ordinal).Label("html body contains the text escaped"));
    }

    /// <summary>The HTML escaping the renderer promises, written independently: the five special characters only.</summary>
    private static string Escaped(string s) => s
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&quot;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    /// <summary>Arbitrary strings, half of them built from Liquid and HTML syntax.</summary>
    public static class CustomerText
    {
        private static readonly string[] Fragments =
        [
            "{{", "}}", "{%", "%}", "{%-", "-%}", " 7*7 ", "for x in (1..9)", "endfor", "customer.code", "include 'x'", "raw",
            "endraw", "|", " upcase ", "assign a = 1", "<", ">", "&", "'", "\"", "<script>", "\n", "é", "€", "Rossi", " ", "\t",
        ];

        public static Arbitrary<string> Strings() =>
            Gen.OneOf(
                    ArbMap.Default.GeneratorFor<NonNull<string>>().Select(s => s.Get),
                    Gen.Elements(Fragments).ListOf().Select(parts => string.Concat(parts)))
                .ToArbitrary();
    }
}
