using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// E-mail over SMTP (<see cref="DeliveryChannel.Email"/>) with MailKit: STARTTLS, SSL on connect or none, optional
/// authentication, a connection reused within a batch. See <see cref="SmtpServerOptions"/> for the settings and
/// <see cref="DeliveryResult"/> for how failures are classified (5xx on the customer's address: permanent; network,
/// 4xx and configuration problems: transient; a rejected Cc: reported in the accepted result's Error).
/// </summary>
public sealed class SmtpEmailChannel : IMessageChannel, IAsyncDisposable, IDisposable
{
    private readonly SmtpEmailOptions _options;
    private readonly OutgoingMailBuilder _builder;
    private readonly SmtpTransport _transport;

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The SMTP server; validated here.</param>
    /// <param name="clock">The clock the Date header comes from.</param>
    /// <param name="logger">Logs failures (never the password).</param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public SmtpEmailChannel(SmtpEmailOptions options, IClock clock, ILogger<SmtpEmailChannel>? logger = null)
    {
        _options = ChannelGuards.Validated(options);
        _builder = new OutgoingMailBuilder(clock);
        _transport = new SmtpTransport(options, (ILogger?)logger ?? NullLogger.Instance);
    }

    /// <inheritdoc />
    public DeliveryChannel Channel => DeliveryChannel.Email;

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var built = _builder.Build(message, MailBuildSettings.For(Channel, _options));
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
