using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using CreditRecovery.Ports;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Mailbox.Imap;

/// <summary>
/// Reads PEC receipts (*ricevute*) and customers' replies from an IMAP folder with MailKit, keeps the raw <c>.eml</c> of each
/// as evidence, and acknowledges what the engine has recorded so that it is not read again.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="ReadAsync"/> returns the mails not acknowledged yet, oldest first (by the server's arrival time, then UID),
/// one at a time: each is downloaded (without setting <c>\Seen</c>), written to the evidence folder, then classified
/// (see <see cref="InboundMail.Kind"/>). Bad content never stops the read: a receipt whose <c>daticert.xml</c> is malformed
/// or that names no original message is still returned, with <see cref="InboundMail.Error"/> saying what is missing; a
/// mail that cannot be processed at all is logged and left unacknowledged, and the read goes on.
/// </para>
/// <para>
/// Acknowledging sets <see cref="ImapMailboxOptions.AcknowledgeKeyword"/> (or <c>\Seen</c> on a server without custom
/// keywords, or moves the mail to <see cref="ImapMailboxOptions.ProcessedFolder"/>). One IMAP connection is kept open and
/// shared, reconnecting when it drops; calls are serialized, so <see cref="AcknowledgeAsync"/> may be called while a read
/// is being enumerated.
/// </para>
/// </remarks>
public sealed partial class ImapInboundMailSource : IInboundMailSource, IAsyncDisposable, IDisposable
{
    private const string OwnIdPrefix = "imap.";

    private readonly ImapMailboxOptions _options;
    private readonly IClock _clock;
    private readonly ILogger _logger;
    private readonly EvidenceStore _evidence;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<string, MailLocation> _locations = new(StringComparer.Ordinal);
    private ImapClient? _client;
    private IMailFolder? _folder;
    private IMailFolder? _processed;
    private AcknowledgeMode _mode;
    private bool _disposed;

    /// <summary>Creates the source; nothing is connected until the first call.</summary>
    /// <param name="options">The options; they are validated here.</param>
    /// <param name="clock">The clock, used only for a mail with no date at all.</param>
    /// <param name="logger">Where to log (never the password); default nowhere.</param>
    /// <exception cref="ArgumentException">The options are not valid; the message lists every problem.</exception>
    public ImapInboundMailSource(ImapMailboxOptions options, IClock clock, ILogger<ImapInboundMailSource>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clock);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid IMAP mailbox options: " + string.Join(" ", errors), nameof(options));
        }

        _options = options;
        _clock = clock;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        _evidence = new EvidenceStore(options.EvidenceFolder);
    }

    private enum AcknowledgeMode
    {
        Keyword,
        Seen,
        Move,
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<InboundMail> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        List<(UniqueId Uid, Instant? Arrived)> pending;
        uint validity;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var folder = await OpenAsync(cancellationToken).ConfigureAwait(false);

            // A session kept open does not see what other sessions changed (e.g. another instance acknowledging) until it
            // syncs: NOOP makes the server report those changes before the search.
            await _client!.NoOpAsync(cancellationToken).ConfigureAwait(false);
            var query = _mode switch
            {
                AcknowledgeMode.Keyword => SearchQuery.NotKeyword(_options.AcknowledgeKeyword),
                AcknowledgeMode.Seen => SearchQuery.NotSeen,
                _ => SearchQuery.All,
            };
            var uids = await folder.SearchAsync(query, cancellationToken).ConfigureAwait(false);
            var summaries = uids.Count == 0
                ? []
                : await folder.FetchAsync(uids, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.InternalDate), cancellationToken).ConfigureAwait(false);
            pending = summaries
                .Select(s => (s.UniqueId, Arrived: s.InternalDate is { } date ? Instant.FromDateTimeOffset(date) : (Instant?)null))
                .OrderBy(s => s.Arrived ?? Instant.MaxValue)
                .ThenBy(s => s.UniqueId.Id)
                .ToList();
            validity = folder.UidValidity;
        }
        finally
        {
            _gate.Release();
        }

        LogPending(_logger, _options.UserName, _options.Folder, pending.Count);
        foreach (var (uid, arrived) in pending)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var incoming = await DownloadAsync(uid, validity, cancellationToken).ConfigureAwait(false);
            if (incoming.Stop)
            {
                yield break;
            }

            if (incoming.File is null)
            {
                continue;
            }

            var mail = await ProcessAsync(incoming.File, uid, validity, arrived, cancellationToken).ConfigureAwait(false);
            if (mail is not null)
            {
                yield return mail;
            }
        }
    }

    /// <inheritdoc />
    public async ValueTask AcknowledgeAsync(InboundMail mail, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(mail);
        ObjectDisposedException.ThrowIf(_disposed, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var folder = await OpenAsync(cancellationToken).ConfigureAwait(false);
            var uids = await LocateAsync(folder, mail.Id, cancellationToken).ConfigureAwait(false);
            if (uids.Count == 0)
            {
                LogNotFound(_logger, mail.Id, _options.Folder);
                return;
            }

            switch (_mode)
            {
                case AcknowledgeMode.Move:
                    await folder.MoveToAsync(uids, _processed!, cancellationToken).ConfigureAwait(false);
                    break;
                case AcknowledgeMode.Seen:
                    await folder.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Seen) { Silent = true }, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    await folder.StoreAsync(uids, new StoreFlagsRequest(StoreAction.Add, MessageFlags.None, [_options.AcknowledgeKeyword]) { Silent = true }, cancellationToken).ConfigureAwait(false);
                    break;
            }

            _locations.TryRemove(mail.Id, out _);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Logs out and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_client is { IsConnected: true } client)
            {
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                    await client.DisconnectAsync(quit: true, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or ImapProtocolException or ImapCommandException or OperationCanceledException)
                {
                    // Closing anyway.
                }
            }

            _client?.Dispose();
            _client = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the connection (without waiting for a polite logout).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _client?.Dispose();
        _client = null;
    }

    /// <summary>Downloads one message into the evidence store's temporary folder, under the lock.</summary>
    private async Task<(IncomingFile? File, bool Stop)> DownloadAsync(UniqueId uid, uint validity, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var folder = await OpenAsync(cancellationToken).ConfigureAwait(false);
            if (folder.UidValidity != validity)
            {
                // The server renumbered the folder: the UIDs listed are meaningless now. The next read lists them again.
                LogValidityChanged(_logger, _options.Folder, validity, folder.UidValidity);
                return (null, true);
            }

            try
            {
                await using var stream = await folder.GetStreamAsync(uid, cancellationToken).ConfigureAwait(false);
                return (await _evidence.ReceiveAsync(stream, cancellationToken).ConfigureAwait(false), false);
            }
            catch (MessageNotFoundException)
            {
                // Expunged or moved by someone else since the listing.
                LogVanished(_logger, uid.Id, _options.Folder);
                return (null, false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Parses, classifies and keeps one downloaded message; <see langword="null"/> when that failed (logged, left unacknowledged).</summary>
    private async Task<InboundMail?> ProcessAsync(IncomingFile file, UniqueId uid, uint validity, Instant? arrived, CancellationToken cancellationToken)
    {
        var ownId = string.Create(CultureInfo.InvariantCulture, $"{OwnIdPrefix}{validity}.{uid.Id}@{_options.Folder}");
        try
        {
            var mailboxTime = arrived ?? _clock.GetCurrentInstant();
            MimeMessage? message = null;
            string? parseError = null;
            try
            {
                await using var stream = new FileStream(file.Path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
                message = await MimeMessage.LoadAsync(stream, cancellationToken).ConfigureAwait(false);
            }
            catch (FormatException ex)
            {
                parseError = "the mail could not be read as a MIME message (" + ex.Message + ")";
            }

            var classified = message is null
                ? new ClassifiedMail(InboundMailKind.Reply, mailboxTime, null, null, null, [], null, parseError)
                : MailClassifier.Classify(message, mailboxTime);
            var id = MessageIds.Normalize(message?.MessageId) ?? ownId;
            var evidence = await _evidence.KeepAsync(file, id, classified.ReceivedAt, cancellationToken).ConfigureAwait(false);
            _locations.AddOrUpdate(
                id,
                _ => new MailLocation(validity, [uid]),
                (_, known) => known.Validity == validity ? known with { Uids = [.. known.Uids.Append(uid).Distinct()] } : new MailLocation(validity, [uid]));
            var mail = new InboundMail
            {
                Id = id,
                Kind = classified.Kind,
                ReceivedAt = classified.ReceivedAt,
                From = classified.From,
                Subject = classified.Subject,
                TextBody = classified.TextBody,
                References = classified.References,
                Recipient = classified.Recipient,
                Error = classified.Error,
                Evidence = evidence,
            };
            if (mail.Error is not null)
            {
                LogReadWithProblem(_logger, uid.Id, id, mail.Kind, mail.Error);
            }

            return mail;
        }
        catch (OperationCanceledException)
        {
            EvidenceStore.Discard(file);
            throw;
        }
        catch (Exception ex)
        {
            // Whatever went wrong with this one mail, the others are read; this one stays unacknowledged for the next read.
            EvidenceStore.Discard(file);
            LogProcessingFailed(_logger, ex, uid.Id, _options.Folder);
            return null;
        }
    }

    private async Task<IList<UniqueId>> LocateAsync(IMailFolder folder, string id, CancellationToken cancellationToken)
    {
        if (_locations.TryGetValue(id, out var known) && known.Validity == folder.UidValidity)
        {
            return known.Uids;
        }

        if (TryParseOwnId(id, out var validity, out var uid))
        {
            return validity == folder.UidValidity ? [uid] : [];
        }

        // Read by another instance (or before a restart): find it by its Message-ID. HEADER search matches substrings,
        // so the candidates' Message-IDs are compared exactly.
        var candidates = await folder.SearchAsync(SearchQuery.HeaderContains("Message-ID", id), cancellationToken).ConfigureAwait(false);
        if (candidates.Count == 0)
        {
            return candidates;
        }

        var summaries = await folder.FetchAsync(candidates, new FetchRequest(MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope), cancellationToken).ConfigureAwait(false);
        return summaries.Where(s => string.Equals(MessageIds.Normalize(s.Envelope?.MessageId), id, StringComparison.Ordinal)).Select(s => s.UniqueId).ToList();
    }

    private bool TryParseOwnId(string id, out uint validity, out UniqueId uid)
    {
        validity = 0;
        uid = UniqueId.Invalid;
        var suffix = "@" + _options.Folder;
        if (!id.StartsWith(OwnIdPrefix, StringComparison.Ordinal) || !id.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        var parts = id[OwnIdPrefix.Length..^suffix.Length].Split('.');
        if (parts.Length != 2
            || !uint.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out validity)
            || !uint.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            || number == 0)
        {
            return false;
        }

        uid = new UniqueId(validity, number);
        return true;
    }

    /// <summary>Connects, logs in and opens the folder when needed; call under the lock.</summary>
    private async Task<IMailFolder> OpenAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true, IsAuthenticated: true } && _folder is { IsOpen: true } open)
        {
            return open;
        }

        _client?.Dispose();
        _client = null;
        _folder = null;
        var client = new ImapClient { Timeout = (int)_options.Timeout.TotalMilliseconds };
        try
        {
            if (_options.AcceptUntrustedCertificate)
            {
                LogUntrustedAccepted(_logger, _options.Host);
                client.ServerCertificateValidationCallback = static (_, _, _, _) => true;
            }

            var security = _options.Security switch
            {
                ImapSecurity.StartTls => SecureSocketOptions.StartTls,
                ImapSecurity.None => SecureSocketOptions.None,
                _ => SecureSocketOptions.SslOnConnect,
            };
            await client.ConnectAsync(_options.Host, _options.EffectivePort, security, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(new NetworkCredential(_options.UserName, _options.Password), cancellationToken).ConfigureAwait(false);
            var folder = string.Equals(_options.Folder, "INBOX", StringComparison.OrdinalIgnoreCase)
                ? client.Inbox
                : await client.GetFolderAsync(_options.Folder, cancellationToken).ConfigureAwait(false);
            await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);
            _mode = await ChooseModeAsync(client, folder, cancellationToken).ConfigureAwait(false);
            LogConnected(_logger, _options.Host, _options.EffectivePort, _options.UserName, _options.Folder, _mode.ToString());
            _client = client;
            _folder = folder;
            return folder;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            client.Dispose();
            throw new InboundMailboxException(
                $"IMAP mailbox {_options.UserName}@{_options.Host}:{_options.EffectivePort} folder '{_options.Folder}': {Describe(ex)}", ex);
        }
    }

    private async Task<AcknowledgeMode> ChooseModeAsync(ImapClient client, IMailFolder folder, CancellationToken cancellationToken)
    {
        if (_options.ProcessedFolder is { } processedName)
        {
            IMailFolder processed;
            try
            {
                processed = await client.GetFolderAsync(processedName, cancellationToken).ConfigureAwait(false);
            }
            catch (FolderNotFoundException)
            {
                var root = client.GetFolder(client.PersonalNamespaces[0]);
                processed = await root.CreateAsync(processedName, isMessageFolder: true, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"the server did not create the processed folder '{processedName}'");
            }

            _processed = processed;
            return AcknowledgeMode.Move;
        }

        if (folder.PermanentFlags.HasFlag(MessageFlags.UserDefined) || folder.PermanentKeywords.Contains(_options.AcknowledgeKeyword))
        {
            return AcknowledgeMode.Keyword;
        }

        LogNoKeywords(_logger, _options.Folder, _options.AcknowledgeKeyword);
        return AcknowledgeMode.Seen;
    }

    private static string Describe(Exception ex) => ex switch
    {
        AuthenticationException => "the server refused the user name or password",
        SslHandshakeException => "the TLS handshake failed (" + ex.Message.Split('\n')[0].Trim() + "); set AcceptUntrustedCertificate only for a server you control",
        FolderNotFoundException => "the folder does not exist",
        _ => ex.Message,
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "IMAP {User}@{Host}:{Port} folder {Folder}: connected, acknowledging by {Mode}")]
    private static partial void LogConnected(ILogger logger, string host, int port, string user, string folder, string mode);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "IMAP {User} folder {Folder}: {Count} mails not acknowledged yet")]
    private static partial void LogPending(ILogger logger, string user, string folder, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "IMAP mail UID {Uid} ({Id}) read as {Kind} with a problem: {Problem}")]
    private static partial void LogReadWithProblem(ILogger logger, uint uid, string id, InboundMailKind kind, string problem);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "IMAP mail UID {Uid} in folder {Folder} could not be processed; it stays unacknowledged and is read again next time")]
    private static partial void LogProcessingFailed(ILogger logger, Exception exception, uint uid, string folder);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "IMAP folder {Folder} accepts no custom keyword such as {Keyword}: acknowledging with the Seen flag instead, so mails someone opens in a mail client are skipped")]
    private static partial void LogNoKeywords(ILogger logger, string folder, string keyword);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "IMAP folder {Folder} changed UIDVALIDITY from {Old} to {New} during a read; the rest is read next time")]
    private static partial void LogValidityChanged(ILogger logger, string folder, uint old, uint @new);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "IMAP mail UID {Uid} left folder {Folder} before it was read")]
    private static partial void LogVanished(ILogger logger, uint uid, string folder);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "IMAP mail {Id} to acknowledge is no longer in folder {Folder} (already acknowledged or moved)")]
    private static partial void LogNotFound(ILogger logger, string id, string folder);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "IMAP {Host}: accepting the server certificate without validating it (AcceptUntrustedCertificate)")]
    private static partial void LogUntrustedAccepted(ILogger logger, string host);

    private sealed record MailLocation(uint Validity, IList<UniqueId> Uids);
}

/// <summary>The mailbox could not be reached, logged into or opened; the message names server, user and folder, never the password.</summary>
public sealed class InboundMailboxException : CreditRecoveryException
{
    /// <summary>Creates the exception.</summary>
    public InboundMailboxException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public InboundMailboxException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InboundMailboxException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
