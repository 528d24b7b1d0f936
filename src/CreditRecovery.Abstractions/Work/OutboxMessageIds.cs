using System.Buffers.Text;
using System.Text;

namespace CreditRecovery.Work;

/// <summary>
/// The stable Internet Message-ID of an outbox message: derived from its identity, so that a message sent twice after a
/// crash carries the same Message-ID, and reversible, so that PEC receipts and replies (which quote it) lead back to the
/// outbox message without a lookup table.
/// </summary>
public static class OutboxMessageIds
{
    private const string Prefix = "cr.";

    /// <summary>The Message-ID (without angle brackets) of an outbox message.</summary>
    /// <param name="message">The outbox message.</param>
    /// <param name="domain">The right-hand side, normally the sender's mail domain.</param>
    public static string For(OutboxMessage message, string domain)
    {
        ArgumentNullException.ThrowIfNull(message);
        return For(message.Company, message.Id, domain);
    }

    /// <summary>The Message-ID (without angle brackets) of an outbox message.</summary>
    /// <param name="company">The company.</param>
    /// <param name="outboxId">The outbox message's id.</param>
    /// <param name="domain">The right-hand side, normally the sender's mail domain.</param>
    public static string For(CompanyId company, string outboxId, string domain)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(outboxId);
        ArgumentException.ThrowIfNullOrWhiteSpace(domain);
        var bytes = Encoding.UTF8.GetBytes(company.Value + "\n" + outboxId);
        return Prefix + Base64Url.EncodeToString(bytes) + "@" + domain.Trim().TrimStart('@');
    }

    /// <summary>Reads the company and outbox id back from a Message-ID made by <see cref="For(CompanyId, string, string)"/>.</summary>
    /// <param name="messageId">The Message-ID, with or without angle brackets.</param>
    /// <param name="company">The company.</param>
    /// <param name="outboxId">The outbox message's id.</param>
    /// <returns>Whether it is one of ours.</returns>
    public static bool TryParse(string? messageId, out CompanyId company, out string outboxId)
    {
        company = default;
        outboxId = "";
        if (string.IsNullOrWhiteSpace(messageId))
        {
            return false;
        }

        var id = messageId.Trim().TrimStart('<').TrimEnd('>');
        var at = id.LastIndexOf('@');
        if (!id.StartsWith(Prefix, StringComparison.Ordinal) || at <= Prefix.Length)
        {
            return false;
        }

        var encoded = id[Prefix.Length..at];
        byte[] bytes;
        try
        {
            bytes = Base64Url.DecodeFromChars(encoded);
        }
        catch (FormatException)
        {
            return false;
        }

        var text = Encoding.UTF8.GetString(bytes);
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        if (newline <= 0 || newline == text.Length - 1)
        {
            return false;
        }

        company = new CompanyId(text[..newline]);
        outboxId = text[(newline + 1)..];
        return true;
    }
}
