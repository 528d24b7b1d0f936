using CreditRecovery.Calendar;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Running;
using CreditRecovery.Testing;
using CreditRecovery.Work;
using NodaTime;
using NodaTime.Testing;

namespace CreditRecovery.Engine.Tests;

/// <summary>An engine over the in-memory store, a scripted ledger and a fake clock set to 09:00 in Rome of each business date.</summary>
internal sealed class EngineHarness
{
    public static readonly CompanyId Company = new("ACME");
    public static readonly DateTimeZone Rome = DateTimeZoneProviders.Tzdb["Europe/Rome"];

    public EngineHarness(Action<CreditRecoveryOptions>? configure = null, Action<CompanySettings>? company = null, Action<CreditRecoveryEngineBuilder>? ports = null)
    {
        var builder = new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                o.Procedures.Add(Procedures.Standard);
                o.Procedures.Add(Procedures.UnpaidReceipt);
                var settings = new CompanySettings
                {
                    Id = Company.Value,
                    Profile = new CompanyProfile { Name = "ACME S.p.A.", Email = "crediti@acme.example" },
                    DefaultProcedureId = Procedures.Standard.Id,
                    UnpaidReceiptProcedureId = Procedures.UnpaidReceipt.Id,
                    ManagerEmail = "manager@acme.example",
                    Calendar = new ItalianCalendarOptions(),
                };
                settings.OperatorPool.Add(new OperatorId("anna"));
                company?.Invoke(settings);
                o.Companies.Add(settings);
                configure?.Invoke(o);
            })
            .UseStore(Store)
            .UseLedger(Ledger)
            .UseClock(Clock);
        ports?.Invoke(builder);
        Engine = builder.Build();
    }

    public FakeClock Clock { get; } = new(Instant.FromUtc(2026, 1, 1, 8, 0));

    public InMemoryRecoveryStore Store { get; } = new();

    public ScriptedLedgerSource Ledger { get; } = new();

    public CreditRecoveryEngine Engine { get; }

    public void SetDate(LocalDate date) => Clock.Reset(date.At(new LocalTime(9, 0)).InZoneLeniently(Rome).ToInstant());

    /// <summary>Aligns with the ledger and runs the date.</summary>
    public async Task<RunReport> DayAsync(LocalDate date, bool dryRun = false)
    {
        SetDate(date);
        var (_, run) = await Engine.RunDayAsync(Company, date, dryRun ? RunOptions.Dry : RunOptions.Default);
        return run;
    }

    public async Task<RecoveryCase> CaseAsync(string key) => (await Store.GetCaseAsync(Company, new InstallmentKey(key)))!;

    public async Task<List<OperatorTask>> OpenTasksAsync()
    {
        var list = new List<OperatorTask>();
        await foreach (var t in Store.ReadTasksAsync(Company, new TaskFilter { Status = OperatorTaskStatus.Open }))
        {
            list.Add(t);
        }

        return list;
    }

    public static Customer Customer(string code, Func<Customer, Customer>? tweak = null)
    {
        var c = new Customer
        {
            Company = Company,
            Code = code,
            Name = $"Cliente {code} S.r.l.",
            Email = $"amministrazione@{code.ToLowerInvariant()}.example",
            Pec = $"{code.ToLowerInvariant()}@pec.example",
            Address = new PostalAddress("Via Roma 1", "20100", "Milano", "MI"),
            Category = "STD",
        };
        return tweak is null ? c : tweak(c);
    }

    public static Installment Installment(string key, string customer, LocalDate due, decimal amount, decimal? residual = null, PaymentType type = PaymentType.BankTransfer) => new()
    {
        Company = Company,
        Key = new InstallmentKey(key),
        CustomerCode = customer,
        Document = new DocumentReference(DocumentKind.Invoice, "FT-" + key, due.PlusDays(-30)),
        DueDate = due,
        OriginalAmount = Money.Eur(amount),
        OpenResidual = Money.Eur(residual ?? amount),
        PaymentType = type,
    };

    /// <summary>The procedures the tests use.</summary>
    public static class Procedures
    {
        public static readonly RecoveryProcedure Standard = new()
        {
            Id = "standard",
            Name = "Standard",
            Tolerance = 1m,
            Steps =
            [
                new() { Id = "reminder", Name = "Promemoria", Action = StepAction.PreDueReminder, Timing = StepTiming.BeforeDue(5), TemplateId = "pre-due", CopyToManager = true },
                new() { Id = "dunning-1", Name = "1° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterDue(10), TemplateId = "dunning-1" },
                new() { Id = "dunning-2", Name = "2° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterPrevious(15), TemplateId = "dunning-2" },
                new() { Id = "call", Name = "Telefonata", Action = StepAction.PhoneCall, Timing = StepTiming.AfterPrevious(7) },
                new() { Id = "formal-demand", Name = "Messa in mora", Action = StepAction.Pec, Timing = StepTiming.AfterPrevious(10), TemplateId = "formal-demand", Conditions = new StepConditions { MinimumResidual = 100m } },
                new() { Id = "legal", Name = "Parcheggio legale", Action = StepAction.Park, Timing = StepTiming.AfterPrevious(20), ParkingArea = ParkingArea.Legal },
            ],
        };

        public static readonly RecoveryProcedure UnpaidReceipt = new()
        {
            Id = "riba-unpaid",
            Name = "RiBa insoluta",
            Steps =
            [
                new() { Id = "unpaid-notice", Name = "Avviso insoluto", Action = StepAction.Email, Timing = StepTiming.AfterDue(1), TemplateId = "unpaid-receipt" },
                new() { Id = "unpaid-demand", Name = "Messa in mora insoluto", Action = StepAction.Pec, Timing = StepTiming.AfterPrevious(10), TemplateId = "formal-demand" },
            ],
        };
    }
}
