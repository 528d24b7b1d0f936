using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// PEC (*posta elettronica certificata*, <see cref="DeliveryChannel.Pec"/>): sends through the company's PEC mailbox over
/// SMTP with TLS, always from the PEC address of <see cref="PecMailOptions"/> (PEC providers refuse any other sender),
/// with the same MIME builder and the same failure classification as <see cref="SmtpEmailChannel"/>. The stable
/// Message-ID is what the provider's acceptance and delivery receipts quote (<c>X-Riferimento-Message-ID</c>); reading
/// the receipts is the inbound mail source's job.
/// </summary>
public sealed class PecChannel : SmtpMessageChannel
{
    private readonly PecMailOptions _options;

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The PEC mailbox; validated here.</param>
    /// <param name="clock">The clock the Date header comes from.</param>
    /// <param name="logger">Logs failures (never the password).</param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public PecChannel(PecMailOptions options, IClock clock, ILogger<PecChannel>? logger = null)
        : base(ChannelGuards.Validated(options), clock, logger) => _options = options;

    /// <inheritdoc />
    public override DeliveryChannel Channel => DeliveryChannel.Pec;

    /// <inheritdoc />
    private protected override MailBuildSettings Settings(OutgoingMessage message, out DeliveryResult? failure)
    {
        failure = null;
        return MailBuildSettings.For(Channel, _options) with { ForceFrom = true };
    }
}
