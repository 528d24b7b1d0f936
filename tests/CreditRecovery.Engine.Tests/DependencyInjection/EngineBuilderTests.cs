using CreditRecovery.Testing;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.DependencyInjection;

public sealed class EngineBuilderTests
{
    [Fact]
    public void Configuring_the_builder_after_Build_does_not_change_the_built_engine()
    {
        var builder = new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                o.Procedures.Add(EngineHarness.Procedures.Standard);
                o.Companies.Add(new CompanySettings { Id = "ACME", DefaultProcedureId = EngineHarness.Procedures.Standard.Id, Profile = new() { Name = "ACME" } });
            })
            .UseStore(new InMemoryRecoveryStore());
        var engine = builder.Build();

        builder.Configure(o => o.Companies.Add(new CompanySettings { Id = "OTHER", DefaultProcedureId = EngineHarness.Procedures.Standard.Id, Profile = new() { Name = "Other" } }));

        Assert.Equal([new CompanyId("ACME")], engine.Companies);
        Assert.Single(engine.Options.Companies);
        Assert.Equal(2, builder.Build().Options.Companies.Count);
    }
}
