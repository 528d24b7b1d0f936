using CreditRecovery.Cases;
using Stateless;
using Stateless.Graph;
using Stateless.Reflection;

namespace CreditRecovery.Workflow;

/// <summary>
/// The recovery state machine of one installment, built with Stateless. One instance is configured once and rebound to
/// each case it fires for (its state lives in a slot), which costs a fraction of building a machine per installment.
/// An instance is not thread-safe: use one per concurrent worker.
/// </summary>
/// <remarks>
/// Triggers that resume a paused case (dispute resolved, extension ended, broken promise, unparking) go to a state the
/// caller computes from the case's dates (<c>resumeTo</c>): not-due or reminded before the due date, overdue when no
/// dunning step ran yet, in-procedure otherwise. Guards are pure; side effects (messages, tasks) are produced by the
/// engine after the transition and committed with it.
/// </remarks>
public sealed class RecoveryStateMachine
{
    private static readonly CaseStatus[] Active = [CaseStatus.NotDue, CaseStatus.Reminded, CaseStatus.Overdue, CaseStatus.InProcedure, CaseStatus.AwaitingOperator];
    private static readonly CaseStatus[] Paused = [CaseStatus.Promised, CaseStatus.Disputed, CaseStatus.Suspended];
    private static readonly CaseStatus[] Outside = [CaseStatus.Parked, CaseStatus.HandedOver];

    private static readonly DynamicStateInfos ResumeTargets = BuildResumeTargets();

    private readonly StateMachine<CaseStatus, RecoveryTrigger> _machine;
    private CaseStatus _current;
    private CaseStatus _resumeTo;

    /// <summary>Configures the machine.</summary>
    public RecoveryStateMachine()
    {
        _machine = new StateMachine<CaseStatus, RecoveryTrigger>(() => _current, s => _current = s);
        Configure(_machine);
        _machine.OnUnhandledTrigger((state, trigger) =>
            throw new InvalidCaseOperationException($"A case in status {state} cannot take '{trigger}'."));
    }

    /// <summary>Fires a trigger for a case in <paramref name="from"/> and returns the new status.</summary>
    /// <param name="from">The case's current status.</param>
    /// <param name="trigger">The trigger.</param>
    /// <param name="resumeTo">Where a resuming trigger goes (see remarks on the class); ignored by other triggers.</param>
    /// <exception cref="InvalidCaseOperationException">The trigger does not apply in <paramref name="from"/>.</exception>
    public CaseStatus Fire(CaseStatus from, RecoveryTrigger trigger, CaseStatus resumeTo = CaseStatus.InProcedure)
    {
        _current = from;
        _resumeTo = resumeTo;
        _machine.Fire(trigger);
        return _current;
    }

    /// <summary>Whether <paramref name="trigger"/> applies to a case in <paramref name="from"/>.</summary>
    /// <param name="from">The case's status.</param>
    /// <param name="trigger">The trigger.</param>
    public bool CanFire(CaseStatus from, RecoveryTrigger trigger)
    {
        _current = from;
        return _machine.CanFire(trigger);
    }

    /// <summary>The machine as a Mermaid state diagram, for the docs.</summary>
    public string ToMermaid() => MermaidGraph.Format(_machine.GetInfo());

    private static DynamicStateInfos BuildResumeTargets()
    {
        var targets = new DynamicStateInfos();
        targets.Add(CaseStatus.NotDue, "before the due date");
        targets.Add(CaseStatus.Reminded, "before the due date, reminded");
        targets.Add(CaseStatus.Overdue, "no dunning step yet");
        targets.Add(CaseStatus.InProcedure, "dunning under way");
        return targets;
    }

    private void Configure(StateMachine<CaseStatus, RecoveryTrigger> m)
    {
        // Every non-closed state: ledger closure and write-off.
        foreach (var state in Active.Concat(Paused).Concat(Outside))
        {
            m.Configure(state)
                .Permit(RecoveryTrigger.LedgerPaid, CaseStatus.Closed)
                .Permit(RecoveryTrigger.LedgerRemoved, CaseStatus.Closed)
                .Permit(RecoveryTrigger.LedgerCancelledByCreditNote, CaseStatus.Closed)
                .Permit(RecoveryTrigger.WriteOff, CaseStatus.Closed)
                .PermitReentry(RecoveryTrigger.LedgerPartiallyPaid);
        }

        // Active and paused states can be parked, handed over, disputed or suspended.
        foreach (var state in Active.Concat([CaseStatus.Promised, CaseStatus.Suspended]))
        {
            m.Configure(state)
                .Permit(RecoveryTrigger.Park, CaseStatus.Parked)
                .Permit(RecoveryTrigger.HandOver, CaseStatus.HandedOver)
                .Permit(RecoveryTrigger.DisputeOpened, CaseStatus.Disputed);
            if (state == CaseStatus.Overdue)
            {
                m.Configure(state).PermitReentry(RecoveryTrigger.LedgerUnpaidReceipt);
            }
            else
            {
                m.Configure(state).Permit(RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.Overdue);
            }
        }

        foreach (var state in Active.Append(CaseStatus.Promised))
        {
            m.Configure(state).Permit(RecoveryTrigger.ExtensionGranted, CaseStatus.Suspended);
        }

        m.Configure(CaseStatus.Suspended).PermitReentry(RecoveryTrigger.ExtensionGranted);

        m.Configure(CaseStatus.NotDue)
            .Permit(RecoveryTrigger.DueDatePassed, CaseStatus.Overdue)
            .Permit(RecoveryTrigger.StepExecuted, CaseStatus.Reminded)
            .Permit(RecoveryTrigger.StepAwaitsOperator, CaseStatus.AwaitingOperator);

        m.Configure(CaseStatus.Reminded)
            .Permit(RecoveryTrigger.DueDatePassed, CaseStatus.Overdue)
            .PermitReentry(RecoveryTrigger.StepExecuted)
            .Permit(RecoveryTrigger.StepAwaitsOperator, CaseStatus.AwaitingOperator);

        foreach (var state in new[] { CaseStatus.Overdue, CaseStatus.InProcedure })
        {
            m.Configure(state)
                .Permit(RecoveryTrigger.PromiseRecorded, CaseStatus.Promised)
                .Permit(RecoveryTrigger.StepAwaitsOperator, CaseStatus.AwaitingOperator);
        }

        m.Configure(CaseStatus.Overdue).Permit(RecoveryTrigger.StepExecuted, CaseStatus.InProcedure);
        m.Configure(CaseStatus.InProcedure).PermitReentry(RecoveryTrigger.StepExecuted);

        m.Configure(CaseStatus.AwaitingOperator)
            .PermitDynamic(RecoveryTrigger.OperatorCompletedStep, () => _resumeTo, "resume status from the case\'s dates", ResumeTargets)
            .Permit(RecoveryTrigger.PromiseRecorded, CaseStatus.Promised);

        m.Configure(CaseStatus.Promised)
            .PermitDynamic(RecoveryTrigger.PromiseBroken, () => _resumeTo, "resume status from the case\'s dates", ResumeTargets)
            .PermitDynamic(RecoveryTrigger.PromiseFulfilled, () => _resumeTo, "resume status from the case\'s dates", ResumeTargets)
            .PermitReentry(RecoveryTrigger.PromiseRecorded);

        m.Configure(CaseStatus.Disputed)
            .PermitDynamic(RecoveryTrigger.DisputeResolved, () => _resumeTo, "resume status from the case\'s dates", ResumeTargets)
            .Permit(RecoveryTrigger.Park, CaseStatus.Parked)
            .Permit(RecoveryTrigger.HandOver, CaseStatus.HandedOver)
            .PermitReentry(RecoveryTrigger.LedgerUnpaidReceipt);

        m.Configure(CaseStatus.Suspended).PermitDynamic(RecoveryTrigger.ExtensionEnded, () => _resumeTo, "resume status from the case\'s dates", ResumeTargets);

        m.Configure(CaseStatus.Parked)
            .PermitDynamic(RecoveryTrigger.Resume, () => _resumeTo, "resume status from the case\'s dates", ResumeTargets)
            .Permit(RecoveryTrigger.HandOver, CaseStatus.HandedOver)
            .PermitReentry(RecoveryTrigger.Park)
            .PermitReentry(RecoveryTrigger.LedgerUnpaidReceipt);

        m.Configure(CaseStatus.HandedOver)
            .PermitDynamic(RecoveryTrigger.Resume, () => _resumeTo, "resume status from the case\'s dates", ResumeTargets)
            .Permit(RecoveryTrigger.Park, CaseStatus.Parked)
            .PermitReentry(RecoveryTrigger.LedgerUnpaidReceipt);

        // A closed installment reopens when the ledger shows it open again or its bank receipt comes back unpaid.
        m.Configure(CaseStatus.Closed)
            .PermitDynamic(RecoveryTrigger.LedgerReopened, () => _resumeTo, "resume status from the case\'s dates", ResumeTargets)
            .Permit(RecoveryTrigger.LedgerUnpaidReceipt, CaseStatus.Overdue);
    }
}
