using NodaTime;

namespace CreditRecovery.Ledger;

/// <summary>
/// One item of a ledger feed. A snapshot lists every customer and every installment the ERP still has (paid ones may
/// be listed with a zero residual); a change feed lists what changed since a cursor and ends with a checkpoint.
/// </summary>
public abstract record LedgerRecord;

/// <summary>A customer's master data.</summary>
/// <param name="Customer">The customer.</param>
public sealed record CustomerRecord(Customer Customer) : LedgerRecord;

/// <summary>An installment as the ledger shows it now.</summary>
/// <param name="Installment">The installment.</param>
public sealed record InstallmentRecord(Installment Installment) : LedgerRecord;

/// <summary>An installment the ERP deleted (change feeds only; a snapshot reports removals by omission).</summary>
/// <param name="Key">The installment's key.</param>
public sealed record InstallmentRemovedRecord(InstallmentKey Key) : LedgerRecord;

/// <summary>A record the adapter could not read: it is quarantined, and the feed goes on.</summary>
/// <param name="Error">What was wrong.</param>
/// <param name="Installments">
/// The installments the record concerns, when the adapter can tell. In a snapshot they still exist in the ERP: their
/// cases keep their last known state instead of closing as removed from the ledger.
/// </param>
public sealed record RejectedRecord(LedgerRecordError Error, IReadOnlyList<InstallmentKey>? Installments = null) : LedgerRecord;

/// <summary>The end of a change feed: the cursor to resume from next time.</summary>
/// <param name="Cursor">An opaque position meaningful to the adapter (a timestamp, a token).</param>
public sealed record LedgerCheckpoint(string Cursor) : LedgerRecord;

/// <summary>What was wrong with a ledger record, naming the record and the field.</summary>
/// <param name="RecordKey">The record's key in the source (e.g. <c>scadenzario/C001/20240115/12</c>).</param>
/// <param name="Field">The offending field.</param>
/// <param name="Value">The offending value, as read.</param>
/// <param name="Reason">What is wrong with it.</param>
/// <param name="RawPayload">The record as received, kept for review.</param>
public sealed record LedgerRecordError(string RecordKey, string Field, string? Value, string Reason, string? RawPayload = null)
{
    /// <summary>Formats as <c>record KEY, field FIELD = 'VALUE': REASON</c>.</summary>
    public override string ToString() => $"record {RecordKey}, field {Field} = '{Value}': {Reason}";
}

/// <summary>A rejected ledger record kept for review (quarantine).</summary>
/// <param name="Company">The company.</param>
/// <param name="Source">The ledger source's name.</param>
/// <param name="Error">What was wrong.</param>
/// <param name="At">When it was rejected.</param>
public sealed record QuarantinedRecord(CompanyId Company, string Source, LedgerRecordError Error, Instant At);

/// <summary>Where a change feed resumes for a company and source.</summary>
/// <param name="Company">The company.</param>
/// <param name="Source">The ledger source's name.</param>
/// <param name="Cursor">The cursor.</param>
public sealed record SyncCursor(CompanyId Company, string Source, string Cursor);
