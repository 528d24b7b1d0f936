using CreditRecovery.Ports;

namespace CreditRecovery.Templates.Liquid.Tests;

public sealed class SafetyTests
{
    private const string Malicious = "{{ 7*7 }} {% for x in (1..3) %}X{% endfor %} {{ customer.code }} {% include 'x' %}";

    private static readonly LiquidTemplateRenderer Renderer = LiquidTemplateRenderer.Create();

    [Theory]
    [MemberData(nameof(DefaultTemplateTests.IdsAndLanguages), MemberType = typeof(DefaultTemplateTests))]
    public void A_customer_name_with_liquid_syntax_is_printed_literally_never_executed(string id, string language)
    {
        var model = Models.Realistic(language, customerName: Malicious) with { OperatorText = Malicious };

        var message = Renderer.Render(id, model);

        Assert.Contains(Malicious, message.TextBody, StringComparison.Ordinal);
        Assert.Contains(Malicious.Replace("'", "&#39;", StringComparison.Ordinal), message.HtmlBody!, StringComparison.Ordinal);
        foreach (var part in new[] { message.Subject, message.TextBody, message.HtmlBody! })
        {
            Assert.DoesNotContain("49", part, StringComparison.Ordinal);
            Assert.DoesNotContain("XXX", part, StringComparison.Ordinal);
            Assert.DoesNotContain("C0042", part, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Html_bodies_escape_every_value_and_text_bodies_keep_it_as_written()
    {
        const string name = "<script>alert(\"x\")</script> Rossi & Figli 'Srl'";
        var message = Renderer.Render("dunning-1", Models.Realistic(customerName: name));

        Assert.Contains(name, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Rossi &amp; Figli &#39;Srl&#39;", message.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", message.HtmlBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_subject_is_one_line_whatever_the_data()
    {
        var message = Renderer.Render("dunning-1", Models.Realistic(customerName: "Rossi\r\nBcc: victim@example.com"));
        Assert.Equal("Sollecito di pagamento – Rossi Bcc: victim@example.com", message.Subject);
    }

    [Fact]
    public void Html_escaping_is_not_applied_twice_by_the_escape_filter()
    {
        using var dir = new TemplateDirectory(
            ("esc.it.subject.liquid", "{{ customer.name | escape }}"),
            ("esc.it.text.liquid", "{{ customer.name | escape }}"),
            ("esc.it.html.liquid", "<p>{{ customer.name | escape }}</p><p>{{ customer.name }}</p>"));

        var message = dir.Renderer().Render("esc", Models.Realistic(customerName: "A & <B>"));

        Assert.Equal("A &amp; &lt;B&gt;", message.TextBody);
        Assert.Equal("<p>A &amp; &lt;B&gt;</p><p>A &amp; &lt;B&gt;</p>", message.HtmlBody);
    }

    [Fact]
    public void A_loop_over_the_limit_stops_the_render_with_a_clear_error()
    {
        using var dir = new TemplateDirectory(
            ("loop.it.subject.liquid", "Loop"),
            ("loop.it.text.liquid", "start\n{% for i in (1..100000) %}x{% endfor %}"));
        var renderer = dir.Renderer(o => o.LoopLimit = 100);
        Assert.Empty(renderer.Validate("loop"));

        var error = Assert.Throws<TemplateRenderException>(() => renderer.Render("loop", Models.Realistic()));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("loop.it.text.liquid", problem.File);
        Assert.Equal(2, problem.Line);
        Assert.Contains("LoopLimit", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_loop_limit_also_bounds_loops_over_the_model()
    {
        using var dir = new TemplateDirectory(
            ("lines.it.subject.liquid", "Lines"),
            ("lines.it.text.liquid", "{% for line in lines %}{{ line.row }};{% endfor %}"));
        var renderer = dir.Renderer(o => o.LoopLimit = 2);

        Assert.Throws<TemplateRenderException>(() => renderer.Render("lines", Models.Realistic()));
        Assert.Equal("1;2;3;", dir.Renderer(o => o.LoopLimit = 3).Render("lines", Models.Realistic()).TextBody);
    }

    [Theory]
    [InlineData("{{ customer.GetType }}", "GetType")]
    [InlineData("{{ customer.name.Length }}", "Length")]
    [InlineData("{{ company | object.eval }}", "object")]
    [InlineData("{{ 'x' | object.eval_template }}", "object")]
    [InlineData("{% include 'dunning-1.it.text.liquid' %}", "include")]
    [InlineData("{{ date.now }}", "now")]
    [InlineData("{{ 'now' | date: '%Y' }}{{ environment }}", "environment")]
    [InlineData("{% assign r = regex %}{{ r }}", "regex")]
    public void Nothing_outside_the_model_is_reachable(string text, string culprit)
    {
        using var dir = new TemplateDirectory(("evil.it.subject.liquid", "Evil"), ("evil.it.text.liquid", text));
        var renderer = dir.Renderer();

        var problems = renderer.Validate("evil");
        Assert.Contains(problems, p => p.Message.Contains(culprit, StringComparison.Ordinal) && p.File == "evil.it.text.liquid" && p.Line == 1 && p.Column > 1);
        Assert.Throws<TemplateRenderException>(() => renderer.Render("evil", Models.Realistic()));
    }

    [Fact]
    public void Without_the_checker_the_runtime_still_sees_no_dotnet_members()
    {
        // Belt and braces: even a template that passed no check cannot reach .NET members through reflection.
        var state = new RenderState(Models.Realistic(), TemplateLanguage.Italian);
        var model = new ModelView(Models.Realistic(), TemplateModel.Root, state);
        var context = new RenderContext(TemplateFilters.Builtins, model, TemplateLanguage.Italian, new LiquidTemplateOptions());
        var template = Scriban.Template.ParseLiquid("[{{ customer.Name }}|{{ customer.name.Length }}|{{ lines.Count }}|{{ business_date.Value }}]");

        Assert.Equal("[|||]", template.Render(context));
    }

    [Fact]
    public void Dates_never_come_from_the_clock()
    {
        using var dir = new TemplateDirectory(("now.it.subject.liquid", "x"), ("now.it.text.liquid", "{{ 'now' | date }}|{{ 'today' | date: 'long' }}|{{ business_date | date: 'long' }}"));
        Assert.Equal("now|today|16 marzo 2026", dir.Renderer().Render("now", Models.Realistic()).TextBody);
    }
}
