using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Templates.Liquid.Tests;

public sealed class ValidationTests
{
    private const string BrokenText = "Spett.le {{ customer.name }}\n\n{% for line in lines %}\n- {{ line.residual | money }}\n";

    [Fact]
    public void A_syntax_error_is_reported_at_load_with_file_line_and_column()
    {
        using var dir = new TemplateDirectory(
            ("broken.it.subject.liquid", "Sollecito"),
            ("broken.it.text.liquid", BrokenText),
            ("typo.it.subject.liquid", "Ciao"),
            ("typo.it.text.liquid", "Riga uno\nTotale: {{ total_residual | money \n"));
        var renderer = dir.Renderer();

        var problem = Assert.Single(renderer.Validate("broken"));
        Assert.Equal(("broken", "broken.it.text.liquid", 3, 4), (problem.TemplateId, problem.File, problem.Line, problem.Column));
        Assert.Contains("endfor", problem.Message, StringComparison.Ordinal);
        Assert.StartsWith("broken.it.text.liquid(3,4): ", problem.ToString(), StringComparison.Ordinal);

        var typo = Assert.Single(renderer.Validate("typo"));
        Assert.Equal("typo.it.text.liquid", typo.File);
        Assert.True(typo.Line >= 2, typo.ToString());

        var error = Assert.Throws<TemplateRenderException>(() => renderer.Render("broken", Models.Realistic()));
        Assert.Equal("broken", error.TemplateId);
        Assert.Contains("broken.it.text.liquid(3,4)", error.Message, StringComparison.Ordinal);
        Assert.Contains(renderer.Problems, p => p.TemplateId == "typo");
    }

    [Fact]
    public void Unknown_variables_members_and_filters_are_reported_with_line_and_column()
    {
        using var dir = new TemplateDirectory(
            ("unknown.it.subject.liquid", "{{ customer.nmae }}"),
            ("unknown.it.text.liquid", "Totale: {{ totale }}\n{% for line in lines %}{{ line.amount }} {{ line.residual | euro }}{% endfor %}\n{{ customer.contact.nome }} {{ lines.first }}"),
            ("unknown.en.subject.liquid", "ok"),
            ("unknown.en.text.liquid", "{{ forloop.index }}"));
        var problems = dir.Renderer().Validate("unknown");

        Assert.Collection(
            problems.OrderBy(p => p.File, StringComparer.Ordinal).ThenBy(p => p.Line).ThenBy(p => p.Column),
            p => Assert.Equal(("unknown.en.text.liquid", 1, 12), (p.File, p.Line, p.Column)),
            p => Assert.Equal(("unknown.it.subject.liquid", 1, 13, "unknown variable 'nmae'"), (p.File, p.Line, p.Column, p.Message[..23])),
            p => Assert.Equal(("unknown.it.text.liquid", 1, 12, "unknown variable 'totale' (not in the template model)"), (p.File, p.Line, p.Column, p.Message)),
            p => Assert.Equal(("unknown.it.text.liquid", 2, 32, "unknown variable 'amount'"), (p.File, p.Line, p.Column, p.Message[..25])),
            p => Assert.Equal(("unknown.it.text.liquid", 2, 61, "unknown filter 'euro'"), (p.File, p.Line, p.Column, p.Message)),
            p => Assert.Equal(("unknown.it.text.liquid", 3, 21, "unknown variable 'nome'"), (p.File, p.Line, p.Column, p.Message[..23])),
            p => Assert.Equal(("unknown.it.text.liquid", 3, 38), (p.File, p.Line, p.Column)));
        Assert.Contains("residual", problems.Single(p => p.Message.Contains("'amount'", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Assigned_captured_and_loop_variables_are_known_with_their_types()
    {
        using var dir = new TemplateDirectory(
            ("locals.it.subject.liquid", "{% assign who = customer.contact %}{{ who.name }}"),
            ("locals.it.text.liquid",
                "{% capture greeting %}Ciao {{ customer.name }}{% endcapture %}{{ greeting }}\n" +
                "{% for item in interest.lines %}{{ item.rate_percent | percent }}{% if forloop.last %}.{% endif %}{% endfor %}\n" +
                "{% assign total = total_residual | plus: 1 %}{{ total | money }} {{ lines[0].due_date.year }} {{ customer['name'] }} {{ lines.size }}"));
        var renderer = dir.Renderer();

        Assert.Empty(renderer.Validate("locals"));
        var message = renderer.Render("locals", Models.Realistic());
        Assert.Equal("Maria Bianchi", message.Subject);
        Assert.Equal("Ciao Rossi Impianti S.r.l.\n10,15%10,15%10,15%.\n€ 4.535,56 2025 Rossi Impianti S.r.l. 3", message.TextBody);

        using var wrong = new TemplateDirectory(("w.it.subject.liquid", "{% assign who = customer.contact %}{{ who.nome }}"), ("w.it.text.liquid", "{% for item in interest.lines %}{{ item.residual }}{% endfor %}"));
        Assert.Equal(2, wrong.Renderer().Validate("w").Count);
    }

    [Fact]
    public void Missing_parts_bad_file_names_and_a_missing_fallback_language_are_reported()
    {
        using var dir = new TemplateDirectory(
            ("nosubject.it.text.liquid", "x"),
            ("english-only.en.subject.liquid", "x"),
            ("english-only.en.text.liquid", "x"),
            ("dunning-1.it.txt.liquid", "misnamed"));
        var renderer = dir.Renderer();

        Assert.Contains("subject file is missing", Assert.Single(renderer.Validate("nosubject")).Message, StringComparison.Ordinal);
        Assert.Contains("no 'it' version", Assert.Single(renderer.Validate("english-only")).Message, StringComparison.Ordinal);
        var misnamed = Assert.Single(renderer.Validate("dunning-1"));
        Assert.Equal("dunning-1.it.txt.liquid", misnamed.File);
        Assert.Contains("<id>.<language>.<subject|text|html>.liquid", misnamed.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", Assert.Single(renderer.Validate("nope")).Message, StringComparison.Ordinal);
        Assert.False(renderer.HasTemplate("nope"));
    }

    [Fact]
    public void A_directory_overrides_the_defaults_file_by_file_and_adds_templates()
    {
        using var dir = new TemplateDirectory(
            ("dunning-1.it.text.liquid", "Testo nostro per {{ customer.name }}: {{ total_residual | money }}"),
            ("welcome.it.subject.liquid", "Benvenuti, {{ customer.name }}"),
            ("welcome.it.text.liquid", "Grazie."));
        var renderer = dir.Renderer();

        var italian = renderer.Render("dunning-1", Models.Realistic());
        Assert.Equal("Testo nostro per Rossi Impianti S.r.l.: € 4.534,56", italian.TextBody);
        Assert.StartsWith("Sollecito di pagamento", italian.Subject, StringComparison.Ordinal);
        Assert.Contains("€ 4.534,56", italian.HtmlBody, StringComparison.Ordinal);
        Assert.Contains("Dear Customer", renderer.Render("dunning-1", Models.Realistic("en")).TextBody, StringComparison.Ordinal);
        Assert.Equal("Benvenuti, Rossi Impianti S.r.l.", renderer.Render("welcome", Models.Realistic("en")).Subject);
        Assert.Null(renderer.Render("welcome", Models.Realistic()).HtmlBody);
        Assert.Contains("welcome", renderer.TemplateIds);

        var only = dir.Renderer(o => o.UseDefaultTemplates = false);
        Assert.Equal(["dunning-1", "welcome"], only.TemplateIds.Order());
        Assert.Contains("subject file is missing", Assert.Single(only.Validate("dunning-1")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_options_are_refused_with_every_problem()
    {
        var error = Assert.Throws<ArgumentException>(() => LiquidTemplateRenderer.Create(o =>
        {
            o.Directory = "/no/such/templates";
            o.LoopLimit = 0;
            o.FallbackLanguage = "italiano!";
        }));
        Assert.Contains("Directory '/no/such/templates' does not exist", error.Message, StringComparison.Ordinal);
        Assert.Contains("LoopLimit must be at least 1", error.Message, StringComparison.Ordinal);
        Assert.Contains("FallbackLanguage", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_procedure_validator_rejects_a_procedure_whose_template_is_broken_or_missing()
    {
        using var dir = new TemplateDirectory(("broken.it.subject.liquid", "x"), ("broken.it.text.liquid", BrokenText));
        var renderer = dir.Renderer();

        var errors = ProcedureValidator.Validate(Procedure("broken", "missing"), renderer);

        Assert.Equal(2, errors.Count);
        Assert.Equal("procedure 'p', step 1 'first': template 'broken': broken.it.text.liquid(3,4): " + renderer.Validate("broken")[0].Message, errors[0]);
        Assert.Equal("procedure 'p', step 2 'second': template 'missing' does not exist", errors[1]);
        Assert.Empty(ProcedureValidator.Validate(Procedure("dunning-1", "dunning-2"), renderer));
    }

    [Fact]
    public void The_engine_builder_refuses_to_build_with_a_broken_template()
    {
        using var dir = new TemplateDirectory(("dunning-2.it.text.liquid", "{{ customer.nmae }}"));
        var builder = new CreditRecoveryEngineBuilder().Configure(o => Configure(o, "dunning-1", "dunning-2")).UseStore(new InMemoryRecoveryStore());
        Assert.NotNull(builder.UseTemplates(LiquidTemplateRenderer.Create()).Build());

        var error = Assert.Throws<OptionsValidationException>(builder.UseTemplates(dir.Renderer()).Build);

        Assert.Contains("template 'dunning-2': dunning-2.it.text.liquid(1,13): unknown variable 'nmae'", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void Dependency_injection_registers_the_renderer_and_the_engine_validates_its_templates_on_start()
    {
        using var dir = new TemplateDirectory(("dunning-1.en.text.liquid", "{% if %}"));
        var services = new ServiceCollection()
            .AddCreditRecovery(o => Configure(o, "dunning-1", "formal-demand"))
            .AddLiquidTemplates(o => o.Directory = dir.Path)
            .AddSingleton<IRecoveryStore>(new InMemoryRecoveryStore());
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        Assert.IsType<LiquidTemplateRenderer>(provider.GetRequiredService<ITemplateRenderer>());
        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);
        Assert.All(error.Failures, f => Assert.StartsWith("procedure 'p', step 1 'first': template 'dunning-1': dunning-1.en.text.liquid(1,", f, StringComparison.Ordinal));

        using var good = new ServiceCollection()
            .AddCreditRecovery(o => Configure(o, "dunning-1", "formal-demand"))
            .AddLiquidTemplates()
            .AddSingleton<IRecoveryStore>(new InMemoryRecoveryStore())
            .BuildServiceProvider();
        good.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotNull(good.GetRequiredService<CreditRecoveryEngine>());
    }

    [Fact]
    public void Dependency_injection_validates_the_template_options_on_start()
    {
        using var provider = new ServiceCollection().AddLiquidTemplates(o => o.Directory = "/no/such/dir").BuildServiceProvider();
        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);
        Assert.Contains("Directory '/no/such/dir' does not exist", Assert.Single(error.Failures), StringComparison.Ordinal);
        Assert.Throws<OptionsValidationException>(provider.GetRequiredService<ITemplateRenderer>);
    }

    private static RecoveryProcedure Procedure(string first, string second) => new()
    {
        Id = "p",
        Name = "P",
        Steps =
        [
            new() { Id = "first", Name = "First", Action = StepAction.Email, Timing = StepTiming.AfterDue(10), TemplateId = first },
            new() { Id = "second", Name = "Second", Action = StepAction.Pec, Timing = StepTiming.AfterDue(30), TemplateId = second },
        ],
    };

    private static void Configure(CreditRecoveryOptions options, string first, string second)
    {
        options.Procedures.Add(Procedure(first, second));
        options.Companies.Add(new CompanySettings { Id = "ACME", DefaultProcedureId = "p" });
    }
}
