using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// Fax through an e-mail-to-fax gateway (<see cref="DeliveryChannel.Fax"/>): the outbox record's recipient is a fax
/// number, normalised (digits, country code) and written into <see cref="FaxGatewayOptions.AddressPattern"/>, e.g.
/// <c>+390212345678@fax.provider.example</c>. The rendered text is the body (no HTML); a PDF goes along only when the
/// message's attachments contain one (this channel renders no PDF itself). An unusable number is a permanent failure.
/// </summary>
public sealed class FaxGatewayChannel : IMessageChannel, IAsyncDisposable, IDisposable
{
    private readonly FaxGatewayOptions _options;
    private readonly OutgoingMailBuilder _builder;
    private readonly SmtpTransport _transport;
    private readonly FaxNumbers _numbers;
    private readonly IReadOnlySet<string> _attachmentTypes;

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The gateway; validated here.</param>
    /// <param name="clock">The clock the Date header comes from.</param>
    /// <param name="logger">Logs failures (never the password).</param>
    /// <exception cref="ArgumentException">The options are not usable; the message lists every problem.</exception>
    public FaxGatewayChannel(FaxGatewayOptions options, IClock clock, ILogger<FaxGatewayChannel>? logger = null)
    {
        _options = ChannelGuards.Validated(options);
        _builder = new OutgoingMailBuilder(clock);
        _transport = new SmtpTransport(options, (ILogger?)logger ?? NullLogger.Instance);
        _numbers = options.Numbers;
        _attachmentTypes = new HashSet<string>(options.AttachmentContentTypes, StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public DeliveryChannel Channel => DeliveryChannel.Fax;

    /// <summary>The gateway address a fax number is sent to, or <see langword="null"/> when it is not a usable number.</summary>
    /// <param name="faxNumber">The number as written in the master data, e.g. <c>02/1234.5678</c>.</param>
    public string? GatewayAddress(string faxNumber) => _numbers.Address(_options.AddressPattern, faxNumber, out _);

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var address = _numbers.Address(_options.AddressPattern, message.Message.Recipient, out var error);
        if (address is null)
        {
            return DeliveryResult.PermanentFailure($"outbox message '{message.Message.Id}' (customer {message.Message.CustomerCode}): {error} (field Recipient).");
        }

        var settings = MailBuildSettings.For(Channel, _options) with
        {
            RecipientAddress = address,
            IncludeHtml = false,
            AttachmentContentTypes = _attachmentTypes,
        };
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
