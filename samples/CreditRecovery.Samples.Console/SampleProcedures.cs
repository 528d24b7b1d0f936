using CreditRecovery.Procedures;

namespace CreditRecovery.Samples.Console;

/// <summary>
/// The demo company's procedures: an ordinary one (reminder, two e-mails, a printed letter, a call, a formal demand by PEC
/// claiming statutory interest, hand-over to a lawyer once confirmed) and one for unpaid bank receipts.
/// Template ids are the defaults shipped by <c>CreditRecovery.Templates.Liquid</c> (see docs/templates.md).
/// </summary>
internal static class SampleProcedures
{
    public static readonly RecoveryProcedure Standard = new()
    {
        Id = "standard",
        Name = "Standard",
        Tolerance = 2m,
        Steps =
        [
            new() { Id = "reminder", Name = "Promemoria di scadenza", Action = StepAction.PreDueReminder, Timing = StepTiming.BeforeDue(5), TemplateId = "pre-due-reminder" },
            new() { Id = "dunning-1", Name = "1° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterDue(7, DayUnit.Business), TemplateId = "dunning-1" },
            new() { Id = "dunning-2", Name = "2° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterPrevious(10), TemplateId = "dunning-2", CopyToManager = true },
            new() { Id = "letter", Name = "Sollecito per lettera", Action = StepAction.Letter, Timing = StepTiming.AfterPrevious(5, DayUnit.Business), TemplateId = "dunning-2" },
            new() { Id = "call", Name = "Telefonata", Action = StepAction.PhoneCall, Timing = StepTiming.AfterPrevious(3, DayUnit.Business) },
            new()
            {
                Id = "formal-demand", Name = "Messa in mora (PEC)", Action = StepAction.Pec, Timing = StepTiming.AfterPrevious(7), TemplateId = "formal-demand",
                Conditions = new StepConditions { MinimumResidual = 250m }, ClaimLatePaymentInterest = true, CopyToManager = true,
            },
            new() { Id = "lawyer", Name = "Affidamento al legale", Action = StepAction.HandOver, Timing = StepTiming.AfterPrevious(20), RequiresConfirmation = true, HandOverTo = new HandOverTarget(HandOverKind.Lawyer, "Studio Legale Esempio") },
        ],
    };

    public static readonly RecoveryProcedure UnpaidReceipt = new()
    {
        Id = "unpaid-receipt",
        Name = "RiBa insoluta",
        Steps =
        [
            new() { Id = "unpaid-notice", Name = "Avviso di insoluto", Action = StepAction.Email, Timing = StepTiming.AfterDue(1, DayUnit.Business), TemplateId = "unpaid-receipt" },
            new() { Id = "unpaid-call", Name = "Telefonata insoluto", Action = StepAction.PhoneCall, Timing = StepTiming.AfterPrevious(3, DayUnit.Business) },
            new() { Id = "unpaid-demand", Name = "Messa in mora insoluto (PEC)", Action = StepAction.Pec, Timing = StepTiming.AfterPrevious(10), TemplateId = "formal-demand", ClaimLatePaymentInterest = true },
        ],
    };
}
