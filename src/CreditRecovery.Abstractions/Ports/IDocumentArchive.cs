using CreditRecovery.Work;

namespace CreditRecovery.Ports;

/// <summary>
/// Where the company keeps copies of its documents (invoices as PDF or FatturaPA XML): the dispatcher attaches the copies
/// of the documents a message lists. ERP adapters or a folder implement it.
/// </summary>
public interface IDocumentArchive
{
    /// <summary>Finds the copies of one document.</summary>
    /// <param name="company">The company.</param>
    /// <param name="line">The message line whose document is wanted.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The copies found; none when the archive has no copy.</returns>
    IAsyncEnumerable<MessageAttachment> FindAsync(CompanyId company, MessageLine line, CancellationToken cancellationToken = default);
}
