using System.Runtime.CompilerServices;
using CreditRecovery.Ports;
using CreditRecovery.Work;

namespace CreditRecovery.Delivery;

/// <summary>
/// Document copies kept as files: <c>&lt;root&gt;/&lt;company&gt;/&lt;document number&gt;.pdf</c> (also <c>.xml</c>,
/// <c>.p7m</c>; further copies as <c>&lt;document number&gt;_&lt;anything&gt;.pdf</c>). Characters not allowed in file names
/// (such as <c>/</c> in <c>12/A</c>) are written as <c>_</c>. Most ERPs can export invoice copies this way.
/// </summary>
public sealed class FolderDocumentArchive : IDocumentArchive
{
    private static readonly string[] Extensions = [".pdf", ".xml", ".p7m"];
    private readonly string _root;

    /// <summary>Creates the archive.</summary>
    /// <param name="rootDirectory">The folder holding one sub-folder per company.</param>
    public FolderDocumentArchive(string rootDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        _root = Path.GetFullPath(rootDirectory);
    }

    /// <summary>The file-name form of a document number.</summary>
    /// <param name="documentNumber">The document number.</param>
    public static string FileStem(string documentNumber)
    {
        ArgumentNullException.ThrowIfNull(documentNumber);
        var invalid = Path.GetInvalidFileNameChars();
        return string.Concat(documentNumber.Trim().Select(ch => invalid.Contains(ch) || ch == '\\' || ch == '/' ? '_' : ch));
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MessageAttachment> FindAsync(CompanyId company, MessageLine line, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(line);
        var folder = Path.Combine(_root, FileStem(company.Value));
        if (!Directory.Exists(folder))
        {
            yield break;
        }

        var stem = FileStem(line.DocumentNumber);
        var files = Directory.EnumerateFiles(folder)
            .Where(f => Extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase))
            .Where(f =>
            {
                var name = Path.GetFileNameWithoutExtension(f);
                return name.Equals(stem, StringComparison.OrdinalIgnoreCase) || name.StartsWith(stem + "_", StringComparison.OrdinalIgnoreCase);
            })
            .Order(StringComparer.Ordinal);
        foreach (var file in files)
        {
            var bytes = await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false);
            yield return new MessageAttachment(Path.GetFileName(file), ContentTypes.Guess(file), bytes);
        }
    }
}
