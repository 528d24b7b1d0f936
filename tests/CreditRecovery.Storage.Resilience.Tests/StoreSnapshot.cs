using System.Globalization;
using CreditRecovery.Audit;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Work;
using NodaTime.Text;

namespace CreditRecovery.Storage.Resilience.Tests;

/// <summary>What a store holds after the runs, read through the store port: outbox, cases with their steps, history.</summary>
internal sealed class StoreSnapshot
{
    public List<OutboxMessage> Outbox { get; } = [];

    public List<RecoveryCase> Cases { get; } = [];

    public Dictionary<InstallmentKey, List<HistoryEvent>> History { get; } = [];

    /// <summary>Cases whose hash chain does not verify, with the break.</summary>
    public List<string> BrokenChains { get; } = [];

    public int StepDecisions => Cases.Sum(c => c.Steps.Count);

    public int HistoryEvents => History.Values.Sum(h => h.Count);

    public static async Task<StoreSnapshot> ReadAsync(IRecoveryStore store, CompanyId company)
    {
        var snapshot = new StoreSnapshot();
        foreach (var status in Enum.GetValues<OutboxStatus>())
        {
            await foreach (var m in store.ReadOutboxAsync(company, status))
            {
                snapshot.Outbox.Add(m);
            }
        }

        await foreach (var c in store.ReadCasesAsync(company, CaseFilter.All))
        {
            snapshot.Cases.Add(c);
        }

        foreach (var c in snapshot.Cases)
        {
            var events = new List<HistoryEvent>();
            await foreach (var e in store.ReadHistoryAsync(company, c.Key))
            {
                events.Add(e);
            }

            snapshot.History[c.Key] = events;
            if (await HistoryChain.VerifyAsync(store, company, c.Key) is { } broken)
            {
                snapshot.BrokenChains.Add($"{c.Key}: {broken}");
            }
        }

        return snapshot;
    }

    /// <summary>Step decisions taken more than once: the same (case, cycle, step) recorded twice.</summary>
    public List<string> DuplicateSteps() =>
        Cases.SelectMany(c => c.Steps.Select(s => (c.Key, s.Cycle, s.StepIndex)))
            .GroupBy(x => x)
            .Where(g => g.Count() > 1)
            .Select(g => $"{g.Key.Key} cycle {g.Key.Cycle} step {g.Key.StepIndex} ×{g.Count()}")
            .ToList();

    /// <summary>Messages sent twice: the same id, or the same (customer, step, channel, business date).</summary>
    public List<string> DuplicateMessages() =>
        Outbox.GroupBy(m => m.Id, StringComparer.Ordinal).Where(g => g.Count() > 1).Select(g => $"id {g.Key} ×{g.Count()}")
            .Concat(Outbox.GroupBy(m => (m.CustomerCode, m.ProcedureId, m.StepId, m.Channel, m.BusinessDate)).Where(g => g.Count() > 1)
                .Select(g => $"{g.Key.CustomerCode} {g.Key.StepId} {g.Key.Channel} {LocalDatePattern.Iso.Format(g.Key.BusinessDate)} ×{g.Count()}"))
            .ToList();

    /// <summary>
    /// Compares with a reference: what the reference has and this lacks is lost, what this has and the reference lacks is
    /// extra, what both have but differs is changed.
    /// </summary>
    public Comparison CompareWith(StoreSnapshot reference)
    {
        var result = new Comparison();

        // Outbox, by id and content.
        var mine = Outbox.GroupBy(m => m.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Describe(g.First()), StringComparer.Ordinal);
        var theirs = reference.Outbox.GroupBy(m => m.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Describe(g.First()), StringComparer.Ordinal);
        foreach (var (id, text) in theirs)
        {
            if (!mine.TryGetValue(id, out var other))
            {
                result.Lost.Add("message " + id);
            }
            else if (!string.Equals(text, other, StringComparison.Ordinal))
            {
                result.Changed.Add($"message {id}:{Environment.NewLine}  reference {text}{Environment.NewLine}  actual    {other}");
            }
        }

        result.Extra.AddRange(mine.Keys.Where(id => !theirs.ContainsKey(id)).Select(id => "message " + id));

        // Step decisions, by (case, cycle, step index).
        var myCases = Cases.ToDictionary(c => c.Key);
        var steps = Steps(this);
        var referenceSteps = Steps(reference);
        foreach (var (key, step) in referenceSteps)
        {
            if (!steps.TryGetValue(key, out var other))
            {
                result.Lost.Add($"step {key}");
            }
            else if (other != step)
            {
                result.Changed.Add($"step {key}: reference {step}, actual {other}");
            }
        }

        result.Extra.AddRange(steps.Keys.Where(k => !referenceSteps.ContainsKey(k)).Select(k => $"step {k}"));

        // Cases and their history, event by event.
        foreach (var c in reference.Cases)
        {
            if (!myCases.TryGetValue(c.Key, out var other))
            {
                result.Lost.Add($"case {c.Key}");
                continue;
            }

            if (other.Status != c.Status || other.Version != c.Version || other.Cycle != c.Cycle || other.NextActionDate != c.NextActionDate ||
                !string.Equals(other.LastHistoryHash, c.LastHistoryHash, StringComparison.Ordinal) || !other.Steps.SequenceEqual(c.Steps))
            {
                result.Changed.Add($"case {c.Key}: reference {c.Status} v{c.Version} next {c.NextActionDate}, actual {other.Status} v{other.Version} next {other.NextActionDate}");
            }

            var events = reference.History[c.Key];
            var myEvents = History.GetValueOrDefault(c.Key) ?? [];
            for (var n = 0; n < Math.Max(events.Count, myEvents.Count); n++)
            {
                if (n >= myEvents.Count)
                {
                    result.Lost.Add($"history {c.Key} #{n + 1} {events[n].Kind}");
                }
                else if (n >= events.Count)
                {
                    result.Extra.Add($"history {c.Key} #{n + 1} {myEvents[n].Kind}");
                }
                else if (myEvents[n] != events[n])
                {
                    var core = (events[n].Kind, events[n].From, events[n].To, events[n].Reason) == (myEvents[n].Kind, myEvents[n].From, myEvents[n].To, myEvents[n].Reason);
                    result.Changed.Add($"history {c.Key} #{n + 1}: {(core ? "same kind/from/to/reason, other fields differ" : "different")}: reference {events[n]}, actual {myEvents[n]}");
                }
            }
        }

        result.Extra.AddRange(Cases.Where(c => !reference.Cases.Any(r => r.Key == c.Key)).Select(c => $"case {c.Key}"));
        return result;
    }

    private static Dictionary<string, StepExecution> Steps(StoreSnapshot snapshot)
    {
        var result = new Dictionary<string, StepExecution>(StringComparer.Ordinal);
        foreach (var c in snapshot.Cases)
        {
            foreach (var s in c.Steps)
            {
                result.TryAdd(string.Create(CultureInfo.InvariantCulture, $"{c.Key}/cycle {s.Cycle}/step {s.StepIndex}"), s);
            }
        }

        return result;
    }

    private static string Describe(OutboxMessage m) => string.Join(
        " | ",
        m.Status,
        m.CustomerCode,
        m.ProcedureId,
        m.StepId,
        m.Channel,
        LocalDatePattern.Iso.Format(m.BusinessDate),
        m.CreatedAt.ToString(),
        m.Recipient,
        string.Join(",", m.Cc),
        string.Join(";", m.Lines),
        m.Why);
}

/// <summary>The differences between a store and its reference.</summary>
internal sealed class Comparison
{
    public List<string> Lost { get; } = [];

    public List<string> Extra { get; } = [];

    public List<string> Changed { get; } = [];

    public bool Same => Lost.Count == 0 && Extra.Count == 0 && Changed.Count == 0;

    public override string ToString() =>
        $"{Lost.Count} lost, {Extra.Count} extra, {Changed.Count} changed" + Environment.NewLine +
        string.Join(Environment.NewLine, Lost.Take(20).Select(x => "lost: " + x)
            .Concat(Extra.Take(20).Select(x => "extra: " + x))
            .Concat(Changed.Take(20).Select(x => "changed: " + x)));
}
