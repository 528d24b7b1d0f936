using CreditRecovery.Cases;
using CreditRecovery.Interest;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Running;
using CreditRecovery.Work;
using CreditRecovery.Workflow;
using Microsoft.Extensions.Logging;
using NodaTime;

namespace CreditRecovery.Delivery;

/// <summary>
/// Sends the outbox: renders each pending message with the template port, attaches document copies, hands it to the
/// channel of its kind and records the outcome on the message and on its cases, all in one commit per message.
/// </summary>
/// <remarks>
/// <para>Transient failures (server down, 4xx) are retried with exponential backoff (<see cref="DeliveryOptions"/>);
/// permanent ones (5xx, bad address, no channel, template error) mark the message failed, record why on each case and
/// give an operator a <see cref="OperatorTaskKind.DeliveryFailed"/> task. Nothing falls back to another channel.</para>
/// <para>A message accepted by its channel is committed as sent before the next one is sent, and is never sent again.
/// If the process dies between the channel's acceptance and that commit, the next run sends it once more with the same
/// Message-ID (derived from the outbox id), which receiving servers and the pickup folder treat as the same message.</para>
/// <para>One dispatcher works on a company's outbox at a time: it holds the store lease <c>dispatch</c>, renewed while it
/// works; another worker gets nothing to do until the lease is released or expires.</para>
/// </remarks>
public sealed class OutboxDispatcher
{
    private const string LeaseResource = "dispatch";

    private readonly IRecoveryStore _store;
    private readonly ITemplateRenderer? _templates;
    private readonly IReadOnlyDictionary<DeliveryChannel, IMessageChannel> _channels;
    private readonly IDocumentArchive? _archive;
    private readonly IClock _clock;
    private readonly CompanyDirectory _companies;
    private readonly CreditRecoveryOptions _options;
    private readonly ILogger _logger;
    private readonly LatePaymentInterestCalculator _interest = new();

    internal OutboxDispatcher(EnginePorts ports, CompanyDirectory companies, CreditRecoveryOptions options, ILogger logger)
    {
        _store = ports.Store;
        _templates = ports.Templates;
        _channels = ports.Channels.GroupBy(c => c.Channel).ToDictionary(g => g.Key, g => g.Last());
        _archive = ports.DocumentArchive;
        _clock = ports.Clock;
        _companies = companies;
        _options = options;
        _logger = logger;
    }

    /// <summary>The channels the dispatcher can send through.</summary>
    public IReadOnlyCollection<DeliveryChannel> Channels => _channels.Keys.ToList();

    /// <summary>Sends every pending message of a company whose retry time has come.</summary>
    /// <param name="company">The company.</param>
    /// <param name="options">Who is dispatching and how much.</param>
    /// <param name="cancellationToken">Cancels the dispatch; a message being sent finishes its commit first when it can.</param>
    /// <returns>What happened to each message.</returns>
    public async ValueTask<DispatchReport> DispatchAsync(CompanyId company, DispatchOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new DispatchOptions();
        var context = _companies.Get(company);
        var report = new DispatchReport { Company = company };
        var leaseDuration = _options.Delivery.LeaseDuration;
        var leasedAt = _clock.GetCurrentInstant();
        if (!await _store.TryAcquireLeaseAsync(company, LeaseResource, options.WorkerId, leasedAt, leaseDuration, cancellationToken).ConfigureAwait(false))
        {
            report.LeaseHeldElsewhere = true;
            return report;
        }

        try
        {
            var now = _clock.GetCurrentInstant();
            var due = new List<string>();
            await foreach (var message in _store.ReadOutboxAsync(company, OutboxStatus.Pending, cancellationToken).ConfigureAwait(false))
            {
                if (message.NextAttemptAt is { } next && next > now)
                {
                    report.Waiting++;
                    continue;
                }

                due.Add(message.Id);
                if (options.MaxMessages is { } max && due.Count >= max)
                {
                    break;
                }
            }

            var lookups = new DispatchLookups(_store, company);
            foreach (var id in due)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var current = _clock.GetCurrentInstant();
                if (current - leasedAt >= leaseDuration / 2)
                {
                    if (!await _store.TryAcquireLeaseAsync(company, LeaseResource, options.WorkerId, current, leaseDuration, cancellationToken).ConfigureAwait(false))
                    {
                        report.LeaseLost = true;
                        break;
                    }

                    leasedAt = current;
                }

                await DispatchOneAsync(context, id, lookups, report, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await _store.ReleaseLeaseAsync(company, LeaseResource, options.WorkerId, CancellationToken.None).ConfigureAwait(false);
        }

        Log.Dispatched(_logger, company, report.Sent, report.Retrying, report.Failed, report.Cancelled, report.Waiting);
        return report;
    }

    private async ValueTask DispatchOneAsync(CompanyContext context, string id, DispatchLookups lookups, DispatchReport report, CancellationToken cancellationToken)
    {
        var company = context.Company;
        var message = await _store.GetOutboxMessageAsync(company, id, cancellationToken).ConfigureAwait(false);
        if (message is null || message.Status != OutboxStatus.Pending)
        {
            return;
        }

        var cases = message.Lines.Count == 0
            ? []
            : await _store.ReadCasesAsync(company, new CaseFilter { Keys = message.Lines.Select(l => l.Key).ToList() }, cancellationToken)
                .ToListAsync(cancellationToken).ConfigureAwait(false);
        var openLines = message.Lines.Where(l => cases.Any(c => c.Key == l.Key && c.IsOpen && !c.Installment.IsSettled)).ToList();
        if (message.Lines.Count > 0 && openLines.Count == 0)
        {
            var why = "every installment of the message was paid or closed before it was sent";
            await CommitOutcomeAsync(context, message with { Status = OutboxStatus.Cancelled, LastError = why }, "MessageCancelled", $"message {message.Id} not sent: {why}", null, cancellationToken).ConfigureAwait(false);
            report.Add(message, DispatchOutcome.Cancelled, why);
            return;
        }

        if (openLines.Count < message.Lines.Count)
        {
            message = message with { Lines = openLines };
        }

        var attempt = await TrySendAsync(context, message, cases, lookups, cancellationToken).ConfigureAwait(false);
        var now = _clock.GetCurrentInstant();
        var attempts = message.Attempts + 1;
        if (attempt.Result.Accepted)
        {
            var sent = message with
            {
                Status = OutboxStatus.Sent,
                Attempts = attempts,
                SentAt = now,
                ProviderMessageId = attempt.Result.ProviderMessageId,
                LastError = null,
                NextAttemptAt = null,
            };
            var reason = $"message {message.Id} sent by {message.Channel} to {message.Recipient}"
                + (message.Cc.Count > 0 ? $" (Cc {string.Join(", ", message.Cc)})" : "")
                + (attempt.Result.ProviderMessageId is { } pid ? $", id {pid}" : "");
            await CommitOutcomeAsync(context, sent, "MessageSent", reason, attempt.Interest, cancellationToken).ConfigureAwait(false);
            report.Add(sent, DispatchOutcome.Sent, reason);
            return;
        }

        var error = attempt.Result.Error ?? "the channel did not accept the message";
        if (!attempt.Result.Permanent && attempts < _options.Delivery.MaxAttempts)
        {
            var retry = message with { Attempts = attempts, LastError = error, NextAttemptAt = now + _options.Delivery.RetryDelay(attempts) };
            await CommitOutcomeAsync(context, retry, null, null, null, cancellationToken).ConfigureAwait(false);
            report.Add(retry, DispatchOutcome.Retrying, error);
            Log.DeliveryRetry(_logger, company, message.Id, attempts, error);
            return;
        }

        var failure = attempt.Result.Permanent ? error : $"gave up after {attempts} attempts; last error: {error}";
        var failed = message with { Status = OutboxStatus.Failed, Attempts = attempts, LastError = failure, NextAttemptAt = null };
        await CommitOutcomeAsync(context, failed, "DeliveryFailed", $"message {message.Id} by {message.Channel} to {message.Recipient} failed: {failure}", null, cancellationToken, failure).ConfigureAwait(false);
        report.Add(failed, DispatchOutcome.Failed, failure);
        Log.DeliveryFailed(_logger, company, message.Id, failure);
    }

    private async ValueTask<SendAttempt> TrySendAsync(CompanyContext context, OutboxMessage message, IReadOnlyList<RecoveryCase> cases, DispatchLookups lookups, CancellationToken cancellationToken)
    {
        if (!_channels.TryGetValue(message.Channel, out var channel))
        {
            return new(DeliveryResult.PermanentFailure($"no {message.Channel} channel is registered: send it by hand or register the channel"), null);
        }

        if (_templates is null)
        {
            return new(DeliveryResult.PermanentFailure("no template renderer is registered (ITemplateRenderer)"), null);
        }

        var customer = await lookups.CustomerAsync(message.CustomerCode, cancellationToken).ConfigureAwait(false);
        if (customer is null)
        {
            return new(DeliveryResult.PermanentFailure($"customer {message.CustomerCode} is not in the store"), null);
        }

        var step = context.Procedures.TryGetValue(message.ProcedureId, out var procedure)
            ? procedure.Steps.FirstOrDefault(s => s.Id == message.StepId)
            : null;
        InterestStatement? interest = null;
        if (step?.ClaimLatePaymentInterest == true)
        {
            try
            {
                interest = InterestStatements.For(_interest, cases.Where(c => message.Lines.Any(l => l.Key == c.Key)).Select(c => c.Installment), message.BusinessDate, context.Settings.LatePaymentInterest);
            }
            catch (Exception ex) when (ex is MissingRateException or ArgumentException)
            {
                return new(DeliveryResult.PermanentFailure($"late-payment interest cannot be computed: {ex.Message}"), null);
            }
        }

        var currency = message.Lines.Count > 0 ? message.Lines[0].Residual.Currency : "EUR";
        var model = new MessageModel
        {
            Company = context.Settings.Profile,
            Customer = customer,
            Lines = message.Lines,
            TotalOriginal = message.Lines.Aggregate(Money.Zero(currency), (sum, l) => sum + l.OriginalAmount),
            TotalResidual = message.Lines.Aggregate(Money.Zero(currency), (sum, l) => sum + l.Residual),
            Operator = await lookups.ResponsibleAsync(message.CustomerCode, cancellationToken).ConfigureAwait(false),
            StepName = message.StepName,
            BusinessDate = message.BusinessDate,
            Language = string.IsNullOrWhiteSpace(customer.Language) ? context.Settings.DefaultLanguage : customer.Language,
            Interest = interest,
            OperatorText = message.OperatorText,
        };

        RenderedMessage content;
        try
        {
            content = await _templates.RenderAsync(message.TemplateId, model, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return new(DeliveryResult.PermanentFailure($"template '{message.TemplateId}' could not be rendered: {ex.Message}"), null);
        }

        if (message.OperatorSubject is { Length: > 0 } subject)
        {
            content = content with { Subject = subject };
        }

        var attachments = new List<MessageAttachment>();
        foreach (var path in message.AttachmentFiles)
        {
            try
            {
                var bytes = await File.ReadAllBytesAsync(path, cancellationToken).ConfigureAwait(false);
                attachments.Add(new MessageAttachment(Path.GetFileName(path), ContentTypes.Guess(path), bytes));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return new(DeliveryResult.PermanentFailure($"attachment '{path}' cannot be read: {ex.Message}"), null);
            }
        }

        if (_archive is not null)
        {
            foreach (var line in message.Lines.DistinctBy(l => (l.DocumentNumber, l.DocumentDate)))
            {
                await foreach (var copy in _archive.FindAsync(context.Company, line, cancellationToken).ConfigureAwait(false))
                {
                    attachments.Add(copy);
                }
            }
        }

        var profile = context.Settings.Profile;
        var outgoing = new OutgoingMessage(message, content, message.Channel == DeliveryChannel.Pec ? profile.Pec ?? profile.Email : profile.Email, profile.ReplyTo)
        {
            Attachments = attachments,
            FromName = string.IsNullOrWhiteSpace(profile.Name) ? null : profile.Name,
        };

        try
        {
            return new(await channel.SendAsync(outgoing, cancellationToken).ConfigureAwait(false), interest);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new(DeliveryResult.TransientFailure($"{message.Channel} channel failed: {ex.Message}"), interest);
        }
    }

    /// <summary>
    /// Commits the message's new state with an event on each of its cases (and, on failure, an operator task); case
    /// conflicts are retried by reading the cases again — the message is never sent again for that.
    /// </summary>
    private async ValueTask CommitOutcomeAsync(
        CompanyContext context,
        OutboxMessage message,
        string? eventKind,
        string? reason,
        InterestStatement? interest,
        CancellationToken cancellationToken,
        string? failure = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var changes = new RecoveryChangeSet(context.Company);
            changes.Outbox.Add(message);
            if (eventKind is not null && message.Lines.Count > 0)
            {
                var now = _clock.GetCurrentInstant();
                var today = now.InZone(context.Zone).Date;
                var machine = new RecoveryStateMachine();
                var keys = message.Lines.Select(l => l.Key).ToList();
                await foreach (var c in _store.ReadCasesAsync(context.Company, new CaseFilter { Keys = keys }, cancellationToken).ConfigureAwait(false))
                {
                    var change = CaseChange.Edit(c, machine, now, today);
                    change.Record(eventKind, OperatorId.System, reason!);
                    if (interest is not null)
                    {
                        change.Record("LatePaymentInterestClaimed", OperatorId.System, InterestStatements.Describe(interest, c.Key));
                    }

                    var (write, events) = change.ToWrite();
                    changes.Cases.Add(write);
                    changes.History.AddRange(events);
                }

                if (failure is not null)
                {
                    changes.Tasks.Add(await FailureTaskAsync(context, message, failure, now, today, cancellationToken).ConfigureAwait(false));
                }
            }
            else if (failure is not null)
            {
                var now = _clock.GetCurrentInstant();
                changes.Tasks.Add(await FailureTaskAsync(context, message, failure, now, now.InZone(context.Zone).Date, cancellationToken).ConfigureAwait(false));
            }

            try
            {
                await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ConcurrencyConflictException) when (attempt < _options.ConflictRetries)
            {
                Log.ConflictRetry(_logger, context.Company, message.CustomerCode, attempt + 1);
            }
        }
    }

    private async ValueTask<OperatorTask> FailureTaskAsync(CompanyContext context, OutboxMessage message, string failure, Instant now, LocalDate today, CancellationToken cancellationToken)
    {
        var title = message.Channel switch
        {
            DeliveryChannel.Letter => "Letter not produced: check the address and send it by hand",
            _ => $"{message.Channel} not delivered to {message.Recipient}: correct the address or contact the customer",
        };
        var assignee = await DeliveryFailures.ResponsibleAsync(_store, context.Company, message.CustomerCode, cancellationToken).ConfigureAwait(false);
        return DeliveryFailures.Task(context.Company, message, title, $"message {message.Id} ({message.StepName}) failed: {failure}", assignee, today, now);
    }

    private readonly record struct SendAttempt(DeliveryResult Result, InterestStatement? Interest);

    /// <summary>Customers, operators and responsibles read once per dispatch.</summary>
    private sealed class DispatchLookups(IRecoveryStore store, CompanyId company)
    {
        private readonly Dictionary<string, Customer?> _customers = new(StringComparer.Ordinal);
        private Dictionary<OperatorId, Operator>? _operators;

        public async ValueTask<Customer?> CustomerAsync(string code, CancellationToken cancellationToken)
        {
            if (!_customers.TryGetValue(code, out var customer))
            {
                customer = await store.GetCustomerAsync(company, code, cancellationToken).ConfigureAwait(false);
                _customers[code] = customer;
            }

            return customer;
        }

        public async ValueTask<Operator?> ResponsibleAsync(string customerCode, CancellationToken cancellationToken)
        {
            if (await DeliveryFailures.ResponsibleAsync(store, company, customerCode, cancellationToken).ConfigureAwait(false) is not { } responsible)
            {
                return null;
            }

            _operators ??= await store.ReadOperatorsAsync(company, cancellationToken).ToDictionaryAsync(o => o.Id, cancellationToken: cancellationToken).ConfigureAwait(false);
            return _operators.GetValueOrDefault(responsible);
        }
    }
}
