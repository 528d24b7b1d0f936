using CreditRecovery.Documents.Pdf;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CreditRecovery.Delivery.Letters;

/// <summary>
/// The printed-letter channel (<see cref="DeliveryChannel.Letter"/>): writes one PDF per customer letter to
/// <c>&lt;OutputFolder&gt;/&lt;business date&gt;/&lt;customer&gt;-&lt;hash of the outbox id&gt;.pdf</c>, for
/// <see cref="LetterBatch"/> to gather for printing.
/// </summary>
/// <remarks>
/// Idempotent on <see cref="OutboxMessage.Id"/>: a letter whose file exists is not written again, so a dispatcher that
/// retries after a crash never prints a letter twice. The file appears atomically (written to a temporary file in the same
/// folder, then moved into place), so the batch never picks up half a letter. The provider message id is the file's path.
/// A message that cannot be laid out (no postal address, amounts in mixed currencies...) fails permanently with the
/// outbox id and the field; a file-system error fails transiently.
/// </remarks>
public sealed class PrintedLetterChannel : IMessageChannel
{
    private readonly PrintedLetterOptions _options;
    private readonly LetterDocument _document;
    private readonly ILogger _logger;

    /// <summary>Creates the channel.</summary>
    /// <param name="options">The options (validated: see <see cref="PrintedLetterOptions"/>).</param>
    /// <param name="logger">The logger.</param>
    /// <exception cref="ArgumentException">The options are not usable, e.g. no font was found (the message says why).</exception>
    public PrintedLetterChannel(PrintedLetterOptions options, ILogger<PrintedLetterChannel>? logger = null)
    {
        _document = LetterDocument.Create(options);
        _options = options;
        _logger = logger ?? NullLogger<PrintedLetterChannel>.Instance;
    }

    /// <inheritdoc />
    public DeliveryChannel Channel => DeliveryChannel.Letter;

    /// <summary>Where the letter of an outbox message is (or will be) written.</summary>
    /// <param name="message">The outbox message.</param>
    public string PathFor(OutboxMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return LetterDocument.PathFor(_options.OutputFolder, message);
    }

    /// <summary>Renders a letter without writing it (for previews).</summary>
    /// <param name="message">The message.</param>
    /// <returns>The PDF.</returns>
    public byte[] Render(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return _document.Render(message);
    }

    /// <inheritdoc />
    public async ValueTask<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var outbox = message.Message;
        if (outbox.Channel != DeliveryChannel.Letter)
        {
            return DeliveryResult.PermanentFailure($"Outbox message '{outbox.Id}': channel is {outbox.Channel}, not Letter.");
        }

        if (LetterAddress.Lines(outbox.Recipient).Count == 0)
        {
            return DeliveryResult.PermanentFailure($"Outbox message '{outbox.Id}' (customer {outbox.CustomerCode}): Recipient has no postal address.");
        }

        var path = PathFor(outbox);
        if (File.Exists(path))
        {
            _logger.LogInformation("Letter for outbox message {OutboxId} already written to {Path}; not written again.", outbox.Id, path);
            return DeliveryResult.Success(path);
        }

        byte[] pdf;
        try
        {
            pdf = _document.Render(message);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            _logger.LogWarning(e, "Letter for outbox message {OutboxId} cannot be laid out.", outbox.Id);
            return DeliveryResult.PermanentFailure($"Outbox message '{outbox.Id}' (customer {outbox.CustomerCode}): the letter cannot be laid out: {e.Message}");
        }

        var folder = Path.GetDirectoryName(path)!;
        var temp = Path.Combine(folder, "." + Path.GetFileName(path) + "." + Guid.NewGuid().ToString("N") + ".tmp");
        try
        {
            Directory.CreateDirectory(folder);
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await stream.WriteAsync(pdf, cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temp, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another attempt wrote the same letter first: it is the same message, keep the first file.
                _logger.LogInformation("Letter for outbox message {OutboxId} was written concurrently to {Path}; keeping that one.", outbox.Id, path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Letter for outbox message {OutboxId} could not be written to {Path}.", outbox.Id, path);
            return DeliveryResult.TransientFailure($"Outbox message '{outbox.Id}': cannot write the letter to '{path}': {e.Message}");
        }
        finally
        {
            TryDelete(temp);
        }

        _logger.LogInformation("Letter for outbox message {OutboxId} written to {Path} ({Bytes} bytes).", outbox.Id, path, pdf.Length);
        return DeliveryResult.Success(path);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A leftover temporary file is harmless: the batch reads only *.pdf files.
        }
    }
}
