using NodaTime;

namespace CreditRecovery;

/// <summary>
/// One installment (*rata / scadenza*) of a receivable in the ERP's schedule (*scadenzario*), as the ledger shows it now.
/// </summary>
public sealed record Installment
{
    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The stable ledger key.</summary>
    public required InstallmentKey Key { get; init; }

    /// <summary>The customer code.</summary>
    public required string CustomerCode { get; init; }

    /// <summary>The document the installment belongs to (invoice, credit note...).</summary>
    public required DocumentReference Document { get; init; }

    /// <summary>Position of the installment within its document, from 1.</summary>
    public int Number { get; init; } = 1;

    /// <summary>Due date (*data scadenza*).</summary>
    public required LocalDate DueDate { get; init; }

    /// <summary>The amount originally due (*importo*), VAT included.</summary>
    public required Money OriginalAmount { get; init; }

    /// <summary>What is still open (*residuo*). Zero means paid.</summary>
    public required Money OpenResidual { get; init; }

    /// <summary>How the customer pays (*tipo pagamento*).</summary>
    public PaymentType PaymentType { get; init; } = PaymentType.BankTransfer;

    /// <summary>The ERP's own payment code (e.g. Mexal's payment table code), kept for display and rules.</summary>
    public string? PaymentCode { get; init; }

    /// <summary>
    /// Set when a bank receipt (RiBa / SEPA DD) came back unpaid (*insoluto*): the date the bank reported it.
    /// An unpaid receipt opens, or reopens, the case on the unpaid-receipt procedure.
    /// </summary>
    public LocalDate? UnpaidReceiptDate { get; init; }

    /// <summary>
    /// Set by adapters when the ERP shows the installment was closed by offsetting a credit note (*nota di credito*)
    /// rather than paid: its case closes as cancelled, not paid.
    /// </summary>
    public bool CancelledByCreditNote { get; init; }

    /// <summary>Whether a bank receipt for this installment came back unpaid (*RiBa insoluta*).</summary>
    public bool IsUnpaidReceipt => UnpaidReceiptDate.HasValue;

    /// <summary>Whether nothing is left to pay.</summary>
    public bool IsSettled => OpenResidual.Amount <= 0m;
}

/// <summary>A reference to the accounting document behind an installment.</summary>
/// <param name="Kind">Document kind.</param>
/// <param name="Number">Document number as printed (*numero documento*).</param>
/// <param name="Date">Document date.</param>
/// <param name="Total">Document total, when known.</param>
public sealed record DocumentReference(DocumentKind Kind, string Number, LocalDate Date, Money? Total = null);

/// <summary>Kind of document behind an installment.</summary>
public enum DocumentKind
{
    /// <summary>Invoice (*fattura*).</summary>
    Invoice,

    /// <summary>Credit note (*nota di credito*): lowers what the customer owes.</summary>
    CreditNote,

    /// <summary>Debit note (*nota di debito*).</summary>
    DebitNote,

    /// <summary>Any other receivable (opening balance, expense recharge...).</summary>
    Other,
}

/// <summary>How an installment is paid (*tipo pagamento*).</summary>
public enum PaymentType
{
    /// <summary>Bank transfer (*bonifico*).</summary>
    BankTransfer,

    /// <summary>Bank receipt (*RiBa, ricevuta bancaria*): presented by the creditor's bank; may come back unpaid.</summary>
    BankReceipt,

    /// <summary>Direct remittance (*rimessa diretta*): the customer pays spontaneously.</summary>
    DirectRemittance,

    /// <summary>SEPA direct debit (*SDD*).</summary>
    SepaDirectDebit,

    /// <summary>Cash on delivery (*contrassegno*).</summary>
    CashOnDelivery,

    /// <summary>Cash.</summary>
    Cash,

    /// <summary>Bank draft or cheque (*assegno*).</summary>
    Cheque,

    /// <summary>Anything else.</summary>
    Other,
}
