using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// Fax through an e-mail-to-fax gateway (<see cref="DeliveryChannel.Fax"/>): the outbox record's recipient is a fax
/// number, normalised (digits, country code) and written into <see cref="FaxGatewayOptions.AddressPattern"/>, e.g.
/// <c>+390212345678@fax.provider.example</c>. The rendered text is the body (no HTML); a PDF goes along only when the
/// message's attachments contain one (this channel renders no PDF itself). An unusable number is a permanent failure.
/// </summary>
public sealed class FaxGatewayChannel : SmtpMessageChannel
{
    private readonly FaxGatewayOptions _options;
    private readonly FaxNumbers _numbers;
    private readonly IReadOnlySet<string> _attachmentTypes;

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The gateway; validated here.</param>
    /// <param name="clock">The clock the Date header comes from.</param>
    /// <param name="logger">Logs failures (never the password).</param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public FaxGatewayChannel(FaxGatewayOptions options, IClock clock, ILogger<FaxGatewayChannel>? logger = null)
        : base(ChannelGuards.Validated(options), clock, logger)
    {
        _options = options;
        _numbers = options.Numbers;
        _attachmentTypes = new HashSet<string>(options.AttachmentContentTypes, StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public override DeliveryChannel Channel => DeliveryChannel.Fax;

    /// <summary>The gateway address a fax number is sent to, or <see langword="null"/> when it is not a usable number.</summary>
    /// <param name="faxNumber">The number as written in the master data, e.g. <c>02/1234.5678</c>.</param>
    public string? GatewayAddress(string faxNumber) => _numbers.Address(_options.AddressPattern, faxNumber, out _);

    /// <inheritdoc />
    private protected override MailBuildSettings? Settings(OutgoingMessage message, out DeliveryResult? failure)
    {
        var address = _numbers.Address(_options.AddressPattern, message.Message.Recipient, out var error);
        if (address is null)
        {
            failure = FaxNumbers.Unusable(message, error);
            return null;
        }

        failure = null;
        return MailBuildSettings.For(Channel, _options) with
        {
            RecipientAddress = address,
            IncludeHtml = false,
            AttachmentContentTypes = _attachmentTypes,
        };
    }
}
