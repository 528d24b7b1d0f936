using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Xunit;

namespace CreditRecovery.Testing;

/// <summary>
/// A throw-away PostgreSQL server for tests: a fresh cluster in a temporary folder (initdb, trust authentication),
/// listening on 127.0.0.1 at a free port, with fsync off; databases are created on demand and everything is stopped
/// and deleted on <see cref="Dispose"/>. No mocks: this is the real server of the <c>postgresql</c> package that
/// <c>.ci/run</c> installs.
/// </summary>
/// <remarks>
/// <para>
/// The binaries are looked for in <c>$CREDITRECOVERY_PG_BIN</c>, next to a <c>pg_ctl</c> on the PATH, then in the
/// newest <c>/usr/lib/postgresql/*/bin</c> (Debian's layout). initdb and postgres refuse to run as root: as root the
/// cluster belongs to the <c>postgres</c> user (created by the Debian package) and its commands run through
/// <c>runuser -u postgres --</c>.
/// </para>
/// <para>
/// Where PostgreSQL is missing, tests marked <see cref="PostgreSqlFactAttribute"/> are skipped with a clear message,
/// unless the environment variable <c>CI</c> is <c>true</c>: there they run and fail loudly, because CI must have it.
/// </para>
/// </remarks>
public sealed class PostgreSqlServer : IDisposable
{
    /// <summary>The superuser of the throw-away cluster.</summary>
    public const string Superuser = "postgres";

    private static readonly Lazy<Installation> LazyInstallation = new(FindInstallation);

    private readonly string _root;
    private readonly string _data;
    private readonly string _log;
    private readonly object _gate = new();
    private int _databases;
    private bool _disposed;

    private PostgreSqlServer(Installation installation, string root, int port)
    {
        Binaries = installation.Bin!;
        RunAs = installation.RunAs;
        _root = root;
        _data = Path.Combine(root, "data");
        _log = Path.Combine(root, "postgres.log");
        Port = port;
    }

    /// <summary>Whether PostgreSQL can be started here; when not, <see cref="UnavailableReason"/> says why.</summary>
    public static bool IsAvailable => LazyInstallation.Value.Problem is null;

    /// <summary>Why PostgreSQL cannot be started here, or <see langword="null"/> when it can.</summary>
    public static string? UnavailableReason => LazyInstallation.Value.Problem;

    /// <summary>Whether this run is CI (<c>CI=true</c>), where PostgreSQL is required and never skipped.</summary>
    public static bool IsCi => LocalServers.IsCi;

    /// <summary>The folder holding initdb, pg_ctl, createdb.</summary>
    public string Binaries { get; }

    /// <summary>The OS user the cluster runs as when the tests run as root; otherwise <see langword="null"/>.</summary>
    public string? RunAs { get; }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>A connection string to the <c>postgres</c> maintenance database, as the superuser.</summary>
    public string AdminConnectionString => ConnectionString("postgres");

    /// <summary>Starts a new server.</summary>
    /// <exception cref="InvalidOperationException">PostgreSQL is not installed, or did not start; the message says why.</exception>
    public static PostgreSqlServer Start()
    {
        var installation = LazyInstallation.Value;
        if (installation.Problem is not null)
        {
            throw new InvalidOperationException(
                "PostgreSQL is required but cannot be started: " + installation.Problem +
                " Install the Debian package 'postgresql' (.ci/run does so on CI).");
        }

        Exception? last = null;
        for (var attempt = 0; attempt < 3; attempt++)
        {
            // As root, the server user must reach the folder: the temporary folder may be private to root, /tmp is not.
            var root = Path.Combine(installation.RunAs is null ? Path.GetTempPath() : "/tmp", "cr-pg-" + Guid.NewGuid().ToString("N")[..12]);
            Directory.CreateDirectory(root);
            var server = new PostgreSqlServer(installation, root, LocalServers.FreePort());
            try
            {
                server.Initialize();
                return server;
            }
            catch (InvalidOperationException ex)
            {
                // Most likely another process took the port between our probe and the start: try another.
                last = ex;
                server.Dispose();
            }
        }

        throw new InvalidOperationException("PostgreSQL did not start after 3 attempts.", last);
    }

    /// <summary>A connection string to a database of this server, as the superuser (trust authentication).</summary>
    /// <param name="database">The database.</param>
    public string ConnectionString(string database) =>
        string.Create(CultureInfo.InvariantCulture, $"Host=127.0.0.1;Port={Port};Username={Superuser};Database={database};Timeout=30;Command Timeout=120");

    /// <summary>Creates a new, empty database and returns a connection string to it.</summary>
    /// <param name="prefix">The start of its name (letters, digits and underscores; others are replaced); a counter makes it unique.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The connection string.</returns>
    public async Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var name = new StringBuilder();
        foreach (var c in (prefix ?? "test").ToLowerInvariant())
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
            if (name.Length >= 40)
            {
                break;
            }
        }

        name.Append('_').Append(Interlocked.Increment(ref _databases).ToString(CultureInfo.InvariantCulture));
        var database = name.ToString();
        if (!char.IsAsciiLetter(database[0]))
        {
            database = "d" + database;
        }

        // createdb connects over TCP as the superuser: no need to switch OS user for it.
        await RunAsync(
            Path.Combine(Binaries, "createdb"),
            ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", Superuser, database],
            asServerUser: false,
            cancellationToken).ConfigureAwait(false);
        return ConnectionString(database);
    }

    /// <summary>Stops the server (immediate shutdown) and deletes its folder.</summary>
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
        try
        {
            if (File.Exists(Path.Combine(_data, "postmaster.pid")))
            {
                RunAsync(Path.Combine(Binaries, "pg_ctl"), ["stop", "-D", _data, "-m", "immediate", "-w", "-t", "60"], asServerUser: true, CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
        }
        catch (InvalidOperationException)
        {
            // Already stopped, or never started: deleting the folder is all that is left to do.
        }

        LocalServers.TryDeleteFolder(_root);
    }

    private void Initialize()
    {
        if (RunAs is not null)
        {
            // The server user must own its folder (and the data folder initdb creates in it).
            RunAsync("chown", [RunAs, _root], asServerUser: false, CancellationToken.None).GetAwaiter().GetResult();
        }

        RunAsync(
            Path.Combine(Binaries, "initdb"),
            ["-D", _data, "-U", Superuser, "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"],
            asServerUser: true,
            CancellationToken.None).GetAwaiter().GetResult();

        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"-p {Port} -k {_root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200");
        AppDomain.CurrentDomain.ProcessExit += OnProcessExit;
        try
        {
            RunAsync(
                Path.Combine(Binaries, "pg_ctl"),
                ["start", "-D", _data, "-l", _log, "-w", "-t", "60", "-o", options],
                asServerUser: true,
                CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(ex.Message + Environment.NewLine + "Server log:" + Environment.NewLine + ReadLog(), ex);
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private string ReadLog()
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

    private async Task RunAsync(string program, IReadOnlyList<string> arguments, bool asServerUser, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _root,
        };
        if (asServerUser && RunAs is not null)
        {
            start.FileName = "runuser";
            start.ArgumentList.Add("-u");
            start.ArgumentList.Add(RunAs);
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(program);
        }
        else
        {
            start.FileName = program;
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // Messages in English, whatever the machine's locale.
        start.Environment["LC_ALL"] = "C";
        start.Environment["LANG"] = "C";

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromMinutes(2));
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"'{start.FileName} {string.Join(' ', start.ArgumentList)}' exited with {process.ExitCode}:{Environment.NewLine}{await output.ConfigureAwait(false)}{await error.ConfigureAwait(false)}");
        }
    }

    private static Installation FindInstallation()
    {
        var bin = FindBinaries();
        if (bin is null)
        {
            return new Installation(null, null, "initdb and pg_ctl were found neither in $CREDITRECOVERY_PG_BIN, on the PATH, nor in /usr/lib/postgresql/*/bin.");
        }

        if (!LocalServers.IsRoot())
        {
            return new Installation(bin, null, null);
        }

        if (!File.Exists("/etc/passwd") || !File.ReadLines("/etc/passwd").Any(line => line.StartsWith(Superuser + ":", StringComparison.Ordinal)))
        {
            return new Installation(bin, null, "the tests run as root, which initdb refuses, and there is no 'postgres' user to run the server as.");
        }

        return LocalServers.FindOnPath("runuser") is null
            ? new Installation(bin, null, "the tests run as root, which initdb refuses, and runuser is missing.")
            : new Installation(bin, Superuser, null);
    }

    private static string? FindBinaries()
    {
        static bool Complete(string? folder) =>
            !string.IsNullOrEmpty(folder) && File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")) && File.Exists(Path.Combine(folder, "createdb"));

        var configured = Environment.GetEnvironmentVariable("CREDITRECOVERY_PG_BIN");
        if (Complete(configured))
        {
            return configured;
        }

        if (LocalServers.FindOnPath("pg_ctl") is { } onPath)
        {
            // Debian links pg_ctl from /usr/lib/postgresql/N/bin: take the folder it really lives in.
            var real = new FileInfo(onPath).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? onPath;
            foreach (var folder in new[] { Path.GetDirectoryName(real), Path.GetDirectoryName(onPath) })
            {
                if (Complete(folder))
                {
                    return folder;
                }
            }
        }

        const string debian = "/usr/lib/postgresql";
        if (Directory.Exists(debian))
        {
            return Directory.GetDirectories(debian)
                .Select(d => (Folder: Path.Combine(d, "bin"), Version: double.TryParse(Path.GetFileName(d), NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0))
                .Where(d => Complete(d.Folder))
                .OrderByDescending(d => d.Version)
                .Select(d => d.Folder)
                .FirstOrDefault();
        }

        return null;
    }

    private sealed record Installation(string? Bin, string? RunAs, string? Problem);
}

/// <summary>
/// A test that needs a real PostgreSQL (<see cref="PostgreSqlServer"/>): skipped with a clear message when PostgreSQL
/// is not installed and the run is not CI; on CI (<c>CI=true</c>) never skipped, so a missing server fails loudly.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PostgreSqlFactAttribute : FactAttribute
{
    /// <summary>Creates the attribute, setting <see cref="FactAttribute.Skip"/> when PostgreSQL is missing outside CI.</summary>
    public PostgreSqlFactAttribute()
    {
        if (!PostgreSqlServer.IsAvailable && !PostgreSqlServer.IsCi)
        {
            Skip = "PostgreSQL is not available here (" + PostgreSqlServer.UnavailableReason +
                ") Install the Debian package 'postgresql' to run this test; CI (CI=true) always runs it.";
        }
    }
}
