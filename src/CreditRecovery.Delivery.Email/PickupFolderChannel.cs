using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// Writes each message as an <c>.eml</c> file into a folder instead of sending it: the embedded default ("e-mails to a
/// pickup folder"), standing in for e-mail, PEC and fax (one instance per channel). Files are written atomically (a
/// temporary file renamed into place, so a reader never sees half a message) and named from the Message-ID, so the same
/// outbox record always lands on the same file: writing it again keeps the first file and adds nothing.
/// </summary>
public sealed class PickupFolderChannel : IMessageChannel
{
    /// <summary>The extension of the files written.</summary>
    public const string Extension = ".eml";

    private const int MaxNameLength = 150;

    private readonly PickupFolderOptions _options;
    private readonly OutgoingMailBuilder _builder;
    private readonly ILogger _logger;
    private readonly FaxNumbers _faxNumbers;
    private readonly string _folder;

    /// <summary>Creates the channel.</summary>
    /// <param name="channel">The channel it stands in for: Email, Pec or Fax.</param>
    /// <param name="options">The folder; validated here.</param>
    /// <param name="clock">The clock the Date header comes from.</param>
    /// <param name="logger">Logs the files written.</param>
    /// <exception cref="ArgumentException">The options are not usable, or the channel is not a mail channel.</exception>
    public PickupFolderChannel(DeliveryChannel channel, PickupFolderOptions options, IClock clock, ILogger<PickupFolderChannel>? logger = null)
    {
        if (channel is not (DeliveryChannel.Email or DeliveryChannel.Pec or DeliveryChannel.Fax))
        {
            throw new ArgumentException($"The pickup folder writes e-mails: it stands in for Email, Pec and Fax, not {channel}.", nameof(channel));
        }

        _options = ChannelGuards.Validated(options);
        Channel = channel;
        _builder = new OutgoingMailBuilder(clock);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _faxNumbers = new FaxNumbers(options.FaxCountryCode, FaxNumberFormat.InternationalPlus);
        _folder = Path.GetFullPath(options.Folder);
    }

    /// <inheritdoc />
    public DeliveryChannel Channel { get; }

    /// <summary>The folder the files go to (full path).</summary>
    public string Folder => _folder;

    /// <summary>The file name a Message-ID is written to: the Message-ID made safe for any file system, and a short hash of it.</summary>
    /// <param name="messageId">The Message-ID, without angle brackets.</param>
    public static string FileNameFor(string messageId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(messageId);
        var safe = new StringBuilder(messageId.Length);
        foreach (var c in messageId)
        {
            safe.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@' or '+' or '=' ? c : '_');
        }

        if (safe.Length > MaxNameLength)
        {
            safe.Length = MaxNameLength;
        }

        // The hash keeps names distinct on case-insensitive file systems (Message-IDs are case-sensitive).
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(messageId)))[..10];
        return safe.Append('-').Append(hash).Append(Extension).ToString();
    }

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var settings = MailBuildSettings.For(Channel, _options);
        if (Channel == DeliveryChannel.Fax)
        {
            var address = _faxNumbers.Address(_options.FaxAddressPattern, message.Message.Recipient, out var error);
            if (address is null)
            {
                return FaxNumbers.Unusable(message, error);
            }

            settings = settings with { RecipientAddress = address, IncludeHtml = false };
        }

        var built = _builder.Build(message, settings);
        if (built.Mail is not { } mail)
        {
            return built.Failure!;
        }

        var path = Path.Combine(_folder, FileNameFor(mail.MessageId));
        if (File.Exists(path))
        {
            _logger.LogDebug("Outbox message {OutboxId} is already in the pickup folder as {File}", message.Message.Id, path);
            return new DeliveryResult(true, mail.MessageId, Notes(mail));
        }

        var temporary = Path.Combine(_folder, string.Create(CultureInfo.InvariantCulture, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp"));
        try
        {
            Directory.CreateDirectory(_folder);
            mail.Message.Prepare(EncodingConstraint.SevenBit);
            var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 16384, FileOptions.Asynchronous);
            await using (stream.ConfigureAwait(false))
            {
                await mail.Message.WriteToAsync(FormatOptions.Default, stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, path, overwrite: false);
                _logger.LogDebug("Outbox message {OutboxId} written to {File}", message.Message.Id, path);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another writer put the same message there first: it is there once, which is all that matters.
            }

            return new DeliveryResult(true, mail.MessageId, Notes(mail));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning("Outbox message {OutboxId} not written to the pickup folder {Folder}: {Error}", message.Message.Id, _folder, ex.Message);
            return DeliveryResult.TransientFailure($"Cannot write to the pickup folder '{_folder}': {ex.Message}");
        }
        finally
        {
            TryDelete(temporary);
        }
    }

    private static string? Notes(OutgoingMail mail) => mail.Notes.Count == 0 ? null : string.Join(" ", mail.Notes);

    private static void TryDelete(string file)
    {
        try
        {
            File.Delete(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A leftover .tmp file is harmless: readers take only *.eml.
        }
    }
}
