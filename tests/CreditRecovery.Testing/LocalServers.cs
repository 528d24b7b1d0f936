using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace CreditRecovery.Testing;

/// <summary>What the throw-away servers of the tests (PostgreSQL, Dovecot) share: ports, the OS user, programs, CI.</summary>
internal static class LocalServers
{
    /// <summary>Whether this run is CI (<c>CI=true</c>), where the servers are required and never skipped.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>A TCP port on 127.0.0.1 free right now (another process may still take it before the server does).</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Whether the tests run as root.</summary>
    public static bool IsRoot() =>
        string.Equals(Environment.UserName, "root", StringComparison.Ordinal) || EffectiveId("Uid:") == 0;

    /// <summary>
    /// The effective user (<c>Uid:</c>) or group (<c>Gid:</c>) id from /proc/self/status (real, effective, ...), without
    /// P/Invoke; <see langword="null"/> where there is no /proc.
    /// </summary>
    /// <param name="line">The line's label: <c>Uid:</c> or <c>Gid:</c>.</param>
    public static long? EffectiveId(string line)
    {
        try
        {
            var text = File.Exists("/proc/self/status")
                ? File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith(line, StringComparison.Ordinal))
                : null;
            var fields = text?.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            return fields is { Length: >= 3 } && long.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>The full path of a program on the PATH, or <see langword="null"/>.</summary>
    /// <param name="program">The program's file name.</param>
    public static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Deletes a server's folder, ignoring what cannot be deleted (the OS cleans temporary folders eventually).</summary>
    /// <param name="folder">The folder.</param>
    public static void TryDeleteFolder(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
