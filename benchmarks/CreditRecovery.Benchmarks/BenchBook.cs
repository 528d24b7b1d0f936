using CreditRecovery.Calendar;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using NodaTime;

namespace CreditRecovery.Benchmarks;

/// <summary>The company, procedures and records the benchmarks share.</summary>
internal static class BenchBook
{
    public static readonly CompanyId Company = new("BENCH");
    public static readonly LocalDate Today = new(2026, 3, 11);

    public static readonly RecoveryProcedure Standard = new()
    {
        Id = "standard",
        Name = "Standard",
        Tolerance = 1m,
        Steps =
        [
            new() { Id = "reminder", Name = "Promemoria", Action = StepAction.PreDueReminder, Timing = StepTiming.BeforeDue(5), TemplateId = "pre-due" },
            new() { Id = "dunning-1", Name = "1° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterDue(10), TemplateId = "dunning-1" },
            new() { Id = "dunning-2", Name = "2° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterDue(25), TemplateId = "dunning-2" },
            new() { Id = "call", Name = "Telefonata", Action = StepAction.PhoneCall, Timing = StepTiming.AfterDue(40) },
        ],
    };

    public static readonly RecoveryProcedure Strict = Standard with { Id = "strict", Name = "Strict" };

    public static readonly RecoveryProcedure UnpaidReceipt = new()
    {
        Id = "riba-unpaid",
        Name = "RiBa insoluta",
        Steps = [new() { Id = "unpaid-notice", Name = "Avviso insoluto", Action = StepAction.Email, Timing = StepTiming.AfterDue(1), TemplateId = "unpaid" }],
    };

    public static CompanySettings Settings()
    {
        var settings = new CompanySettings
        {
            Id = Company.Value,
            Profile = new CompanyProfile { Name = "Bench S.p.A." },
            DefaultProcedureId = Standard.Id,
            UnpaidReceiptProcedureId = UnpaidReceipt.Id,
            Calendar = new ItalianCalendarOptions(),
        };
        settings.CategoryProcedures["PA"] = Strict.Id;
        settings.OperatorPool.Add(new OperatorId("anna"));
        return settings;
    }

    public static void Configure(CreditRecoveryOptions options)
    {
        options.Procedures.Add(Standard);
        options.Procedures.Add(Strict);
        options.Procedures.Add(UnpaidReceipt);
        options.Companies.Add(Settings());
    }

    public static CompanyContext Context() => new(Settings(), DateTimeZoneProviders.Tzdb["Europe/Rome"],
        new Dictionary<string, RecoveryProcedure> { [Standard.Id] = Standard, [Strict.Id] = Strict, [UnpaidReceipt.Id] = UnpaidReceipt });

    public static Customer Customer(int i) => new()
    {
        Company = Company,
        Code = $"C{i:D6}",
        Name = $"Cliente {i} S.r.l.",
        Email = $"amministrazione@c{i}.example",
        Category = (i % 3) switch { 0 => "STD", 1 => "GDO", _ => "PA" },
    };

    public static Installment Installment(int customer, int n, LocalDate due, decimal residual = 500m) => new()
    {
        Company = Company,
        Key = new InstallmentKey($"C{customer:D6}-{n:D3}/1"),
        CustomerCode = $"C{customer:D6}",
        Document = new DocumentReference(DocumentKind.Invoice, $"C{customer:D6}-{n:D3}", due.PlusDays(-30)),
        DueDate = due,
        OriginalAmount = Money.Eur(500m),
        OpenResidual = Money.Eur(residual),
        PaymentType = n % 2 == 0 ? PaymentType.BankReceipt : PaymentType.BankTransfer,
    };

    public static RecoveryCase Case(Installment installment) => new()
    {
        Company = Company,
        Key = installment.Key,
        CustomerCode = installment.CustomerCode,
        Installment = installment,
        Status = CaseStatus.Overdue,
        ProcedureId = Standard.Id,
        AnchorDate = installment.DueDate,
        OpenedOn = installment.DueDate,
        NextActionDate = Today,
        Version = 1,
    };

    /// <summary>A clock fixed at 09:00 in Rome of a date.</summary>
    public sealed class FixedClock(LocalDate date) : IClock
    {
        public Instant GetCurrentInstant() => date.At(new LocalTime(9, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/Rome"]).ToInstant();
    }
}
