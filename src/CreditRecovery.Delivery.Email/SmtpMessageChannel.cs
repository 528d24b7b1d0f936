using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// What the SMTP channels (<see cref="SmtpEmailChannel"/>, <see cref="PecChannel"/>, <see cref="FaxGatewayChannel"/>)
/// share: the MIME builder, one SMTP connection reused within a batch (checked with NOOP, closed after any failure), and
/// the failure classification. Connection refused, DNS, timeouts, TLS problems and 4xx replies are transient; a 5xx reply
/// to the customer's address (e.g. 550) or to the message, and an invalid customer address, are permanent and carry the
/// server's text; a rejected Cc does not stop the message and is reported in the accepted result's
/// <see cref="DeliveryResult.Error"/>. Authentication failures, a rejected or missing sender and certificate problems are
/// configuration problems: transient, with an error saying what to check, so that the queued messages go out once the
/// configuration is fixed instead of failing every customer's case.
/// </summary>
public abstract class SmtpMessageChannel : IMessageChannel, IAsyncDisposable, IDisposable
{
    private readonly OutgoingMailBuilder _builder;
    private readonly SmtpTransport _transport;

    /// <summary>Creates the channel on validated options.</summary>
    /// <param name="options">The server, already validated.</param>
    /// <param name="clock">The clock the Date header comes from.</param>
    /// <param name="logger">Logs failures (never the password).</param>
    private protected SmtpMessageChannel(SmtpServerOptions options, IClock clock, ILogger? logger)
    {
        _builder = new OutgoingMailBuilder(clock);
        _transport = new SmtpTransport(options, logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public abstract DeliveryChannel Channel { get; }

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = Settings(message, out var failure);
        if (settings is null)
        {
            return failure!;
        }

        var built = _builder.Build(message, settings);
        return built.Mail is null
            ? built.Failure!
            : await _transport.SendAsync(built.Mail, message.Message.Id, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Closes the open connection, if any, with QUIT.</summary>
    /// <returns>A task that completes when it is closed.</returns>
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return _transport.DisposeAsync();
    }

    /// <summary>Closes the open connection, if any, without waiting for the server's goodbye.</summary>
    public void Dispose()
    {
        GC.SuppressFinalize(this);
        _transport.Dispose();
    }

    /// <summary>How this channel builds a message, or <see langword="null"/> with <paramref name="failure"/> when it cannot.</summary>
    /// <param name="message">The message.</param>
    /// <param name="failure">Why the message cannot be sent.</param>
    private protected abstract MailBuildSettings? Settings(OutgoingMessage message, out DeliveryResult? failure);
}
