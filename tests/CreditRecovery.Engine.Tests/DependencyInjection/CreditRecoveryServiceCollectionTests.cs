using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using NodaTime.Testing;
using Harness = CreditRecovery.Engine.Tests.EngineHarness.Procedures;

namespace CreditRecovery.Engine.Tests.DependencyInjection;

public sealed class CreditRecoveryServiceCollectionTests
{
    private static readonly ServiceProviderOptions Strict = new() { ValidateOnBuild = true, ValidateScopes = true };

    private static readonly RecoveryProcedure Bad = new()
    {
        Id = "bad",
        Name = "Bad",
        Steps = [new() { Id = "mail", Name = "Mail", Action = StepAction.Email, Timing = StepTiming.AfterDue(3) }],
    };

    private static void Valid(CreditRecoveryOptions o)
    {
        o.Procedures.Add(Harness.Standard);
        o.Procedures.Add(Harness.UnpaidReceipt);
        o.Companies.Add(new CompanySettings
        {
            Id = EngineHarness.Company.Value,
            Profile = new CompanyProfile { Name = "ACME S.p.A." },
            DefaultProcedureId = Harness.Standard.Id,
            UnpaidReceiptProcedureId = Harness.UnpaidReceipt.Id,
        });
    }

    /// <summary>Three problems: an unknown time zone, no company, a communication step without template.</summary>
    private static void Invalid(CreditRecoveryOptions o)
    {
        o.TimeZoneId = "Europe/Atlantis";
        o.Procedures.Add(Harness.Standard);
        o.Procedures.Add(Bad);
    }

    private static void AssertListsEveryProblem(OptionsValidationException error)
    {
        Assert.Equal(typeof(CreditRecoveryOptions), error.OptionsType);
        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("TimeZoneId 'Europe/Atlantis'", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("no company is configured", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("procedure 'bad', step 1 'mail'", StringComparison.Ordinal) && f.Contains("needs a template", StringComparison.Ordinal));
        foreach (var failure in error.Failures)
        {
            Assert.Contains(failure, error.Message, StringComparison.Ordinal);
        }
    }

    private static ServiceCollection Services(Action<CreditRecoveryOptions> configure, IRecoveryStore? store = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(store ?? new InMemoryRecoveryStore());
        services.AddCreditRecovery(configure);
        return services;
    }

    private sealed class FixedTemplates(params string[] ids) : ITemplateRenderer
    {
        public bool HasTemplate(string templateId) => ids.Contains(templateId, StringComparer.Ordinal);

        public ValueTask<RenderedMessage> RenderAsync(string templateId, MessageModel model, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(new RenderedMessage(templateId, templateId));
    }

    // ---------------------------------------------------------------- AddCreditRecovery

    [Fact]
    public void Valid_options_and_a_store_resolve_the_engine()
    {
        var store = new InMemoryRecoveryStore();
        var services = new ServiceCollection();
        services.AddSingleton<IRecoveryStore>(store);
        services.AddCreditRecovery(Valid);
        using var provider = services.BuildServiceProvider(Strict);

        provider.GetRequiredService<IStartupValidator>().Validate();
        var engine = provider.GetRequiredService<CreditRecoveryEngine>();
        Assert.Same(engine, provider.GetRequiredService<CreditRecoveryEngine>());
        Assert.Same(store, engine.Store);
        Assert.Null(engine.Ledger);
        Assert.Equal(new[] { EngineHarness.Company }, engine.Companies);
        Assert.Same(SystemClock.Instance, provider.GetRequiredService<IClock>());
    }

    [Fact]
    public void A_registered_ledger_source_enables_ledger_alignment()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IRecoveryStore>(new InMemoryRecoveryStore());
        services.AddSingleton<ILedgerSource>(new ScriptedLedgerSource());
        services.AddCreditRecovery(Valid);
        using var provider = services.BuildServiceProvider(Strict);

        Assert.NotNull(provider.GetRequiredService<CreditRecoveryEngine>().Ledger);
    }

    [Fact]
    public void Invalid_options_fail_the_startup_validator_listing_every_problem()
    {
        using var provider = Services(Invalid).BuildServiceProvider(Strict);
        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);
        AssertListsEveryProblem(error);
    }

    [Fact]
    public void Invalid_options_fail_resolving_the_engine_without_a_host()
    {
        using var provider = Services(Invalid).BuildServiceProvider(Strict);
        AssertListsEveryProblem(Assert.Throws<OptionsValidationException>(provider.GetRequiredService<CreditRecoveryEngine>));
        AssertListsEveryProblem(Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<CreditRecoveryOptions>>().Value));
    }

    [Fact]
    public void A_registered_template_renderer_checks_template_ids()
    {
        var services = Services(Valid);
        services.AddSingleton<ITemplateRenderer>(new FixedTemplates("pre-due", "dunning-1", "formal-demand", "unpaid-receipt"));
        using var provider = services.BuildServiceProvider(Strict);

        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);
        var failure = Assert.Single(error.Failures);
        Assert.Contains("procedure 'standard', step 3 'dunning-2': template 'dunning-2' does not exist", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_companies_and_bad_limits_are_reported()
    {
        using var provider = Services(o =>
        {
            Valid(o);
            o.Companies.Add(new CompanySettings { Id = EngineHarness.Company.Value, DefaultProcedureId = Harness.Standard.Id });
            o.LedgerBatchSize = 0;
            o.ConflictRetries = -1;
        }).BuildServiceProvider(Strict);

        var error = Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);
        Assert.Equal(3, error.Failures.Count());
        Assert.Contains(error.Failures, f => f.Contains("company 'ACME' is configured twice", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("LedgerBatchSize", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("ConflictRetries", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_missing_time_zone_is_a_validation_failure(string? zone)
    {
        // Configuration binding can set a null or empty TimeZoneId: it must be reported, not crash the validator.
        var builder = new CreditRecoveryEngineBuilder().Configure(o =>
        {
            Valid(o);
            o.TimeZoneId = zone!;
        }).UseStore(new InMemoryRecoveryStore());
        var error = Assert.Throws<OptionsValidationException>(builder.Build);
        Assert.Contains("TimeZoneId", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void A_clock_registered_first_is_kept()
    {
        // 23:30 UTC on 30 June is already 1 July in Rome (CEST).
        var clock = new FakeClock(Instant.FromUtc(2030, 6, 30, 23, 30));
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(clock);
        services.AddSingleton<IRecoveryStore>(new InMemoryRecoveryStore());
        services.AddCreditRecovery(Valid);
        using var provider = services.BuildServiceProvider(Strict);

        Assert.Same(clock, provider.GetRequiredService<IClock>());
        Assert.Single(services, d => d.ServiceType == typeof(IClock));
        var engine = provider.GetRequiredService<CreditRecoveryEngine>();
        Assert.Equal(new LocalDate(2030, 7, 1), engine.Runner.Today(EngineHarness.Company));
        clock.AdvanceDays(1);
        Assert.Equal(new LocalDate(2030, 7, 2), engine.Runner.Today(EngineHarness.Company));
    }

    [Fact]
    public void Resolving_the_engine_without_a_store_fails()
    {
        var services = new ServiceCollection();
        services.AddCreditRecovery(Valid);
        using var provider = services.BuildServiceProvider();
        Assert.Throws<InvalidOperationException>(provider.GetRequiredService<CreditRecoveryEngine>);
    }

    // ---------------------------------------------------------------- CreditRecoveryEngineBuilder

    [Fact]
    public void The_builder_builds_an_engine_from_valid_options()
    {
        var store = new InMemoryRecoveryStore();
        var clock = new FakeClock(Instant.FromUtc(2030, 6, 30, 23, 30));
        var engine = new CreditRecoveryEngineBuilder().Configure(Valid).UseStore(store).UseLedger(new ScriptedLedgerSource()).UseClock(clock).Build();
        Assert.Same(store, engine.Store);
        Assert.NotNull(engine.Ledger);
        Assert.Equal(new LocalDate(2030, 7, 1), engine.Runner.Today(EngineHarness.Company));
    }

    [Fact]
    public void The_builder_rejects_invalid_options_listing_every_problem()
    {
        var builder = new CreditRecoveryEngineBuilder().Configure(Invalid).UseStore(new InMemoryRecoveryStore());
        AssertListsEveryProblem(Assert.Throws<OptionsValidationException>(builder.Build));
    }

    [Fact]
    public void The_builder_checks_template_ids_when_given_templates()
    {
        var builder = new CreditRecoveryEngineBuilder().Configure(Valid).UseStore(new InMemoryRecoveryStore());
        _ = builder.Build();
        builder.UseTemplates(new FixedTemplates("pre-due", "dunning-1", "dunning-2", "formal-demand"));
        var error = Assert.Throws<OptionsValidationException>(builder.Build);
        Assert.Contains("procedure 'riba-unpaid', step 1 'unpaid-notice': template 'unpaid-receipt' does not exist", Assert.Single(error.Failures), StringComparison.Ordinal);
    }

    [Fact]
    public void The_builder_requires_a_store()
    {
        Assert.Throws<InvalidOperationException>(new CreditRecoveryEngineBuilder().Configure(Valid).Build);
        Assert.Throws<InvalidOperationException>(new CreditRecoveryEngineBuilder().Configure(Invalid).Build);
    }
}
