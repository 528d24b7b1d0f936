using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using MimeKit;
using Xunit;

namespace CreditRecovery.Testing;

/// <summary>
/// A throw-away IMAP server for tests: Dovecot (the Debian package <c>dovecot-imapd</c>, which <c>.ci/run</c> installs) with
/// its own configuration file, a maildir and a passwd-file user in a temporary folder, listening on 127.0.0.1 at a free
/// port; stopped and deleted on <see cref="Dispose"/>. No mocks: tests put mail in with IMAP APPEND and read it back
/// through the real server.
/// </summary>
/// <remarks>
/// <para>
/// Dovecot 2.3's configuration syntax. As the current user, every Dovecot service and the mail files run as that user,
/// without chroot (which needs root).
/// As root (CI), Dovecot refuses root for its login and mail processes: they run as the <c>dovenull</c> and <c>dovecot</c>
/// users the Debian package creates, and the temporary folder is made reachable for them.
/// </para>
/// <para>
/// <see cref="Start(bool)"/> with <c>ssl: true</c> also listens for IMAPS on <see cref="SslPort"/> with a self-signed
/// certificate made at start for <c>localhost</c> / 127.0.0.1 (<see cref="Certificate"/>).
/// </para>
/// <para>
/// Where Dovecot is missing, tests marked <see cref="ImapFactAttribute"/> are skipped with a clear message, unless the
/// environment variable <c>CI</c> is <c>true</c>: there they run and fail loudly, because CI must have it.
/// </para>
/// </remarks>
public sealed class ImapTestServer : IDisposable
{
    /// <summary>The mailbox user.</summary>
    public const string User = "recovery@pec.example.it";

    /// <summary>The mailbox user's password (stored in clear in the throw-away passwd file).</summary>
    public const string UserPassword = "not-a-real-secret";

    private static readonly Lazy<Installation> LazyInstallation = new(FindInstallation);

    private readonly string _root;
    private readonly string _log;
    private readonly object _gate = new();
    private Process? _process;
    private bool _disposed;

    private ImapTestServer(string root, int port, int? sslPort)
    {
        _root = root;
        _log = Path.Combine(root, "dovecot.log");
        Port = port;
        SslPort = sslPort;
    }

    /// <summary>Whether Dovecot can be started here; when not, <see cref="UnavailableReason"/> says why.</summary>
    public static bool IsAvailable => LazyInstallation.Value.Problem is null;

    /// <summary>Why Dovecot cannot be started here, or <see langword="null"/> when it can.</summary>
    public static string? UnavailableReason => LazyInstallation.Value.Problem;

    /// <summary>Whether this run is CI (<c>CI=true</c>), where Dovecot is required and never skipped.</summary>
    public static bool IsCi => LocalServers.IsCi;

    /// <summary>The host to connect to.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The plain IMAP port on 127.0.0.1 (no TLS).</summary>
    public int Port { get; }

    /// <summary>The IMAPS port (TLS from the first byte), when started with <c>ssl: true</c>.</summary>
    public int? SslPort { get; }

    /// <summary>The self-signed certificate of <see cref="SslPort"/>, when started with <c>ssl: true</c>.</summary>
    public X509Certificate2? Certificate { get; private set; }

    /// <summary>Starts a new server.</summary>
    /// <param name="ssl">Whether to listen for IMAPS too, with a self-signed certificate.</param>
    /// <exception cref="InvalidOperationException">Dovecot is not installed, or did not start; the message says why.</exception>
    public static ImapTestServer Start(bool ssl = false)
    {
        var installation = LazyInstallation.Value;
        if (installation.Problem is not null)
        {
            throw new InvalidOperationException(
                "Dovecot is required but cannot be started: " + installation.Problem + " Install the Debian package 'dovecot-imapd' (.ci/run does so on CI).");
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // As root, Dovecot's own users must reach the folder: the temporary folder may be private to root, /tmp is not.
            var root = Path.Combine(installation.AsRoot ? "/tmp" : Path.GetTempPath(), "cr-imap-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);
            var server = new ImapTestServer(root, LocalServers.FreePort(), ssl ? LocalServers.FreePort() : null);
            try
            {
                server.Initialize(installation);
                return server;
            }
            catch (InvalidOperationException ex)
            {
                // Most likely another process took a port between our probe and the start: try others.
                last = ex;
                server.Dispose();
            }
        }

        throw new InvalidOperationException("Dovecot did not start after 3 attempts.", last);
    }

    /// <summary>Connects and logs in a MailKit client over the plain port.</summary>
    /// <param name="cancellationToken">Cancels the connection.</param>
    public async Task<ImapClient> ConnectAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var client = new ImapClient { Timeout = 30_000 };
        try
        {
            await client.ConnectAsync(Host, Port, SecureSocketOptions.None, cancellationToken).ConfigureAwait(false);
            await client.AuthenticateAsync(User, UserPassword, cancellationToken).ConfigureAwait(false);
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Puts a message into a folder with IMAP APPEND, as a mail server delivering it would.</summary>
    /// <param name="message">The message.</param>
    /// <param name="arrived">The arrival time (IMAP INTERNALDATE); default now.</param>
    /// <param name="folder">The folder, created when missing. Default <c>INBOX</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The message's UID.</returns>
    public async Task<UniqueId> AppendAsync(MimeMessage message, DateTimeOffset? arrived = null, string folder = "INBOX", CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        var target = await GetOrCreateFolderAsync(client, folder, cancellationToken).ConfigureAwait(false);
        var request = arrived is { } date ? new AppendRequest(message, MessageFlags.None, date) : new AppendRequest(message, MessageFlags.None);
        var uid = await target.AppendAsync(request, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException("Dovecot returned no APPENDUID.");
        await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        return uid;
    }

    /// <summary>Counts the messages in a folder (0 when it does not exist).</summary>
    /// <param name="folder">The folder.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<int> CountAsync(string folder = "INBOX", CancellationToken cancellationToken = default)
    {
        using var client = await ConnectAsync(cancellationToken).ConfigureAwait(false);
        IMailFolder target;
        try
        {
            target = string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase) ? client.Inbox : await client.GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            return 0;
        }

        await target.OpenAsync(FolderAccess.ReadOnly, cancellationToken).ConfigureAwait(false);
        var count = target.Count;
        await client.DisconnectAsync(true, cancellationToken).ConfigureAwait(false);
        return count;
    }

    /// <summary>The server's log, for failure messages.</summary>
    public string ReadLog()
    {
        try
        {
            return File.Exists(_log) ? File.ReadAllText(_log) : "(no log)";
        }
        catch (IOException ex)
        {
            return "(log unreadable: " + ex.Message + ")";
        }
    }

    /// <summary>Stops the server and deletes its folder.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        if (_process is { } process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            process.Dispose();
        }

        Certificate?.Dispose();
        LocalServers.TryDeleteFolder(_root);
    }

    private static async Task<IMailFolder> GetOrCreateFolderAsync(ImapClient client, string folder, CancellationToken cancellationToken)
    {
        if (string.Equals(folder, "INBOX", StringComparison.OrdinalIgnoreCase))
        {
            return client.Inbox;
        }

        try
        {
            return await client.GetFolderAsync(folder, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(folder, true, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Dovecot did not create folder '{folder}'.");
        }
    }

    private void Initialize(Installation installation)
    {
        var home = Path.Combine(_root, "home");
        Directory.CreateDirectory(Path.Combine(_root, "run"));
        Directory.CreateDirectory(Path.Combine(_root, "state"));
        Directory.CreateDirectory(home);
        File.WriteAllText(Path.Combine(_root, "passwd"), User + ":{PLAIN}" + UserPassword + "::::::\n");

        string loginUser, internalUser, internalGroup, mailUid, mailGid;
        if (installation.AsRoot)
        {
            (loginUser, internalUser, internalGroup, mailUid, mailGid) = ("dovenull", "dovecot", "dovecot", "dovecot", "dovecot");
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(_root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            }

            Run("chown", ["dovecot:dovecot", home]);
        }
        else
        {
            var uid = LocalServers.EffectiveId("Uid:") ?? throw new InvalidOperationException("The user id is unknown (no /proc/self/status).");
            var gid = LocalServers.EffectiveId("Gid:") ?? uid;
            var name = Environment.UserName;
            var group = GroupName(gid) ?? name;
            (loginUser, internalUser, internalGroup, mailUid, mailGid) = (name, name, group, uid.ToString(CultureInfo.InvariantCulture), gid.ToString(CultureInfo.InvariantCulture));
        }

        var ssl = "ssl = no\n";
        var sslListener = "  inet_listener imaps {\n    port = 0\n  }\n";
        if (SslPort is { } sslPort)
        {
            WriteCertificate(out var certPath, out var keyPath);
            ssl = $"ssl = yes\nssl_cert = <{certPath}\nssl_key = <{keyPath}\n";
            sslListener = string.Create(CultureInfo.InvariantCulture, $"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {sslPort}\n    ssl = yes\n  }}\n");
        }

        var config = string.Create(CultureInfo.InvariantCulture, $$"""
            # Throw-away Dovecot for CreditRecovery tests: loopback only, one passwd-file user, maildir in {{_root}}.
            base_dir = {{_root}}/run
            state_dir = {{_root}}/state
            instance_name = cr-imap-{{Port}}
            log_path = {{_log}}
            protocols = imap
            listen = 127.0.0.1
            {{ssl}}
            disable_plaintext_auth = no
            auth_mechanisms = plain
            auth_failure_delay = 0
            default_login_user = {{loginUser}}
            default_internal_user = {{internalUser}}
            default_internal_group = {{internalGroup}}
            first_valid_uid = 1
            first_valid_gid = 1
            mail_location = maildir:~/Maildir
            mail_fsync = never
            passdb {
              driver = passwd-file
              args = scheme=PLAIN username_format=%u {{_root}}/passwd
            }
            userdb {
              driver = static
              args = uid={{mailUid}} gid={{mailGid}} home={{home}}/%u
            }
            service imap-login {
              chroot =
              inet_listener imap {
                address = 127.0.0.1
                port = {{Port}}
              }
            {{sslListener}}
            }
            service anvil {
              chroot =
            }
            service auth-worker {
              user = $default_internal_user
            }
            """);
        var configPath = Path.Combine(_root, "dovecot.conf");
        File.WriteAllText(configPath, config);

        var start = new ProcessStartInfo(installation.Binary!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        start.ArgumentList.Add("-F");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(configPath);
        var output = new StringBuilder();
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + installation.Binary);
        _process = process;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Dovecot exited with {process.ExitCode} at start:{Environment.NewLine}{Snapshot(output)}{Environment.NewLine}{ReadLog()}");
            }

            if (Greets(Port))
            {
                return;
            }

            Thread.Sleep(50);
        }

        throw new InvalidOperationException($"Dovecot did not answer on 127.0.0.1:{Port} within 30 seconds:{Environment.NewLine}{Snapshot(output)}{Environment.NewLine}{ReadLog()}");
    }

    private void WriteCertificate(out string certPath, out string keyPath)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));
        Certificate = X509CertificateLoader.LoadCertificate(certificate.Export(X509ContentType.Cert));
        certPath = Path.Combine(_root, "cert.pem");
        keyPath = Path.Combine(_root, "key.pem");
        File.WriteAllText(certPath, certificate.ExportCertificatePem());
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem());
        certificate.Dispose();
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    /// <summary>Whether an IMAP server answers on the port with its untagged OK greeting.</summary>
    private static bool Greets(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            client.ReceiveTimeout = 2000;
            var buffer = new byte[256];
            var read = client.GetStream().Read(buffer, 0, buffer.Length);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("* OK", StringComparison.Ordinal);
        }
        catch (SocketException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Run(string program, IReadOnlyList<string> arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start " + program);
        var error = process.StandardError.ReadToEnd();
        process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{program} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {error}");
        }
    }

    private static Installation FindInstallation()
    {
        var binary = new[] { Environment.GetEnvironmentVariable("CREDITRECOVERY_DOVECOT") }
            .Append(LocalServers.FindOnPath("dovecot"))
            .Append("/usr/sbin/dovecot")
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p));
        if (binary is null)
        {
            return new Installation(null, false, "the dovecot binary was found neither in $CREDITRECOVERY_DOVECOT, on the PATH, nor at /usr/sbin/dovecot.");
        }

        var imap = new[] { "/usr/lib/dovecot/imap", "/usr/libexec/dovecot/imap" }.Any(File.Exists);
        if (!imap)
        {
            return new Installation(null, false, "dovecot is installed but its IMAP server is not (package 'dovecot-imapd').");
        }

        var asRoot = LocalServers.IsRoot();
        if (asRoot && !(File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(l => l.StartsWith("dovecot:", StringComparison.Ordinal)) && File.ReadLines("/etc/passwd").Any(l => l.StartsWith("dovenull:", StringComparison.Ordinal))))
        {
            return new Installation(null, true, "the tests run as root, which Dovecot refuses for its login and mail processes, and the users 'dovecot' and 'dovenull' (made by the Debian package) are missing.");
        }

        return new Installation(binary, asRoot, null);
    }

    private static string? GroupName(long gid) =>
        File.Exists("/etc/group")
            ? File.ReadLines("/etc/group")
                .Select(l => l.Split(':'))
                .FirstOrDefault(f => f.Length > 2 && f[2] == gid.ToString(CultureInfo.InvariantCulture))?[0]
            : null;

    private sealed record Installation(string? Binary, bool AsRoot, string? Problem);
}

/// <summary>
/// A test that needs a real IMAP server (<see cref="ImapTestServer"/>): skipped with a clear message when Dovecot is not
/// installed and the run is not CI; on CI (<c>CI=true</c>) never skipped, so a missing server fails loudly.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ImapFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute, setting <see cref="FactAttribute.Skip"/> when Dovecot is missing outside CI.</summary>
    public ImapFactAttribute()
    {
        if (!ImapTestServer.IsAvailable && !ImapTestServer.IsCi)
        {
            Skip = "Dovecot is not available here (" + ImapTestServer.UnavailableReason +
                ") Install the Debian package 'dovecot-imapd' to run this test; CI (CI=true) always runs it.";
        }
    }
}
