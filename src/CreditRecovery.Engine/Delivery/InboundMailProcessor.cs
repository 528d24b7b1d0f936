using System.Security.Cryptography;
using System.Text;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Running;
using CreditRecovery.Work;
using CreditRecovery.Workflow;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Delivery;

/// <summary>
/// Reads the mailbox (<see cref="IInboundMailSource"/>) and records what arrives: PEC receipts on the cases of the
/// message they certify (with the raw receipt kept as evidence), delivery on the outbox message, non-delivery as a
/// failure with an operator task, and customers' replies in the customer's history.
/// </summary>
/// <remarks>
/// A mail is matched by the Message-IDs it quotes (<see cref="OutboxMessageIds"/>); a reply that quotes none is matched
/// by its sender's address against the customers' e-mail and PEC addresses. A mail that matches nothing, or whose
/// processing fails, is not acknowledged: it stays in the mailbox for a person and is listed in the report. Processing
/// the same mail twice records it once.
/// </remarks>
public sealed class InboundMailProcessor
{
    private readonly IRecoveryStore _store;
    private readonly IInboundMailSource _source;
    private readonly IClock _clock;
    private readonly CompanyDirectory _companies;
    private readonly CreditRecoveryOptions _options;
    private readonly ILogger _logger;

    internal InboundMailProcessor(EnginePorts ports, IInboundMailSource source, CompanyDirectory companies, CreditRecoveryOptions options, ILogger logger)
    {
        _store = ports.Store;
        _source = source;
        _clock = ports.Clock;
        _companies = companies;
        _options = options;
        _logger = logger;
    }

    /// <summary>Processes every mail not yet acknowledged.</summary>
    /// <param name="cancellationToken">Cancels the processing.</param>
    /// <returns>What was recorded and what was left in the mailbox.</returns>
    public async ValueTask<InboundReport> ProcessAsync(CancellationToken cancellationToken = default)
    {
        var report = new InboundReport();
        SenderIndex? senders = null;
        await foreach (var mail in _source.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            string outcome;
            try
            {
                var target = await MatchAsync(mail, cancellationToken).ConfigureAwait(false);
                if (target is null && mail.Kind == InboundMailKind.Reply)
                {
                    senders ??= await SenderIndex.BuildAsync(_store, _companies.Companies, cancellationToken).ConfigureAwait(false);
                    target = senders.Find(mail.From);
                }

                if (target is null)
                {
                    var why = mail.References.Count == 0
                        ? $"{mail.Kind} from {mail.From ?? "an unknown sender"} quotes no message of ours and the sender is no customer's address"
                        : $"{mail.Kind} refers to {string.Join(", ", mail.References)}, which is no message of ours";
                    report.Add(mail, InboundOutcome.Unmatched, why);
                    Log.InboundMailSkipped(_logger, mail.Id, why);
                    continue;
                }

                outcome = await RecordAsync(mail, target.Value, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                report.Add(mail, InboundOutcome.Error, ex.Message);
                Log.InboundMailSkipped(_logger, mail.Id, ex.Message);
                continue;
            }

            await _source.AcknowledgeAsync(mail, cancellationToken).ConfigureAwait(false);
            report.Add(mail, InboundOutcome.Recorded, outcome);
        }

        return report;
    }

    private async ValueTask<MailTarget?> MatchAsync(InboundMail mail, CancellationToken cancellationToken)
    {
        foreach (var reference in mail.References)
        {
            if (!OutboxMessageIds.TryParse(reference, out var company, out var outboxId) || !_companies.Companies.Contains(company))
            {
                continue;
            }

            var message = await _store.GetOutboxMessageAsync(company, outboxId, cancellationToken).ConfigureAwait(false);
            if (message is not null)
            {
                return new MailTarget(company, message.CustomerCode, message);
            }
        }

        return null;
    }

    private async ValueTask<string> RecordAsync(InboundMail mail, MailTarget target, CancellationToken cancellationToken)
    {
        var context = _companies.Get(target.Company);
        for (var attempt = 0; ; attempt++)
        {
            var changes = new RecoveryChangeSet(target.Company);
            var now = _clock.GetCurrentInstant();
            var today = now.InZone(context.Zone).Date;
            var evidence = mail.Evidence is { } e ? $"; receipt kept at {e.Path} (SHA-256 {e.Sha256}, {e.Length} bytes)" : "";
            var at = InstantPattern.General.Format(mail.ReceivedAt);
            var message = target.Message is null ? null : await _store.GetOutboxMessageAsync(target.Company, target.Message.Id, cancellationToken).ConfigureAwait(false);
            string outcome;
            switch (mail.Kind)
            {
                case InboundMailKind.Reply:
                    changes.Activities.Add(new Activity
                    {
                        Id = MessageFactory.Id(target.Company, target.CustomerCode, "mail", Fingerprint(mail.Id)),
                        Company = target.Company,
                        CustomerCode = target.CustomerCode,
                        Installments = message?.Lines.Select(l => l.Key).ToList() ?? [],
                        Kind = ActivityKind.MessageReceived,
                        At = mail.ReceivedAt,
                        By = OperatorId.System,
                        Outcome = $"mail from {mail.From}: {mail.Subject}",
                        Notes = mail.TextBody + (mail.Evidence is { } r ? $"{Environment.NewLine}[kept at {r.Path}, SHA-256 {r.Sha256}]" : ""),
                    });
                    outcome = message is null ? $"reply from {mail.From} recorded for customer {target.CustomerCode}" : $"reply to {message.Id} recorded for customer {target.CustomerCode}";
                    break;
                case InboundMailKind.PecDelivery when message is not null:
                    if (message.Status is OutboxStatus.Sent or OutboxStatus.Pending)
                    {
                        changes.Outbox.Add(message with { Status = OutboxStatus.Delivered, DeliveredAt = mail.ReceivedAt });
                    }

                    outcome = $"PEC {message.Id} delivered to {mail.Recipient ?? message.Recipient} at {at} (receipt {mail.Id}){evidence}";
                    await AddCaseEventsAsync(changes, context, message, mail, "PecDelivered", outcome, now, today, cancellationToken).ConfigureAwait(false);
                    break;
                case InboundMailKind.PecAcceptance when message is not null:
                    outcome = $"PEC {message.Id} accepted by the sender's provider at {at} (receipt {mail.Id}){evidence}";
                    await AddCaseEventsAsync(changes, context, message, mail, "PecAccepted", outcome, now, today, cancellationToken).ConfigureAwait(false);
                    break;
                case InboundMailKind.PecNonAcceptance or InboundMailKind.PecNonDelivery when message is not null:
                    var what = mail.Kind == InboundMailKind.PecNonAcceptance ? "not accepted by the sender's provider" : $"not delivered to {mail.Recipient ?? message.Recipient}";
                    var error = $"PEC {what}: {mail.Error ?? "no reason given"}";
                    outcome = $"PEC {message.Id} {what} at {at} (receipt {mail.Id}): {mail.Error ?? "no reason given"}{evidence}";
                    if (message.Status != OutboxStatus.Failed)
                    {
                        changes.Outbox.Add(message with { Status = OutboxStatus.Failed, LastError = error });
                        var assignee = await DeliveryFailures.ResponsibleAsync(_store, target.Company, message.CustomerCode, cancellationToken).ConfigureAwait(false);
                        changes.Tasks.Add(DeliveryFailures.Task(target.Company, message, $"PEC not delivered to {mail.Recipient ?? message.Recipient}: check the address or send by registered letter", outcome, assignee, today, now));
                    }

                    await AddCaseEventsAsync(changes, context, message, mail, "PecNotDelivered", outcome, now, today, cancellationToken).ConfigureAwait(false);
                    break;
                default:
                    outcome = $"PEC notice ({mail.Subject ?? mail.Kind.ToString()}) for {message?.Id ?? target.CustomerCode} at {at} (receipt {mail.Id}){evidence}";
                    if (message is not null)
                    {
                        await AddCaseEventsAsync(changes, context, message, mail, "PecNotice", outcome, now, today, cancellationToken).ConfigureAwait(false);
                    }

                    break;
            }

            if (changes.IsEmpty)
            {
                return outcome + " (already recorded)";
            }

            try
            {
                await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
                return outcome;
            }
            catch (ConcurrencyConflictException) when (attempt < _options.ConflictRetries)
            {
                Log.ConflictRetry(_logger, target.Company, target.CustomerCode, attempt + 1);
            }
        }
    }

    /// <summary>Adds the event to each case of the message, unless this mail was recorded there before.</summary>
    private async ValueTask AddCaseEventsAsync(RecoveryChangeSet changes, CompanyContext context, OutboxMessage message, InboundMail mail, string kind, string reason, Instant now, LocalDate today, CancellationToken cancellationToken)
    {
        var machine = new RecoveryStateMachine();
        var marker = $"(receipt {mail.Id})";
        await foreach (var c in _store.ReadCasesAsync(context.Company, new CaseFilter { Keys = message.Lines.Select(l => l.Key).ToList() }, cancellationToken).ConfigureAwait(false))
        {
            var seen = await _store.ReadHistoryAsync(context.Company, c.Key, cancellationToken)
                .AnyAsync(h => h.Kind == kind && h.Reason.Contains(marker, StringComparison.Ordinal), cancellationToken).ConfigureAwait(false);
            if (seen)
            {
                continue;
            }

            var change = CaseChange.Edit(c, machine, now, today);
            change.Record(kind, OperatorId.System, reason);
            var (write, events) = change.ToWrite();
            changes.Cases.Add(write);
            changes.History.AddRange(events);
        }
    }

    private static string Fingerprint(string value) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(value)))[..24];

    private readonly record struct MailTarget(CompanyId Company, string CustomerCode, OutboxMessage? Message);

    /// <summary>Customers by e-mail and PEC address, built once per run when a reply quotes nothing of ours.</summary>
    private sealed class SenderIndex
    {
        private readonly Dictionary<string, MailTarget> _byAddress = new(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _ambiguous = new(StringComparer.OrdinalIgnoreCase);

        public static async ValueTask<SenderIndex> BuildAsync(IRecoveryStore store, IEnumerable<CompanyId> companies, CancellationToken cancellationToken)
        {
            var index = new SenderIndex();
            foreach (var company in companies)
            {
                await foreach (var customer in store.ReadCustomersAsync(company, null, cancellationToken).ConfigureAwait(false))
                {
                    foreach (var address in new[] { customer.Email, customer.Pec, customer.Contact?.Email })
                    {
                        index.Add(address, new MailTarget(company, customer.Code, null));
                    }
                }
            }

            return index;
        }

        public MailTarget? Find(string? from) =>
            from is not null && !_ambiguous.Contains(from.Trim()) && _byAddress.TryGetValue(from.Trim(), out var target) ? target : null;

        private void Add(string? address, MailTarget target)
        {
            if (string.IsNullOrWhiteSpace(address))
            {
                return;
            }

            var key = address.Trim();
            if (_byAddress.TryGetValue(key, out var existing) && (existing.Company != target.Company || existing.CustomerCode != target.CustomerCode))
            {
                // Two customers share the address: a reply from it cannot be attributed by sender alone.
                _ambiguous.Add(key);
                return;
            }

            _byAddress[key] = target;
        }
    }
}

/// <summary>What one pass over the mailbox did.</summary>
public sealed class InboundReport
{
    private readonly List<InboundResult> _mails = [];

    /// <summary>Each mail read, in order.</summary>
    public IReadOnlyList<InboundResult> Mails => _mails;

    /// <summary>Mails recorded and acknowledged.</summary>
    public int Recorded => _mails.Count(m => m.Outcome == InboundOutcome.Recorded);

    /// <summary>Mails left in the mailbox: matched nothing, or failed.</summary>
    public int LeftInMailbox => _mails.Count(m => m.Outcome != InboundOutcome.Recorded);

    internal void Add(InboundMail mail, InboundOutcome outcome, string detail) =>
        _mails.Add(new InboundResult(mail.Id, mail.Kind, mail.From, outcome, detail));
}

/// <summary>One mail read.</summary>
/// <param name="MailId">The mail's id.</param>
/// <param name="Kind">What it is.</param>
/// <param name="From">Its sender.</param>
/// <param name="Outcome">What happened to it.</param>
/// <param name="Detail">What was recorded, or why not.</param>
public sealed record InboundResult(string MailId, InboundMailKind Kind, string? From, InboundOutcome Outcome, string Detail);

/// <summary>What happened to an inbound mail.</summary>
public enum InboundOutcome
{
    /// <summary>Recorded and acknowledged.</summary>
    Recorded,

    /// <summary>Matched no message and no customer; left in the mailbox.</summary>
    Unmatched,

    /// <summary>Processing failed; left in the mailbox.</summary>
    Error,
}
