using CreditRecovery.Calendar;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;

namespace CreditRecovery.ScaleHarness;

/// <summary>The procedures and company the harness runs: a typical Italian SME's dunning ladder.</summary>
public static class BenchProcedures
{
    /// <summary>Days before the due date of the pre-due reminder.</summary>
    public const int ReminderDays = 5;

    /// <summary>Days after the due date of the first dunning e-mail.</summary>
    public const int Dunning1Days = 10;

    /// <summary>Days after the due date of the second dunning e-mail.</summary>
    public const int Dunning2Days = 25;

    /// <summary>Days after the due date of the formal demand by PEC.</summary>
    public const int FormalDemandDays = 40;

    /// <summary>Days after the due date of the operator's phone call.</summary>
    public const int CallDays = 55;

    /// <summary>The company every book belongs to.</summary>
    public static readonly CompanyId Company = new("BENCH");

    /// <summary>The ordinary procedure.</summary>
    public static readonly RecoveryProcedure Standard = new()
    {
        Id = "standard",
        Name = "Standard",
        Tolerance = 1m,
        Steps =
        [
            new() { Id = "reminder", TemplateId = "pre-due", Name = "Promemoria", Action = StepAction.PreDueReminder, Timing = StepTiming.BeforeDue(ReminderDays) },
            new() { Id = "dunning-1", TemplateId = "dunning-1", Name = "1° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterDue(Dunning1Days) },
            new() { Id = "dunning-2", TemplateId = "dunning-2", Name = "2° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterDue(Dunning2Days) },
            new() { Id = "formal-demand", TemplateId = "formal-demand", Name = "Messa in mora", Action = StepAction.Pec, Timing = StepTiming.AfterDue(FormalDemandDays), Conditions = new StepConditions { MinimumResidual = 100m } },
            new() { Id = "call", Name = "Telefonata", Action = StepAction.PhoneCall, Timing = StepTiming.AfterDue(CallDays) },
        ],
    };

    /// <summary>The unpaid bank receipt procedure.</summary>
    public static readonly RecoveryProcedure UnpaidReceipt = new()
    {
        Id = "riba-unpaid",
        Name = "RiBa insoluta",
        Steps =
        [
            new() { Id = "unpaid-notice", TemplateId = "unpaid-receipt", Name = "Avviso insoluto", Action = StepAction.Email, Timing = StepTiming.AfterDue(1) },
            new() { Id = "unpaid-demand", TemplateId = "formal-demand", Name = "Messa in mora insoluto", Action = StepAction.Pec, Timing = StepTiming.AfterPrevious(10) },
        ],
    };

    /// <summary>Configures the engine for the harness's company.</summary>
    /// <param name="options">The options.</param>
    public static void Configure(CreditRecoveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Procedures.Add(Standard);
        options.Procedures.Add(UnpaidReceipt);
        var settings = new CompanySettings
        {
            Id = Company.Value,
            Profile = new CompanyProfile { Name = "Bench S.p.A.", Email = "crediti@bench.example" },
            DefaultProcedureId = Standard.Id,
            UnpaidReceiptProcedureId = UnpaidReceipt.Id,
            Calendar = new ItalianCalendarOptions(),
        };
        foreach (var name in new[] { "anna", "bruno", "carla", "dario" })
        {
            settings.OperatorPool.Add(new OperatorId(name));
        }

        options.Companies.Add(settings);
    }
}
