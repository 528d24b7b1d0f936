using CreditRecovery.Procedures;
using NodaTime;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Scheduling;

/// <summary>After a pause, steps that fell due meanwhile do not all go out on the resume day.</summary>
public sealed class PauseSpacingTests
{
    private static readonly RecoveryProcedure DueAnchored = new()
    {
        Id = "due-anchored",
        Name = "Due-anchored",
        Steps =
        [
            new() { Id = "d10", Name = "10 days", Action = StepAction.Email, Timing = StepTiming.AfterDue(10), TemplateId = "t" },
            new() { Id = "d20", Name = "20 days", Action = StepAction.Email, Timing = StepTiming.AfterDue(20), TemplateId = "t" },
            new() { Id = "d35", Name = "35 days", Action = StepAction.Pec, Timing = StepTiming.AfterDue(35), TemplateId = "t" },
        ],
    };

    [Fact]
    public async Task A_resolved_dispute_resumes_the_schedule_with_its_original_spacing()
    {
        var h = new EngineHarness(o => o.Procedures.Add(DueAnchored), s => s.DefaultProcedureId = DueAnchored.Id);
        h.Ledger.Put(Customer("C1")).Put(Installment("A", "C1", new LocalDate(2026, 3, 2), 900m));
        var sent = new List<(LocalDate, string)>();
        for (var day = new LocalDate(2026, 3, 1); day <= new LocalDate(2026, 6, 30); day = day.PlusDays(1))
        {
            if (day == new LocalDate(2026, 3, 5))
            {
                await h.Engine.Desk.OpenDisputeAsync(OperatorId.System, Company, [new InstallmentKey("A")], "goods not delivered");
            }

            if (day == new LocalDate(2026, 4, 15))
            {
                await h.Engine.Desk.ResolveDisputeAsync(OperatorId.System, Company, [new InstallmentKey("A")], "delivery note signed");
            }

            var run = await h.DayAsync(day);
            sent.AddRange(run.Messages.Select(m => (day, m.StepId)));
        }

        // Nominal: 12/3, 23/3 (22/3 is a Sunday), 7/4 (6/4 is Easter Monday). Resumed on Wednesday 15/4: the first step
        // goes out that day (34 days late); each next one keeps its nominal distance from the one before it, on working
        // days: 23/3 + 34 = Sunday 26/4 → 27/4 (35 days late); 7/4 + 35 = 12/5.
        Assert.Equal(
            [(new LocalDate(2026, 4, 15), "d10"), (new LocalDate(2026, 4, 27), "d20"), (new LocalDate(2026, 5, 12), "d35")],
            sent);
    }
}
