using CreditRecovery.Cases;
using CreditRecovery.Workflow;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CreditRecovery.Engine.Tests.Workflow;

public sealed class RecoveryStateMachineTests
{
    private static readonly CaseStatus[] AllStatuses = Enum.GetValues<CaseStatus>();
    private static readonly RecoveryTrigger[] AllTriggers = Enum.GetValues<RecoveryTrigger>();

    /// <summary>Where a resuming trigger can send a case: the states computed from its dates.</summary>
    private static readonly CaseStatus[] ResumeStatuses = [CaseStatus.NotDue, CaseStatus.Reminded, CaseStatus.Overdue, CaseStatus.InProcedure];

    private static readonly RecoveryTrigger[] ClosingTriggers =
        [RecoveryTrigger.LedgerPaid, RecoveryTrigger.LedgerRemoved, RecoveryTrigger.LedgerCancelledByCreditNote, RecoveryTrigger.WriteOff];

    // ---------------------------------------------------------------- allowed transitions

    [Theory]
    [InlineData(CaseStatus.NotDue, RecoveryTrigger.DueDatePassed, CaseStatus.Overdue)]
    [InlineData(CaseStatus.NotDue, RecoveryTrigger.StepExecuted, CaseStatus.Reminded)]
    [InlineData(CaseStatus.NotDue, RecoveryTrigger.StepAwaitsOperator, CaseStatus.AwaitingOperator)]
    [InlineData(CaseStatus.Reminded, RecoveryTrigger.StepExecuted, CaseStatus.Reminded)]
    [InlineData(CaseStatus.Reminded, RecoveryTrigger.DueDatePassed, CaseStatus.Overdue)]
    [InlineData(CaseStatus.Overdue, RecoveryTrigger.StepExecuted, CaseStatus.InProcedure)]
    [InlineData(CaseStatus.Overdue, RecoveryTrigger.PromiseRecorded, CaseStatus.Promised)]
    [InlineData(CaseStatus.Overdue, RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.Overdue)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.StepExecuted, CaseStatus.InProcedure)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.StepAwaitsOperator, CaseStatus.AwaitingOperator)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.PromiseRecorded, CaseStatus.Promised)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.LedgerPartiallyPaid, CaseStatus.InProcedure)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.Overdue)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.DisputeOpened, CaseStatus.Disputed)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.ExtensionGranted, CaseStatus.Suspended)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.Park, CaseStatus.Parked)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.HandOver, CaseStatus.HandedOver)]
    [InlineData(CaseStatus.AwaitingOperator, RecoveryTrigger.PromiseRecorded, CaseStatus.Promised)]
    [InlineData(CaseStatus.Promised, RecoveryTrigger.PromiseRecorded, CaseStatus.Promised)]
    [InlineData(CaseStatus.Promised, RecoveryTrigger.ExtensionGranted, CaseStatus.Suspended)]
    [InlineData(CaseStatus.Promised, RecoveryTrigger.DisputeOpened, CaseStatus.Disputed)]
    [InlineData(CaseStatus.Suspended, RecoveryTrigger.ExtensionGranted, CaseStatus.Suspended)]
    [InlineData(CaseStatus.Suspended, RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.Overdue)]
    [InlineData(CaseStatus.Disputed, RecoveryTrigger.Park, CaseStatus.Parked)]
    [InlineData(CaseStatus.Disputed, RecoveryTrigger.HandOver, CaseStatus.HandedOver)]
    [InlineData(CaseStatus.Disputed, RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.Disputed)]
    [InlineData(CaseStatus.Parked, RecoveryTrigger.Park, CaseStatus.Parked)]
    [InlineData(CaseStatus.Parked, RecoveryTrigger.HandOver, CaseStatus.HandedOver)]
    [InlineData(CaseStatus.Parked, RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.Parked)]
    [InlineData(CaseStatus.HandedOver, RecoveryTrigger.Park, CaseStatus.Parked)]
    [InlineData(CaseStatus.HandedOver, RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.HandedOver)]
    [InlineData(CaseStatus.Closed, RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.Overdue)]
    public void Allowed_transitions(CaseStatus from, RecoveryTrigger trigger, CaseStatus expected)
    {
        var machine = new RecoveryStateMachine();
        Assert.True(machine.CanFire(from, trigger));
        Assert.Equal(expected, machine.Fire(from, trigger));
    }

    [Theory]
    [InlineData(RecoveryTrigger.LedgerPaid)]
    [InlineData(RecoveryTrigger.LedgerRemoved)]
    [InlineData(RecoveryTrigger.LedgerCancelledByCreditNote)]
    [InlineData(RecoveryTrigger.WriteOff)]
    public void Every_open_status_closes_on_ledger_closure_and_write_off(RecoveryTrigger trigger)
    {
        var machine = new RecoveryStateMachine();
        foreach (var from in AllStatuses.Where(s => s != CaseStatus.Closed))
        {
            Assert.Equal(CaseStatus.Closed, machine.Fire(from, trigger));
        }

        Assert.False(machine.CanFire(CaseStatus.Closed, trigger));
    }

    [Fact]
    public void A_partial_payment_never_moves_an_open_case()
    {
        var machine = new RecoveryStateMachine();
        foreach (var from in AllStatuses.Where(s => s != CaseStatus.Closed))
        {
            Assert.Equal(from, machine.Fire(from, RecoveryTrigger.LedgerPartiallyPaid));
        }
    }

    public static TheoryData<CaseStatus, RecoveryTrigger, CaseStatus> ResumeCases()
    {
        var data = new TheoryData<CaseStatus, RecoveryTrigger, CaseStatus>();
        var resuming = new (CaseStatus From, RecoveryTrigger Trigger)[]
        {
            (CaseStatus.AwaitingOperator, RecoveryTrigger.OperatorCompletedStep),
            (CaseStatus.Promised, RecoveryTrigger.PromiseBroken),
            (CaseStatus.Promised, RecoveryTrigger.PromiseFulfilled),
            (CaseStatus.Disputed, RecoveryTrigger.DisputeResolved),
            (CaseStatus.Suspended, RecoveryTrigger.ExtensionEnded),
            (CaseStatus.Parked, RecoveryTrigger.Resume),
            (CaseStatus.HandedOver, RecoveryTrigger.Resume),
            (CaseStatus.Closed, RecoveryTrigger.LedgerReopened),
        };
        foreach (var (from, trigger) in resuming)
        {
            foreach (var to in ResumeStatuses)
            {
                data.Add(from, trigger, to);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ResumeCases))]
    public void Resume_triggers_go_to_the_given_resume_status(CaseStatus from, RecoveryTrigger trigger, CaseStatus resumeTo)
    {
        var machine = new RecoveryStateMachine();
        Assert.True(machine.CanFire(from, trigger));
        Assert.Equal(resumeTo, machine.Fire(from, trigger, resumeTo));
    }

    [Fact]
    public void Non_resuming_triggers_ignore_the_resume_status()
    {
        var machine = new RecoveryStateMachine();
        Assert.Equal(CaseStatus.InProcedure, machine.Fire(CaseStatus.Overdue, RecoveryTrigger.StepExecuted, CaseStatus.NotDue));
        Assert.Equal(CaseStatus.Overdue, machine.Fire(CaseStatus.Closed, RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.InProcedure));
        Assert.Equal(CaseStatus.Closed, machine.Fire(CaseStatus.Parked, RecoveryTrigger.LedgerPaid, CaseStatus.Reminded));
    }

    // ---------------------------------------------------------------- refused transitions

    [Theory]
    [InlineData(CaseStatus.Closed, RecoveryTrigger.StepExecuted)]
    [InlineData(CaseStatus.Closed, RecoveryTrigger.LedgerPaid)]
    [InlineData(CaseStatus.Closed, RecoveryTrigger.LedgerPartiallyPaid)]
    [InlineData(CaseStatus.Closed, RecoveryTrigger.WriteOff)]
    [InlineData(CaseStatus.Closed, RecoveryTrigger.Park)]
    [InlineData(CaseStatus.Closed, RecoveryTrigger.Resume)]
    [InlineData(CaseStatus.Closed, RecoveryTrigger.PromiseRecorded)]
    [InlineData(CaseStatus.Disputed, RecoveryTrigger.PromiseRecorded)]
    [InlineData(CaseStatus.Disputed, RecoveryTrigger.StepExecuted)]
    [InlineData(CaseStatus.Disputed, RecoveryTrigger.DisputeOpened)]
    [InlineData(CaseStatus.Disputed, RecoveryTrigger.ExtensionGranted)]
    [InlineData(CaseStatus.NotDue, RecoveryTrigger.PromiseRecorded)]
    [InlineData(CaseStatus.NotDue, RecoveryTrigger.Resume)]
    [InlineData(CaseStatus.NotDue, RecoveryTrigger.LedgerReopened)]
    [InlineData(CaseStatus.Overdue, RecoveryTrigger.DueDatePassed)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.PromiseBroken)]
    [InlineData(CaseStatus.InProcedure, RecoveryTrigger.OperatorCompletedStep)]
    [InlineData(CaseStatus.AwaitingOperator, RecoveryTrigger.StepExecuted)]
    [InlineData(CaseStatus.Promised, RecoveryTrigger.StepExecuted)]
    [InlineData(CaseStatus.Suspended, RecoveryTrigger.StepExecuted)]
    [InlineData(CaseStatus.Suspended, RecoveryTrigger.Resume)]
    [InlineData(CaseStatus.Parked, RecoveryTrigger.StepExecuted)]
    [InlineData(CaseStatus.Parked, RecoveryTrigger.DisputeOpened)]
    [InlineData(CaseStatus.HandedOver, RecoveryTrigger.HandOver)]
    [InlineData(CaseStatus.HandedOver, RecoveryTrigger.PromiseRecorded)]
    public void Refused_transitions(CaseStatus from, RecoveryTrigger trigger)
    {
        var machine = new RecoveryStateMachine();
        Assert.False(machine.CanFire(from, trigger));
        var error = Assert.Throws<InvalidCaseOperationException>(() => machine.Fire(from, trigger));
        Assert.Contains(from.ToString(), error.Message, StringComparison.Ordinal);
        Assert.Contains(trigger.ToString(), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CanFire_agrees_with_Fire_for_every_status_and_trigger()
    {
        var machine = new RecoveryStateMachine();
        foreach (var from in AllStatuses)
        {
            foreach (var trigger in AllTriggers)
            {
                if (machine.CanFire(from, trigger))
                {
                    var to = machine.Fire(from, trigger);
                    Assert.True(Enum.IsDefined(to), $"{from} --{trigger}--> {to}");
                }
                else
                {
                    Assert.Throws<InvalidCaseOperationException>(() => machine.Fire(from, trigger));
                }
            }
        }
    }

    [Fact]
    public void A_refused_trigger_does_not_disturb_the_next_case()
    {
        // One machine serves many cases: a failed Fire must not leak its state into the next call.
        var machine = new RecoveryStateMachine();
        Assert.Throws<InvalidCaseOperationException>(() => machine.Fire(CaseStatus.Closed, RecoveryTrigger.StepExecuted));
        Assert.Equal(CaseStatus.Reminded, machine.Fire(CaseStatus.NotDue, RecoveryTrigger.StepExecuted));
        Assert.False(machine.CanFire(CaseStatus.Closed, RecoveryTrigger.StepExecuted));
        Assert.Equal(CaseStatus.InProcedure, machine.Fire(CaseStatus.Overdue, RecoveryTrigger.StepExecuted));
    }

    // ---------------------------------------------------------------- property

    private static readonly RecoveryTrigger[] ClosedExits = [RecoveryTrigger.LedgerReopened, RecoveryTrigger.LedgerUnpaidReceipt];

    private static Arbitrary<(CaseStatus Start, (RecoveryTrigger Trigger, CaseStatus ResumeTo)[] Steps)> Walks()
    {
        var step =
            from trigger in Gen.Elements(AllTriggers)
            from resumeTo in Gen.Elements(ResumeStatuses)
            select (trigger, resumeTo);
        var walk =
            from start in Gen.Elements(AllStatuses)
            from steps in Gen.ArrayOf(step)
            select (start, steps);
        return Arb.From(walk);
    }

    [Property(MaxTest = 500)]
    public Property Closed_is_left_only_by_reopening_or_an_unpaid_receipt_and_allowed_triggers_never_throw() =>
        Prop.ForAll(Walks(), walk =>
        {
            var machine = new RecoveryStateMachine();
            var current = walk.Start;
            var path = new List<string> { current.ToString() };
            foreach (var (trigger, resumeTo) in walk.Steps)
            {
                if (!machine.CanFire(current, trigger))
                {
                    continue;
                }

                CaseStatus next;
                try
                {
                    next = machine.Fire(current, trigger, resumeTo);
                }
                catch (Exception ex) when (ex is InvalidCaseOperationException or InvalidOperationException)
                {
                    return false.Label($"{string.Join(" ", path)} --{trigger}--> threw {ex.Message}");
                }

                path.Add($"--{trigger}--> {next}");
                if (current == CaseStatus.Closed && next != CaseStatus.Closed && !ClosedExits.Contains(trigger))
                {
                    return false.Label($"left Closed by {trigger}: {string.Join(" ", path)}");
                }

                if (ClosingTriggers.Contains(trigger) && next != CaseStatus.Closed)
                {
                    return false.Label($"{trigger} did not close: {string.Join(" ", path)}");
                }

                current = next;
            }

            return true.ToProperty();
        });
}
