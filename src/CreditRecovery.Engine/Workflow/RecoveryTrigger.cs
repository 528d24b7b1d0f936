namespace CreditRecovery.Workflow;

/// <summary>What can move a case: the ledger, time, or an operator.</summary>
public enum RecoveryTrigger
{
    /// <summary>Ledger: the residual reached zero.</summary>
    LedgerPaid,

    /// <summary>Ledger: part of the residual was paid (the procedure continues on the rest).</summary>
    LedgerPartiallyPaid,

    /// <summary>Ledger: a closed installment is open again.</summary>
    LedgerReopened,

    /// <summary>Ledger: a bank receipt came back unpaid (*insoluto*).</summary>
    LedgerUnpaidReceipt,

    /// <summary>Ledger: the installment is no longer in the ledger.</summary>
    LedgerRemoved,

    /// <summary>Ledger: a credit note cancelled the installment.</summary>
    LedgerCancelledByCreditNote,

    /// <summary>Time: the due date passed.</summary>
    DueDatePassed,

    /// <summary>Time: a step ran (message queued, or case moved).</summary>
    StepExecuted,

    /// <summary>Time: a step needs an operator (confirmation, call, visit).</summary>
    StepAwaitsOperator,

    /// <summary>Operator: the pending step was carried out or confirmed.</summary>
    OperatorCompletedStep,

    /// <summary>Time: a promise or plan payment date passed without the payment.</summary>
    PromiseBroken,

    /// <summary>Time: the arrangement was kept to its end but something is still open.</summary>
    PromiseFulfilled,

    /// <summary>Time: an extension (*proroga*) ended.</summary>
    ExtensionEnded,

    /// <summary>Operator: a promise to pay or a payment plan was agreed.</summary>
    PromiseRecorded,

    /// <summary>Operator: the customer disputes the installment.</summary>
    DisputeOpened,

    /// <summary>Operator: the dispute was resolved and recovery goes on.</summary>
    DisputeResolved,

    /// <summary>Operator: an extension (*proroga*) was granted on the case.</summary>
    ExtensionGranted,

    /// <summary>Operator or step: the case is parked in an area.</summary>
    Park,

    /// <summary>Operator or step: the case is handed to a lawyer or agency.</summary>
    HandOver,

    /// <summary>Operator: the case comes back from a parking area or a hand-over.</summary>
    Resume,

    /// <summary>Operator: the installment is written off.</summary>
    WriteOff,
}
