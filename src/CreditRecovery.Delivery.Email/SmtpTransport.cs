using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using CreditRecovery.Ports;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// Sends built messages to one SMTP server with MailKit and turns every outcome into a <see cref="DeliveryResult"/>.
/// One connection, used by one message at a time, is kept open for <see cref="SmtpServerOptions.ConnectionIdleTimeout"/>
/// and checked with NOOP before it is reused; after any failure it is closed and the next message opens a new one.
/// </summary>
/// <remarks>
/// Classification: connection refused, DNS, timeouts, a dropped connection, TLS problems and 4xx replies are transient;
/// a 5xx reply to a To recipient (e.g. 550) or to the message itself is permanent and carries the server's text; a
/// rejected Cc does not stop the message and is reported in <see cref="DeliveryResult.Error"/> of an accepted result.
/// Authentication failures and a rejected sender are configuration problems: transient, with an error saying what to
/// check, so that the queued messages go out once the configuration is fixed instead of failing every customer's case.
/// </remarks>
internal sealed class SmtpTransport : IAsyncDisposable, IDisposable
{
    private readonly SmtpServerOptions _options;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly string _server;
    private TrackingSmtpClient? _client;
    private long _lastUsed;
    private int _disposed;

    public SmtpTransport(SmtpServerOptions options, ILogger logger)
    {
        _options = options;
        _logger = logger;
        _server = string.Create(CultureInfo.InvariantCulture, $"SMTP server {options.Host.Trim()}:{options.EffectivePort}");
    }

    /// <summary>Sends a message; never throws for a delivery problem, only for cancellation by the caller.</summary>
    public async ValueTask<DeliveryResult> SendAsync(OutgoingMail mail, string outboxId, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            TrackingSmtpClient client;
            try
            {
                client = await ConnectedClientAsync(cancellationToken).ConfigureAwait(false);
                client.Expect(mail.To);
                await client.SendAsync(FormatOptions.Default, mail.Message, mail.Sender, mail.Recipients, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                await DropAsync().ConfigureAwait(false);
                throw;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                await DropAsync().ConfigureAwait(false);
                var failure = Classify(ex);
                _logger.LogWarning(
                    "Outbox message {OutboxId} not sent ({Kind}): {Error}",
                    outboxId,
                    failure.Permanent ? "permanent" : "transient",
                    failure.Error);
                return failure;
            }

            var notes = mail.Notes.Concat(client.RejectedCopies).ToList();
            _lastUsed = Stopwatch.GetTimestamp();
            if (_options.ConnectionIdleTimeout == TimeSpan.Zero)
            {
                await DropAsync(quit: true).ConfigureAwait(false);
            }

            if (notes.Count > 0)
            {
                _logger.LogWarning("Outbox message {OutboxId} sent with notes: {Notes}", outboxId, string.Join(" ", notes));
            }
            else
            {
                _logger.LogDebug("Outbox message {OutboxId} sent as <{MessageId}> through the {Server}", outboxId, mail.MessageId, _server);
            }

            return new DeliveryResult(true, mail.MessageId, notes.Count == 0 ? null : string.Join(" ", notes));
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await DropAsync(quit: true).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Closes the connection without QUIT (synchronous disposal).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _gate.Wait();
        try
        {
            _client?.Dispose();
            _client = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<TrackingSmtpClient> ConnectedClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } open)
        {
            if (Stopwatch.GetElapsedTime(_lastUsed) < _options.ConnectionIdleTimeout)
            {
                try
                {
                    await open.NoOpAsync(cancellationToken).ConfigureAwait(false);
                    return open;
                }
                catch (Exception ex) when (ex is IOException or SocketException or ProtocolException or CommandException or ServiceNotConnectedException or InvalidOperationException)
                {
                    _logger.LogDebug("The open connection to the {Server} is no longer usable ({Error}); opening a new one", _server, ex.Message);
                }
            }

            await DropAsync(quit: true).ConfigureAwait(false);
        }
        else
        {
            await DropAsync().ConfigureAwait(false);
        }

        var client = new TrackingSmtpClient
        {
            Timeout = (int)_options.Timeout.TotalMilliseconds,
            ServerCertificateValidationCallback = ValidateCertificate,
        };
        if (!string.IsNullOrWhiteSpace(_options.LocalDomain))
        {
            client.LocalDomain = _options.LocalDomain.Trim();
        }

        _client = client;
        var security = _options.Security switch
        {
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        using (var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            connectTimeout.CancelAfter(_options.Timeout);
            try
            {
                await client.ConnectAsync(_options.Host.Trim(), _options.EffectivePort, security, connectTimeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture, $"connecting took longer than {_options.Timeout.TotalSeconds:0.#} s"));
            }
        }

        var user = _options.EffectiveUserName;
        if (!string.IsNullOrWhiteSpace(user))
        {
            await client.AuthenticateAsync(user.Trim(), _options.Password ?? string.Empty, cancellationToken).ConfigureAwait(false);
        }

        return client;
    }

    private bool ValidateCertificate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Self-signed or private CA: only the chain is at fault (the name still matches), and only when allowed.
        if (_options.AllowSelfSignedCertificate && errors == SslPolicyErrors.RemoteCertificateChainErrors && chain is not null)
        {
            return chain.ChainStatus.All(s => s.Status is X509ChainStatusFlags.NoError or X509ChainStatusFlags.UntrustedRoot
                or X509ChainStatusFlags.PartialChain or X509ChainStatusFlags.RevocationStatusUnknown or X509ChainStatusFlags.OfflineRevocation);
        }

        _logger.LogWarning("The {Server} presented a certificate that does not validate: {Errors}", _server, errors);
        return false;
    }

    private async ValueTask DropAsync(bool quit = false)
    {
        var client = _client;
        _client = null;
        if (client is null)
        {
            return;
        }

        try
        {
            if (quit && client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await client.DisconnectAsync(true, timeout.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ProtocolException or CommandException or ServiceNotConnectedException or OperationCanceledException)
        {
            // The connection is being thrown away anyway.
        }
        finally
        {
            client.Dispose();
        }
    }

    /// <summary>Turns an exception from connecting, authenticating or sending into a delivery result.</summary>
    internal DeliveryResult Classify(Exception exception)
    {
        var user = _options.EffectiveUserName;
        var name = _options.GetType().Name;
        switch (exception)
        {
            case SmtpCommandException command:
                var reply = string.Create(CultureInfo.InvariantCulture, $"{(int)command.StatusCode} {command.Message.Trim()}");
                var permanent = (int)command.StatusCode is >= 500 and < 600;
                return command.ErrorCode switch
                {
                    SmtpErrorCode.RecipientNotAccepted => permanent
                        ? DeliveryResult.PermanentFailure($"The {_server} rejected the recipient {command.Mailbox?.Address}: {reply}")
                        : DeliveryResult.TransientFailure($"The {_server} deferred the recipient {command.Mailbox?.Address}: {reply}"),
                    SmtpErrorCode.MessageNotAccepted => permanent
                        ? DeliveryResult.PermanentFailure($"The {_server} rejected the message: {reply}")
                        : DeliveryResult.TransientFailure($"The {_server} deferred the message: {reply}"),
                    SmtpErrorCode.SenderNotAccepted => DeliveryResult.TransientFailure(
                        $"The {_server} rejected the sender {command.Mailbox?.Address}: {reply}. Check the From address (company profile or {name}.From) and that {user ?? "the account"} may send as it."),
                    _ => DeliveryResult.TransientFailure($"The {_server} answered: {reply}"),
                };
            case AuthenticationException:
                return DeliveryResult.TransientFailure(
                    $"The {_server} refused the login of '{user}': check the credentials ({name}.UserName and {name}.Password). Messages stay queued until it succeeds.");
            case ServiceNotAuthenticatedException:
                return DeliveryResult.TransientFailure($"The {_server} requires authentication: set {name}.UserName and {name}.Password.");
            case SslHandshakeException:
                return DeliveryResult.TransientFailure(
                    $"TLS with the {_server} failed: its certificate is not valid for this host or not trusted ({name}.AllowSelfSignedCertificate accepts a self-signed one), or the security mode ({_options.Security}) does not match the port.");
            case NotSupportedException notSupported:
                return DeliveryResult.TransientFailure($"The {_server} does not support what {name} asks for ({_options.Security}, authentication): {notSupported.Message}");
            case SocketException socket when socket.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData:
                return DeliveryResult.TransientFailure($"The {_server} cannot be found (DNS): {socket.Message}");
            case SocketException socket:
                return DeliveryResult.TransientFailure($"The {_server} cannot be reached ({socket.SocketErrorCode}): {socket.Message}");
            case TimeoutException or OperationCanceledException:
                return DeliveryResult.TransientFailure($"The {_server} did not answer in time: {exception.Message}");
            case IOException or SmtpProtocolException or ServiceNotConnectedException:
                return DeliveryResult.TransientFailure($"The connection to the {_server} failed: {exception.Message}");
            default:
                return DeliveryResult.TransientFailure($"Sending through the {_server} failed ({exception.GetType().Name}): {exception.Message}");
        }
    }

    /// <summary>
    /// An SMTP client that tolerates rejected copies: a rejected To recipient aborts the transaction before DATA (MailKit's
    /// default), a rejected Cc is recorded and the message goes on to the others.
    /// </summary>
    private sealed class TrackingSmtpClient : SmtpClient
    {
        private readonly HashSet<string> _primary = new(StringComparer.OrdinalIgnoreCase);
        private readonly List<string> _rejected = [];

        public IReadOnlyList<string> RejectedCopies => _rejected;

        public void Expect(IEnumerable<MailboxAddress> to)
        {
            _primary.Clear();
            _rejected.Clear();
            foreach (var mailbox in to)
            {
                _primary.Add(mailbox.Address);
            }
        }

        protected override void OnRecipientNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
        {
            if (_primary.Contains(mailbox.Address))
            {
                base.OnRecipientNotAccepted(message, mailbox, response);
                return;
            }

            _rejected.Add(string.Create(CultureInfo.InvariantCulture, $"Cc {mailbox.Address} rejected by the server: {(int)response.StatusCode} {response.Response.Trim()}."));
        }
    }
}
