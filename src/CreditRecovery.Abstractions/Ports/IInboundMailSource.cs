using NodaTime;

namespace CreditRecovery.Ports;

/// <summary>
/// A mailbox the engine reads: PEC receipts (*ricevute di accettazione / consegna*) and customers' replies. The IMAP
/// package implements it; the engine matches each mail to the outbox message it refers to and records it on the cases
/// and the customer's history, then acknowledges it so that it is not read again.
/// </summary>
public interface IInboundMailSource
{
    /// <summary>Reads the mails not yet acknowledged, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the reading.</param>
    IAsyncEnumerable<InboundMail> ReadAsync(CancellationToken cancellationToken = default);

    /// <summary>Marks a mail as processed, so that <see cref="ReadAsync"/> does not return it again.</summary>
    /// <param name="mail">The mail.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask AcknowledgeAsync(InboundMail mail, CancellationToken cancellationToken = default);
}

/// <summary>A mail read from a mailbox.</summary>
public sealed record InboundMail
{
    /// <summary>The mail's identity in its mailbox (its Message-ID, or the mailbox's own id when it has none).</summary>
    public required string Id { get; init; }

    /// <summary>What it is.</summary>
    public required InboundMailKind Kind { get; init; }

    /// <summary>When the mailbox received it (for PEC receipts: the time certified in <c>daticert.xml</c>).</summary>
    public required Instant ReceivedAt { get; init; }

    /// <summary>The sender's address.</summary>
    public string? From { get; init; }

    /// <summary>The subject.</summary>
    public string? Subject { get; init; }

    /// <summary>The plain-text body (for replies).</summary>
    public string? TextBody { get; init; }

    /// <summary>
    /// The Message-IDs of the messages it refers to, without angle brackets: <c>X-Riferimento-Message-ID</c> (or the
    /// <c>msgid</c> of <c>daticert.xml</c>) for PEC receipts, <c>In-Reply-To</c> and <c>References</c> for replies.
    /// </summary>
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>For a PEC receipt: the recipient it concerns (the <c>consegna</c> address).</summary>
    public string? Recipient { get; init; }

    /// <summary>For a non-acceptance or non-delivery receipt: the reason the provider gave (<c>errore-esteso</c>).</summary>
    public string? Error { get; init; }

    /// <summary>The raw message as received, kept as evidence; <see langword="null"/> when not kept.</summary>
    public EvidenceFile? Evidence { get; init; }
}

/// <summary>Kinds of inbound mail.</summary>
public enum InboundMailKind
{
    /// <summary>A reply or any other mail from a customer.</summary>
    Reply,

    /// <summary>PEC acceptance receipt (*ricevuta di accettazione*): the sender's provider took the message.</summary>
    PecAcceptance,

    /// <summary>PEC non-acceptance notice (*avviso di non accettazione*).</summary>
    PecNonAcceptance,

    /// <summary>PEC delivery receipt (*ricevuta di avvenuta consegna*): the message reached the recipient's mailbox.</summary>
    PecDelivery,

    /// <summary>PEC non-delivery notice (*avviso di mancata consegna*).</summary>
    PecNonDelivery,

    /// <summary>Any other PEC notice (e.g. *presa in carico*, *preavviso di mancata consegna*), recorded as it is.</summary>
    PecOther,
}

/// <summary>A file kept as evidence, with its fingerprint.</summary>
/// <param name="Path">Where it is kept.</param>
/// <param name="Sha256">SHA-256 of its bytes, lowercase hex.</param>
/// <param name="Length">Its size in bytes.</param>
public sealed record EvidenceFile(string Path, string Sha256, long Length);
