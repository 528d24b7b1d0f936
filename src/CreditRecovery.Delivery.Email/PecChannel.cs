using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// PEC (*posta elettronica certificata*, <see cref="DeliveryChannel.Pec"/>): sends through the company's PEC mailbox over
/// SMTP with TLS, always from the PEC address of <see cref="PecMailOptions"/> (PEC providers refuse any other sender),
/// with the same MIME builder and the same failure classification as <see cref="SmtpEmailChannel"/>. The stable
/// Message-ID is what the provider's acceptance and delivery receipts quote (<c>X-Riferimento-Message-ID</c>); reading
/// the receipts is the inbound mail source's job.
/// </summary>
public sealed class PecChannel : IMessageChannel, IAsyncDisposable, IDisposable
{
    private readonly PecMailOptions _options;
    private readonly OutgoingMailBuilder _builder;
    private readonly SmtpTransport _transport;

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The PEC mailbox; validated here.</param>
    /// <param name="clock">The clock the Date header comes from.</param>
    /// <param name="logger">Logs failures (never the password).</param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public PecChannel(PecMailOptions options, IClock clock, ILogger<PecChannel>? logger = null)
    {
        _options = ChannelGuards.Validated(options);
        _builder = new OutgoingMailBuilder(clock);
        _transport = new SmtpTransport(options, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public DeliveryChannel Channel => DeliveryChannel.Pec;

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = MailBuildSettings.For(Channel, _options) with { ForceFrom = true };
        var built = _builder.Build(message, settings);
        return built.Mail is null
            ? built.Failure!
            : await _transport.SendAsync(built.Mail, message.Message.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the open connection, if any.</summary>
    /// <returns>A task that completes when it is closed.</returns>
    public ValueTask DisposeAsync() => _transport.DisposeAsync();

    /// <summary>Closes the open connection, if any, without waiting for the server's goodbye.</summary>
    public void Dispose() => _transport.Dispose();
}
