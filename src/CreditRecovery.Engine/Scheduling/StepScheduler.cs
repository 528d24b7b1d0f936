using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using NodaTime;

namespace CreditRecovery.Scheduling;

/// <summary>The next step of a case and the date it is due.</summary>
/// <param name="Index">The step's position.</param>
/// <param name="Step">The step.</param>
/// <param name="NominalDate">The date from the step's timing alone.</param>
/// <param name="ScheduledOn">The effective date: never before the previous step, a resume date or the end of a customer extension.</param>
/// <param name="DeferredByExtension">Whether the customer's extension (*proroga*) moved it.</param>
internal readonly record struct DueStep(int Index, ProcedureStep Step, LocalDate NominalDate, LocalDate ScheduledOn, bool DeferredByExtension);

/// <summary>
/// Computes when a case's next step is due. Dates are pure functions of the case's anchors (due date, unpaid-receipt
/// date, the previous step's scheduled date), never of the day the run happens to execute, so running every day and
/// catching up after a gap schedule the same steps on the same dates.
/// </summary>
internal static class StepScheduler
{
    public static DueStep? NextStep(RecoveryCase @case, RecoveryProcedure procedure, IBusinessCalendar calendar, Customer? customer)
    {
        StepExecution? previous = null;
        foreach (var execution in @case.Steps)
        {
            if (execution.Cycle == @case.Cycle && execution.ProcedureId == procedure.Id && (previous is null || execution.StepIndex > previous.StepIndex))
            {
                previous = execution;
            }
        }

        var index = previous is null ? 0 : previous.StepIndex + 1;
        if (index >= procedure.Steps.Count)
        {
            return null;
        }

        var step = procedure.Steps[index];
        var nominal = NominalDate(step.Timing, @case, previous, calendar);
        var effective = nominal;

        if (previous is not null && effective < PreviousAnchor(previous))
        {
            effective = PreviousAnchor(previous);
        }

        // After a pause (dispute, extension, broken promise) a step timed from the due date keeps the distance it had
        // from the previous step in the nominal schedule, instead of falling due together with it on the resume day.
        if (step.Timing.Anchor == TimingAnchor.AfterDueDate && previous is not null && previous.ProcedureId == procedure.Id &&
            previous.StepIndex < procedure.Steps.Count && procedure.Steps[previous.StepIndex].Timing is { Anchor: TimingAnchor.AfterDueDate } previousTiming)
        {
            var delay = Period.Between(NominalDate(previousTiming, @case, null, calendar), previous.ScheduledOn, PeriodUnits.Days).Days;
            if (delay > 0)
            {
                var spaced = calendar.NextBusinessDayOnOrAfter(nominal.PlusDays(delay));
                if (effective < spaced)
                {
                    effective = spaced;
                }
            }
        }

        if (@case.ResumedOn is { } resumed && effective < resumed)
        {
            effective = calendar.NextBusinessDayOnOrAfter(resumed);
        }

        var deferred = false;
        if (customer?.ExtensionUntil is { } extension && effective <= extension)
        {
            effective = calendar.NextBusinessDayOnOrAfter(extension.PlusDays(1));
            deferred = true;
        }

        return new DueStep(index, step, nominal, effective, deferred);
    }

    /// <summary>Whether a pre-due step can no longer run on <paramref name="date"/>: its due date has passed.</summary>
    public static bool IsExpired(DueStep step, RecoveryCase @case, LocalDate date) =>
        step.Step.Timing.Anchor == TimingAnchor.BeforeDueDate && date > @case.Installment.DueDate;

    private static LocalDate PreviousAnchor(StepExecution previous) =>
        previous.Outcome == StepOutcome.CompletedByOperator ? previous.ExecutedOn : previous.ScheduledOn;

    private static LocalDate NominalDate(StepTiming timing, RecoveryCase @case, StepExecution? previous, IBusinessCalendar calendar)
    {
        switch (timing.Anchor)
        {
            case TimingAnchor.BeforeDueDate:
            {
                var due = @case.Installment.DueDate;
                if (timing.Unit == DayUnit.Business)
                {
                    return calendar.AddBusinessDays(due, -timing.Days);
                }

                var date = due.PlusDays(-timing.Days);
                return calendar.IsBusinessDay(date) ? date : calendar.AddBusinessDays(date, -1);
            }

            case TimingAnchor.AfterDueDate:
            {
                var date = After(@case.AnchorDate, timing, calendar);
                return NotBeforeOverdue(date, @case, calendar);
            }

            default:
            {
                var from = previous is null ? @case.AnchorDate : PreviousAnchor(previous);
                var date = After(from, timing, calendar);
                return NotBeforeOverdue(date, @case, calendar);
            }
        }
    }

    private static LocalDate After(LocalDate from, StepTiming timing, IBusinessCalendar calendar) =>
        timing.Unit == DayUnit.Business && timing.Days > 0
            ? calendar.AddBusinessDays(from, timing.Days)
            : calendar.NextBusinessDayOnOrAfter(from.PlusDays(timing.Days));

    /// <summary>An installment is overdue only from the day after its due date; dunning never comes earlier.</summary>
    private static LocalDate NotBeforeOverdue(LocalDate date, RecoveryCase @case, IBusinessCalendar calendar)
    {
        var firstOverdueDay = calendar.NextBusinessDayOnOrAfter(@case.Installment.DueDate.PlusDays(1));
        return date < firstOverdueDay ? firstOverdueDay : date;
    }
}
