using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using NodaTime.Text;

namespace CreditRecovery.Audit;

/// <summary>
/// The tamper-evident history of a case: each event's hash covers its content and the previous event's hash, and the
/// case keeps the head of the chain. Because case writes are version-checked, the chain is built in the same order the
/// events are stored, whatever the store.
/// </summary>
public static class HistoryChain
{
    /// <summary>Computes the hash of an event given the previous event's hash (ignores the event's own hash fields).</summary>
    /// <param name="event">The event.</param>
    /// <param name="previousHash">The previous event's hash, or <see langword="null"/> for the first event.</param>
    public static string ComputeHash(HistoryEvent @event, string? previousHash)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var canonical = string.Join(
            '\u001F',
            previousHash ?? "",
            @event.Company.Value,
            @event.CaseKey.Value,
            @event.CaseVersion.ToString(CultureInfo.InvariantCulture),
            @event.At.ToUnixTimeTicks().ToString(CultureInfo.InvariantCulture),
            LocalDatePattern.Iso.Format(@event.BusinessDate),
            @event.Actor.Value,
            @event.Kind,
            @event.From?.ToString() ?? "",
            @event.To?.ToString() ?? "",
            @event.Reason);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Links events (in order) to a chain whose head is <paramref name="head"/>; returns the linked events and the new head.</summary>
    internal static (List<HistoryEvent> Events, string? Head) Link(IEnumerable<HistoryEvent> events, string? head)
    {
        var linked = new List<HistoryEvent>();
        foreach (var e in events)
        {
            var hash = ComputeHash(e, head);
            linked.Add(e with { PreviousHash = head, Hash = hash });
            head = hash;
        }

        return (linked, head);
    }

    /// <summary>
    /// Checks a case's stored history against its hash chain and the case's head. Returns <see langword="null"/> when the
    /// chain is intact, otherwise the first broken link.
    /// </summary>
    /// <param name="store">The store.</param>
    /// <param name="company">The company.</param>
    /// <param name="key">The case.</param>
    /// <param name="cancellationToken">Cancels the check.</param>
    public static async ValueTask<HistoryBreak?> VerifyAsync(IRecoveryStore store, CompanyId company, InstallmentKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        string? previous = null;
        var position = 0;
        await foreach (var e in store.ReadHistoryAsync(company, key, cancellationToken).ConfigureAwait(false))
        {
            position++;
            if (!string.Equals(e.PreviousHash, previous, StringComparison.Ordinal))
            {
                return new HistoryBreak(key, position, e, $"event {position} ({e.Kind}) does not follow the one before it: an event was removed or inserted");
            }

            var expected = ComputeHash(e, previous);
            if (!string.Equals(e.Hash, expected, StringComparison.Ordinal))
            {
                return new HistoryBreak(key, position, e, $"event {position} ({e.Kind}) was changed after it was written");
            }

            previous = e.Hash;
        }

        var current = await store.GetCaseAsync(company, key, cancellationToken).ConfigureAwait(false);
        if (current is not null && !string.Equals(current.LastHistoryHash, previous, StringComparison.Ordinal))
        {
            return new HistoryBreak(key, position + 1, null, $"the case's chain head does not match its last stored event: events after event {position} are missing");
        }

        return null;
    }
}

/// <summary>The first broken link of a case's history chain.</summary>
/// <param name="Key">The case.</param>
/// <param name="Position">The 1-based position of the first event that fails the check.</param>
/// <param name="Event">That event, or <see langword="null"/> when events are missing at the end.</param>
/// <param name="Problem">What is wrong.</param>
public sealed record HistoryBreak(InstallmentKey Key, int Position, HistoryEvent? Event, string Problem);
