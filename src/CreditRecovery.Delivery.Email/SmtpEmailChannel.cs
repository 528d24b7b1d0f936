using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// E-mail over SMTP (<see cref="DeliveryChannel.Email"/>) with MailKit: STARTTLS, SSL on connect or none, optional
/// authentication, a connection reused within a batch. See <see cref="SmtpServerOptions"/> for the settings and
/// <see cref="SmtpMessageChannel"/> for how failures are classified.
/// </summary>
public sealed class SmtpEmailChannel : SmtpMessageChannel
{
    private readonly SmtpEmailOptions _options;

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The SMTP server; validated here.</param>
    /// <param name="clock">The clock the Date header comes from.</param>
    /// <param name="logger">Logs failures (never the password).</param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public SmtpEmailChannel(SmtpEmailOptions options, IClock clock, ILogger<SmtpEmailChannel>? logger = null)
        : base(ChannelGuards.Validated(options), clock, logger) => _options = options;

    /// <inheritdoc />
    public override DeliveryChannel Channel => DeliveryChannel.Email;

    /// <inheritdoc />
    private protected override MailBuildSettings Settings(OutgoingMessage message, out DeliveryResult? failure)
    {
        failure = null;
        return MailBuildSettings.For(Channel, _options);
    }
}
