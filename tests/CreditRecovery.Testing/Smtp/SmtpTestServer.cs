using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Xunit;

namespace CreditRecovery.Testing.Smtp;

/// <summary>How the test server secures connections.</summary>
public enum SmtpTestTls
{
    /// <summary>Plain SMTP, no TLS offered.</summary>
    None,

    /// <summary>STARTTLS offered (and required when <see cref="SmtpTestServerOptions.RequireStartTls"/>).</summary>
    StartTls,

    /// <summary>TLS from the first byte (SMTPS).</summary>
    Implicit,
}

/// <summary>What the test server does.</summary>
public sealed record SmtpTestServerOptions
{
    /// <summary>TLS mode; the certificate is a self-signed one for <c>localhost</c> and <c>127.0.0.1</c>.</summary>
    public SmtpTestTls Tls { get; init; }

    /// <summary>Refuse MAIL before STARTTLS.</summary>
    public bool RequireStartTls { get; init; }

    /// <summary>When set, AUTH (PLAIN/LOGIN) with this user and <see cref="Password"/> is required.</summary>
    public string? UserName { get; init; }

    /// <summary>The password of <see cref="UserName"/>.</summary>
    public string? Password { get; init; }

    /// <summary>Recipients answered with 550 5.1.1 at RCPT.</summary>
    public IReadOnlyList<string> RejectRecipients { get; init; } = [];

    /// <summary>Recipients answered with 451 4.3.0 at RCPT.</summary>
    public IReadOnlyList<string> DeferRecipients { get; init; } = [];

    /// <summary>Answer every DATA with 451 4.3.0.</summary>
    public bool DeferData { get; init; }
}

/// <summary>A message as the test server received it.</summary>
/// <param name="File">The stored .eml file.</param>
/// <param name="MailFrom">The envelope sender (MAIL FROM).</param>
/// <param name="Recipients">The accepted envelope recipients (RCPT TO).</param>
/// <param name="AuthenticatedUser">The user that logged in, if any.</param>
/// <param name="Tls">Whether the session was encrypted.</param>
/// <param name="Raw">The bytes received after DATA.</param>
public sealed record ReceivedMail(string File, string MailFrom, IReadOnlyList<string> Recipients, string? AuthenticatedUser, bool Tls, byte[] Raw);

/// <summary>
/// A real SMTP server on loopback for tests: Debian's <c>python3-aiosmtpd</c> running <c>smtp_test_server.py</c> (an
/// embedded resource of this assembly) on a free port, storing every received message as <c>.eml</c> with its envelope
/// in a folder the tests read. It can reject or defer given recipients, defer every message, require STARTTLS and AUTH
/// with a self-signed certificate generated at start, or speak TLS on connect; it can be stopped and started again on
/// the same port (fault tests). No mocks: MailKit talks SMTP to it over TCP.
/// </summary>
/// <remarks>
/// Python is <c>$CREDITRECOVERY_PYTHON</c> or <c>/usr/bin/python3</c> (Debian's, where the package installs; a
/// <c>python3</c> on the PATH may be another one). Where aiosmtpd is missing, tests marked
/// <see cref="SmtpFactAttribute"/> are skipped outside CI and fail on CI (<c>CI=true</c>), which must have it.
/// </remarks>
public sealed class SmtpTestServer : IDisposable
{
    private static readonly Lazy<string?> LazyProblem = new(FindProblem);
    private static readonly Lazy<(string Cert, string Key)> LazyCertificate = new(CreateCertificate);

    private readonly SmtpTestServerOptions _options;
    private readonly string _root;
    private readonly string _script;
    private readonly object _gate = new();
    private Process? _process;
    private bool _disposed;

    private SmtpTestServer(SmtpTestServerOptions options, string root, int port)
    {
        _options = options;
        _root = root;
        Port = port;
        Folder = Path.Combine(root, "received");
        _script = Path.Combine(root, "smtp_test_server.py");
        Directory.CreateDirectory(Folder);
        using var resource = typeof(SmtpTestServer).Assembly.GetManifestResourceStream("CreditRecovery.Testing.smtp_test_server.py")
            ?? throw new InvalidOperationException("The embedded smtp_test_server.py is missing from CreditRecovery.Testing.");
        using var file = File.Create(_script);
        resource.CopyTo(file);
    }

    /// <summary>The Python interpreter used: <c>$CREDITRECOVERY_PYTHON</c> or <c>/usr/bin/python3</c>.</summary>
    public static string Python => Environment.GetEnvironmentVariable("CREDITRECOVERY_PYTHON") is { Length: > 0 } p ? p : "/usr/bin/python3";

    /// <summary>Whether the server can run here; when not, <see cref="UnavailableReason"/> says why.</summary>
    public static bool IsAvailable => LazyProblem.Value is null;

    /// <summary>Why the server cannot run here, or <see langword="null"/>.</summary>
    public static string? UnavailableReason => LazyProblem.Value;

    /// <summary>Whether this run is CI (<c>CI=true</c>), where the server is required.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>The host to connect to.</summary>
    public string Host => "127.0.0.1";

    /// <summary>The TCP port; the same after <see cref="Restart"/>.</summary>
    public int Port { get; }

    /// <summary>The folder the received messages are stored in.</summary>
    public string Folder { get; }

    /// <summary>Whether the server is running.</summary>
    public bool IsRunning
    {
        get
        {
            lock (_gate)
            {
                return _process is { HasExited: false };
            }
        }
    }

    /// <summary>Starts a server.</summary>
    /// <param name="options">What it does; default plain SMTP that accepts everything.</param>
    /// <exception cref="InvalidOperationException">aiosmtpd is missing or the server did not start; the message says why.</exception>
    public static SmtpTestServer Start(SmtpTestServerOptions? options = null)
    {
        if (LazyProblem.Value is { } problem)
        {
            throw new InvalidOperationException("The SMTP test server cannot run: " + problem + " Install the Debian package 'python3-aiosmtpd' (.ci/run does so on CI).");
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var root = Path.Combine(Path.GetTempPath(), "cr-smtp-" + Guid.NewGuid().ToString("N")[..12]);
            var server = new SmtpTestServer(options ?? new SmtpTestServerOptions(), root, FreePort());
            try
            {
                server.Launch();
                return server;
            }
            catch (InvalidOperationException ex)
            {
                // Most likely another process took the port between our probe and the start: try another.
                last = ex;
                server.Dispose();
            }
        }

        throw new InvalidOperationException("The SMTP test server did not start after 3 attempts.", last);
    }

    /// <summary>Stops the server (the port refuses connections until <see cref="Restart"/>); received messages stay.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            if (_process is { } process)
            {
                _process = null;
                try
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(10_000);
                }
                catch (InvalidOperationException)
                {
                    // Already gone.
                }

                process.Dispose();
            }
        }
    }

    /// <summary>Starts the server again on the same port, with the same options and folder.</summary>
    public void Restart()
    {
        Stop();
        Launch();
    }

    /// <summary>Every message received so far, in order of arrival.</summary>
    public IReadOnlyList<ReceivedMail> Messages()
    {
        var result = new List<ReceivedMail>();
        foreach (var eml in Directory.GetFiles(Folder, "*.eml").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(Path.ChangeExtension(eml, ".json")));
            var root = json.RootElement;
            result.Add(new ReceivedMail(
                eml,
                root.GetProperty("mail_from").GetString() ?? string.Empty,
                root.GetProperty("rcpt_tos").EnumerateArray().Select(e => e.GetString() ?? string.Empty).ToList(),
                root.GetProperty("auth_user").GetString(),
                root.GetProperty("tls").GetBoolean(),
                File.ReadAllBytes(eml)));
        }

        return result;
    }

    /// <summary>The messages whose raw text contains <paramref name="text"/> (e.g. a Message-ID).</summary>
    /// <param name="text">The text to look for.</param>
    public IReadOnlyList<ReceivedMail> MessagesContaining(string text) =>
        Messages().Where(m => System.Text.Encoding.UTF8.GetString(m.Raw).Contains(text, StringComparison.Ordinal)).ToList();

    /// <inheritdoc />
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
        Stop();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private void Launch()
    {
        var start = new ProcessStartInfo(Python)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        start.ArgumentList.Add(_script);
        Add("--port", Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("--dir", Folder);
        if (_options.Tls != SmtpTestTls.None)
        {
            var (cert, key) = LazyCertificate.Value;
            Add("--tls", _options.Tls == SmtpTestTls.Implicit ? "implicit" : "starttls");
            Add("--cert", cert);
            Add("--key", key);
            if (_options.RequireStartTls)
            {
                start.ArgumentList.Add("--require-starttls");
            }
        }

        if (_options.UserName is not null)
        {
            Add("--user", _options.UserName);
            Add("--password", _options.Password ?? string.Empty);
        }

        foreach (var address in _options.RejectRecipients)
        {
            Add("--reject", address);
        }

        foreach (var address in _options.DeferRecipients)
        {
            Add("--defer", address);
        }

        if (_options.DeferData)
        {
            start.ArgumentList.Add("--defer-data");
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        start.Environment["PYTHONUNBUFFERED"] = "1";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Python}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var ready = process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(15)) || ready.Result is not { } line || !line.StartsWith("READY", StringComparison.Ordinal))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
            }

            process.WaitForExit(5000);
            var error = stderr.Wait(TimeSpan.FromSeconds(2)) ? stderr.Result : "(no output)";
            process.Dispose();
            throw new InvalidOperationException($"The SMTP test server did not start on port {Port}: {error}");
        }

        // Keep draining the output so the server never blocks on a full pipe.
        _ = process.StandardOutput.ReadToEndAsync();
        lock (_gate)
        {
            _process = process;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;

        void Add(string name, string value)
        {
            start.ArgumentList.Add(name);
            start.ArgumentList.Add(value);
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string? FindProblem()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} does not exist (set CREDITRECOVERY_PYTHON to a Python 3 with aiosmtpd).";
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(Python, ["-c", "import aiosmtpd"])
            {
                RedirectStandardError = true,
                RedirectStandardOutput = true,
                UseShellExecute = false,
            })!;
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit(30_000);
            return process.ExitCode == 0 ? null : $"{Python} cannot import aiosmtpd: {error.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"{Python} cannot be run: {ex.Message}";
        }
    }

    /// <summary>A self-signed certificate for <c>localhost</c> and <c>127.0.0.1</c>, made once per test run.</summary>
    private static (string Cert, string Key) CreateCertificate()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cr-smtp-cert-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(folder);
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
        var cert = Path.Combine(folder, "server.crt");
        var key = Path.Combine(folder, "server.key");
        File.WriteAllText(cert, certificate.ExportCertificatePem());
        File.WriteAllText(key, rsa.ExportPkcs8PrivateKeyPem());
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        };
        return (cert, key);
    }
}

/// <summary>
/// A test that needs the real SMTP test server (<see cref="SmtpTestServer"/>): skipped with a clear message when
/// aiosmtpd is missing and the run is not CI; on CI (<c>CI=true</c>) never skipped, so a missing server fails loudly.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class SmtpFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute, setting <see cref="FactAttribute.Skip"/> when the server cannot run outside CI.</summary>
    public SmtpFactAttribute()
    {
        if (!SmtpTestServer.IsAvailable && !SmtpTestServer.IsCi)
        {
            Skip = "The SMTP test server is not available here (" + SmtpTestServer.UnavailableReason +
                ") Install the Debian package 'python3-aiosmtpd' to run this test; CI (CI=true) always runs it.";
        }
    }
}
