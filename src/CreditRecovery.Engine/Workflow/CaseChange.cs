using CreditRecovery.Cases;
using CreditRecovery.Audit;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using NodaTime;

namespace CreditRecovery.Workflow;

/// <summary>
/// The changes to one case within a unit of work: its new value and the history events that explain it. Every status
/// change goes through the state machine; every change is a history event with who, when and why.
/// </summary>
internal sealed class CaseChange
{
    private readonly RecoveryStateMachine _machine;
    private readonly Instant _now;
    private readonly LocalDate _businessDate;

    private CaseChange(RecoveryCase? original, RecoveryCase current, RecoveryStateMachine machine, Instant now, LocalDate businessDate)
    {
        Original = original;
        Current = current;
        _machine = machine;
        _now = now;
        _businessDate = businessDate;
    }

    public RecoveryCase? Original { get; }

    public RecoveryCase Current { get; private set; }

    public List<HistoryEvent> Events { get; } = [];

    public bool HasChanges => Original is null || Events.Count > 0 || !ReferenceEquals(Original, Current);

    public static CaseChange Edit(RecoveryCase original, RecoveryStateMachine machine, Instant now, LocalDate businessDate) =>
        new(original, original, machine, now, businessDate);

    public static CaseChange Create(RecoveryCase created, RecoveryStateMachine machine, Instant now, LocalDate businessDate, OperatorId actor, string reason)
    {
        var change = new CaseChange(null, created, machine, now, businessDate);
        change.Events.Add(change.Event("CaseOpened", actor, null, created.Status, reason));
        return change;
    }

    public bool CanFire(RecoveryTrigger trigger) => _machine.CanFire(Current.Status, trigger);

    /// <summary>Fires a trigger, applies the data change and records the event.</summary>
    public void Fire(RecoveryTrigger trigger, OperatorId actor, string reason, Func<RecoveryCase, RecoveryCase>? mutate = null, CaseStatus? resumeTo = null)
    {
        var from = Current.Status;
        var to = _machine.Fire(from, trigger, resumeTo ?? CaseStatus.InProcedure);
        var next = mutate is null ? Current : mutate(Current);
        Current = next with { Status = to };
        Events.Add(Event(trigger.ToString(), actor, from, to, reason));
    }

    /// <summary>Records a fact that does not move the case.</summary>
    public void Record(string kind, OperatorId actor, string reason, Func<RecoveryCase, RecoveryCase>? mutate = null)
    {
        if (mutate is not null)
        {
            Current = mutate(Current);
        }

        Events.Add(Event(kind, actor, Current.Status, Current.Status, reason));
    }

    /// <summary>Replaces the case value without an event (e.g. refreshed ledger data with no business meaning, next action date).</summary>
    public void Update(Func<RecoveryCase, RecoveryCase> mutate) => Current = mutate(Current);

    /// <summary>The write for the store, with the new version, and the events stamped with it.</summary>
    public (CaseWrite Write, IEnumerable<HistoryEvent> Events) ToWrite()
    {
        var expected = Original?.Version ?? 0;
        var version = expected + 1;
        var (events, head) = HistoryChain.Link(Events.Select(e => e with { CaseVersion = version }), Original?.LastHistoryHash);
        var written = Current with { Version = version, LastHistoryHash = head };
        return (new CaseWrite(written, expected), events);
    }

    /// <summary>
    /// The status a paused or parked case goes back to on <paramref name="date"/>: not due (or reminded) before the due
    /// date, overdue while no dunning step ran in this cycle, in procedure afterwards.
    /// </summary>
    public static CaseStatus ResumeStatus(RecoveryCase @case, LocalDate date)
    {
        var steps = @case.CurrentCycleSteps.Where(s => s.Outcome is StepOutcome.MessageQueued or StepOutcome.CompletedByOperator or StepOutcome.CaseMoved).ToList();
        if (!@case.Installment.IsUnpaidReceipt && date <= @case.Installment.DueDate)
        {
            return steps.Count > 0 ? CaseStatus.Reminded : CaseStatus.NotDue;
        }

        return steps.Count > 0 ? CaseStatus.InProcedure : CaseStatus.Overdue;
    }

    private HistoryEvent Event(string kind, OperatorId actor, CaseStatus? from, CaseStatus? to, string reason) => new()
    {
        Company = Current.Company,
        CaseKey = Current.Key,
        CaseVersion = 0,
        At = _now,
        BusinessDate = _businessDate,
        Actor = actor,
        Kind = kind,
        From = from,
        To = to,
        Reason = reason,
    };
}
