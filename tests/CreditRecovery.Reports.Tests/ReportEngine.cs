using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing.Reporting;
using NodaTime;
using NodaTime.Testing;

namespace CreditRecovery.Reports.Tests;

/// <summary>An engine over a store with the company ACME, its operators and a generated book.</summary>
internal sealed class ReportEngine : IAsyncDisposable
{
    public static readonly CompanyId Company = new("ACME");
    public static readonly LocalDate AsOf = new(2026, 3, 31);
    public static readonly OperatorId Op1 = ReportBook.Operators[0];
    public static readonly OperatorId Op2 = ReportBook.Operators[1];
    public static readonly OperatorId Supervisor = new("sup");
    public static readonly OperatorId Admin = new("admin");

    public static readonly RecoveryProcedure Standard = new()
    {
        Id = "standard",
        Name = "Standard",
        Steps =
        [
            new() { Id = "dunning-1", Name = "1° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterDue(10), TemplateId = "dunning-1" },
            new() { Id = "dunning-2", Name = "2° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterPrevious(15), TemplateId = "dunning-2" },
        ],
    };

    private ReportEngine(IRecoveryStore store, Action<CompanySettings>? company)
    {
        Store = store;
        Engine = new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                o.Procedures.Add(Standard);
                var settings = new CompanySettings { Id = Company.Value, DefaultProcedureId = Standard.Id, Profile = new CompanyProfile { Name = "ACME S.p.A." } };
                company?.Invoke(settings);
                o.Companies.Add(settings);
            })
            .UseStore(store)
            .UseClock(new FakeClock(AsOf.AtStartOfDayInZone(DateTimeZoneProviders.Tzdb["Europe/Rome"]).ToInstant().Plus(Duration.FromHours(9))))
            .Build();
    }

    public IRecoveryStore Store { get; }

    public CreditRecoveryEngine Engine { get; }

    public static async Task<ReportEngine> CreateAsync(string kind, RecoveryChangeSet? book = null, Action<CompanySettings>? company = null)
    {
        var engine = new ReportEngine(Stores.Create(kind), company);
        var people = new RecoveryChangeSet(Company);
        people.Operators.Add(Person(Op1, OperatorRole.Operator));
        people.Operators.Add(Person(Op2, OperatorRole.Operator) with { SupervisorId = Supervisor });
        people.Operators.Add(Person(ReportBook.Operators[2], OperatorRole.Operator));
        people.Operators.Add(Person(Supervisor, OperatorRole.Supervisor));
        people.Operators.Add(Person(Admin, OperatorRole.Administrator));
        await engine.Store.CommitAsync(people);
        if (book is not null)
        {
            await engine.Store.CommitAsync(book);
        }

        return engine;
    }

    public ValueTask DisposeAsync() => Stores.DisposeAsync(Store);

    private static Operator Person(OperatorId id, OperatorRole role) => new() { Id = id, Name = id.Value, Role = role, Companies = new HashSet<CompanyId> { Company } };
}
