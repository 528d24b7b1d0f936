namespace CreditRecovery.Cases;

/// <summary>Where an installment's recovery stands. The engine's state machine moves a case between these.</summary>
public enum CaseStatus
{
    /// <summary>Open, not yet due.</summary>
    NotDue,

    /// <summary>Not yet due, and a pre-due reminder went out.</summary>
    Reminded,

    /// <summary>Past due (or unpaid receipt), no dunning step has run yet in this cycle.</summary>
    Overdue,

    /// <summary>At least one dunning step has run; the next one is scheduled.</summary>
    InProcedure,

    /// <summary>A step waits for an operator: a confirmation, a call or a visit.</summary>
    AwaitingOperator,

    /// <summary>A promise to pay or a payment plan (*piano di rientro*) is running: the procedure is paused until its date.</summary>
    Promised,

    /// <summary>Disputed by the customer (*contestazione*): paused until an operator resolves it.</summary>
    Disputed,

    /// <summary>Suspended by an extension (*proroga*) until a date.</summary>
    Suspended,

    /// <summary>Parked in an area (legal, unrecoverable, not scheduled, COD).</summary>
    Parked,

    /// <summary>Handed to a lawyer or a collection agency.</summary>
    HandedOver,

    /// <summary>Closed: paid, written off, cancelled by a credit note, or removed from the ledger. Kept in the archive.</summary>
    Closed,
}

/// <summary>Why a case closed.</summary>
public enum ClosureReason
{
    /// <summary>The ledger shows the installment paid.</summary>
    Paid,

    /// <summary>Written off (*stralcio / perdita*) by an operator.</summary>
    WrittenOff,

    /// <summary>Cancelled by a credit note.</summary>
    CancelledByCreditNote,

    /// <summary>The installment vanished from the ledger (deleted or re-registered in the ERP).</summary>
    RemovedFromLedger,
}
