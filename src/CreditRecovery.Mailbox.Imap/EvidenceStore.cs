using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditRecovery.Ports;
using NodaTime;

namespace CreditRecovery.Mailbox.Imap;

/// <summary>
/// Keeps raw messages as evidence: <c>{folder}/yyyy/MM/yyyyMMddTHHmmssZ-{hash}.eml</c>, where the time is the mail's
/// (certified) time in UTC and the hash the first 16 hex digits of the SHA-256 of its id. Files are written once and never
/// overwritten: the same bytes again reuse the file, different bytes under the same name get a <c>-2</c>, <c>-3</c>…
/// suffix. Each file is made read-only once written.
/// </summary>
internal sealed class EvidenceStore
{
    private readonly string _root;
    private readonly string _incoming;

    public EvidenceStore(string root)
    {
        _root = Path.GetFullPath(root);
        _incoming = Path.Combine(_root, ".incoming");
    }

    /// <summary>Copies a message's bytes into a temporary file of the store, hashing them on the way.</summary>
    /// <param name="source">The raw message.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The temporary file: keep it with <see cref="KeepAsync"/> or delete it with <see cref="Discard"/>.</returns>
    public async Task<IncomingFile> ReceiveAsync(Stream source, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(_incoming);
        var path = Path.Combine(_incoming, Guid.NewGuid().ToString("N") + ".part");
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long length = 0;
        try
        {
            await using var target = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
                await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                length += read;
            }

            await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            target.Flush(flushToDisk: true);
        }
        catch
        {
            TryDelete(path);
            throw;
        }

        return new IncomingFile(path, Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    /// <summary>Moves a received file to its final, write-once name.</summary>
    /// <param name="file">The received file.</param>
    /// <param name="mailId">The mail's id (its Message-ID).</param>
    /// <param name="at">The mail's time.</param>
    /// <param name="cancellationToken">Cancels the comparison with an existing file.</param>
    public async Task<EvidenceFile> KeepAsync(IncomingFile file, string mailId, Instant at, CancellationToken cancellationToken)
    {
        var utc = at.InUtc();
        var folder = Path.Combine(_root, utc.Year.ToString("D4", CultureInfo.InvariantCulture), utc.Month.ToString("D2", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var idHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(mailId)))[..16];
        var stem = utc.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" + idHash;
        for (var attempt = 1; attempt < 1000; attempt++)
        {
            var path = Path.Combine(folder, attempt == 1 ? stem + ".eml" : string.Create(CultureInfo.InvariantCulture, $"{stem}-{attempt}.eml"));
            if (TryMove(file.Path, path))
            {
                MakeReadOnly(path);
                return new EvidenceFile(path, file.Sha256, file.Length);
            }

            if (new FileInfo(path).Length == file.Length && await HashAsync(path, cancellationToken).ConfigureAwait(false) == file.Sha256)
            {
                // The same mail read again before it was acknowledged: the evidence is already there.
                Discard(file);
                return new EvidenceFile(path, file.Sha256, file.Length);
            }
        }

        throw new IOException($"Evidence folder '{folder}' already holds 999 different files named {stem}*.eml.");
    }

    /// <summary>Deletes a received file that is not kept.</summary>
    /// <param name="file">The file.</param>
    public static void Discard(IncomingFile file) => TryDelete(file.Path);

    /// <summary>Moves a file to a name not taken yet; <see langword="false"/> when the name is taken (never overwrites).</summary>
    private static bool TryMove(string from, string to)
    {
        if (File.Exists(to))
        {
            return false;
        }

        try
        {
            File.Move(from, to, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(to))
        {
            // Another reader kept a file under this name in the meantime.
            return false;
        }
    }

    private static async Task<string> HashAsync(string path, CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
    }

    private static void MakeReadOnly(string path)
    {
        try
        {
            if (OperatingSystem.IsWindows())
            {
                File.SetAttributes(path, File.GetAttributes(path) | FileAttributes.ReadOnly);
            }
            else
            {
                File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead);
            }
        }
        catch (UnauthorizedAccessException)
        {
            // Read-only is a safeguard, not a requirement: the file is kept either way.
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}

/// <summary>A message received into the evidence store's temporary folder.</summary>
/// <param name="Path">The temporary file.</param>
/// <param name="Sha256">SHA-256 of its bytes, lowercase hex.</param>
/// <param name="Length">Its size in bytes.</param>
internal sealed record IncomingFile(string Path, string Sha256, long Length);
