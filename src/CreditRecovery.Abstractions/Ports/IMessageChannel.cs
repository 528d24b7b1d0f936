using CreditRecovery.Procedures;
using CreditRecovery.Work;

namespace CreditRecovery.Ports;

/// <summary>
/// A delivery channel (e-mail, PEC, fax, SMS, letter). Channel packages implement it; the engine's dispatcher feeds it
/// the outbox.
/// </summary>
public interface IMessageChannel
{
    /// <summary>The channel this implementation delivers.</summary>
    DeliveryChannel Channel { get; }

    /// <summary>
    /// Hands a rendered message to the channel. Implementations must be idempotent on <see cref="OutboxMessage.Id"/>
    /// where the medium allows (e.g. a Message-ID derived from it), because a crash between sending and recording
    /// the result makes the dispatcher try again.
    /// </summary>
    /// <param name="message">The message and its rendered content.</param>
    /// <param name="cancellationToken">Cancels the delivery.</param>
    ValueTask<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default);
}

/// <summary>A message ready for a channel.</summary>
/// <param name="Message">The outbox record.</param>
/// <param name="Content">The rendered content.</param>
/// <param name="From">The sender address or name, from the company profile.</param>
/// <param name="ReplyTo">Where replies go, if not the sender.</param>
public sealed record OutgoingMessage(OutboxMessage Message, RenderedMessage Content, string? From, string? ReplyTo)
{
    /// <summary>Files sent with the message (e.g. invoice copies from the <see cref="IDocumentArchive"/>).</summary>
    public IReadOnlyList<MessageAttachment> Attachments { get; init; } = [];

    /// <summary>The sender's name as it appears to the customer (the company's name).</summary>
    public string? FromName { get; init; }
}

/// <summary>A file sent with a message.</summary>
/// <param name="FileName">The file name the recipient sees.</param>
/// <param name="ContentType">The MIME type, e.g. <c>application/pdf</c>.</param>
/// <param name="Content">The bytes.</param>
public sealed record MessageAttachment(string FileName, string ContentType, ReadOnlyMemory<byte> Content);

/// <summary>What a channel reports after a delivery attempt.</summary>
/// <param name="Accepted">Whether the channel accepted the message.</param>
/// <param name="ProviderMessageId">The channel's id for it.</param>
/// <param name="Error">Why it was not accepted.</param>
/// <param name="Permanent">Whether retrying cannot help (bad address, rejected content).</param>
public sealed record DeliveryResult(bool Accepted, string? ProviderMessageId = null, string? Error = null, bool Permanent = false)
{
    /// <summary>Accepted by the channel.</summary>
    /// <param name="providerMessageId">The channel's id.</param>
    public static DeliveryResult Success(string? providerMessageId = null) => new(true, providerMessageId);

    /// <summary>Not accepted; worth retrying.</summary>
    /// <param name="error">Why.</param>
    public static DeliveryResult TransientFailure(string error) => new(false, Error: error);

    /// <summary>Not accepted; retrying cannot help.</summary>
    /// <param name="error">Why.</param>
    public static DeliveryResult PermanentFailure(string error) => new(false, Error: error, Permanent: true);
}
