using CreditRecovery.Ledger;

namespace CreditRecovery.Ports;

/// <summary>
/// The ERP's receivables ledger (*scadenzario*), read-only. ERP adapters (Mexal, Mago, FatturaPA...) implement it.
/// </summary>
/// <remarks>
/// Feeds are streams: an adapter pages through the ERP and yields records as it goes, so a book of a million
/// installments never sits in memory. A record the adapter cannot read is yielded as a <see cref="RejectedRecord"/>
/// naming the record and the field, and the feed goes on. Transient ERP failures are retried by the adapter; a failure
/// it gives up on is thrown, and the engine keeps what it had aligned so far.
/// </remarks>
public interface ILedgerSource
{
    /// <summary>A short, stable name for this source (e.g. <c>mexal</c>), stored with cursors and quarantined records.</summary>
    string Name { get; }

    /// <summary>
    /// Reads every customer and every installment the ERP holds for the company. Customers should come before their
    /// installments; installments the ERP no longer holds are simply absent, and the engine closes their cases.
    /// </summary>
    /// <param name="company">The company.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<LedgerRecord> ReadSnapshotAsync(CompanyId company, CancellationToken cancellationToken = default);

    /// <summary>
    /// Reads what changed since <paramref name="cursor"/> (everything when it is <see langword="null"/>), ending with a
    /// <see cref="LedgerCheckpoint"/>. Sources that cannot tell changes apart return <see langword="false"/> from
    /// <see cref="SupportsChanges"/>, and the engine reads snapshots instead.
    /// </summary>
    /// <param name="company">The company.</param>
    /// <param name="cursor">Where the previous read ended.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<LedgerRecord> ReadChangesAsync(CompanyId company, string? cursor, CancellationToken cancellationToken = default);

    /// <summary>Whether <see cref="ReadChangesAsync"/> is supported.</summary>
    bool SupportsChanges { get; }
}
