using CreditRecovery.Cases;
using CreditRecovery.Delivery;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Delivery;

/// <summary>The outbox dispatcher: render, send once, retry with backoff, fail visibly, cancel what was paid (issue 3 §3).</summary>
public sealed class OutboxDispatcherTests
{
    private static readonly LocalDate Due = new(2026, 1, 12);
    private static readonly LocalDate DunningDay = Due.PlusDays(10);

    private readonly RecordingChannel _email = new(DeliveryChannel.Email);
    private readonly ModelTemplateRenderer _templates = new();

    private EngineHarness Harness(Action<CreditRecoveryOptions>? configure = null, Action<CreditRecoveryEngineBuilder>? more = null) =>
        new(configure, ports: b =>
        {
            b.UseChannel(_email).UseTemplates(_templates);
            more?.Invoke(b);
        });

    private static async Task<EngineHarness> WithDueMessagesAsync(EngineHarness h)
    {
        h.Ledger.Put(Customer("C1")).Put(Customer("C2"))
            .Put(Installment("C1-1", "C1", Due, 1200m))
            .Put(Installment("C1-2", "C1", Due, 300m, residual: 250m))
            .Put(Installment("C2-1", "C2", Due, 800m));
        await h.DayAsync(DunningDay);
        return h;
    }

    private static async Task<List<OutboxMessage>> OutboxAsync(EngineHarness h, OutboxStatus status) =>
        await h.Store.ReadOutboxAsync(Company, status).ToListAsync();

    private static async Task<List<HistoryEvent>> HistoryAsync(EngineHarness h, string key) =>
        await h.Store.ReadHistoryAsync(Company, new InstallmentKey(key)).ToListAsync();

    [Fact]
    public async Task Each_pending_message_is_rendered_sent_once_and_recorded_on_its_cases()
    {
        var h = await WithDueMessagesAsync(Harness());
        var queued = await OutboxAsync(h, OutboxStatus.Pending);
        Assert.Equal(2, queued.Count);

        var report = await h.Engine.Dispatcher.DispatchAsync(Company);
        var again = await h.Engine.Dispatcher.DispatchAsync(Company);

        Assert.Equal(2, report.Sent);
        Assert.Equal(0, again.Sent + again.Failed + again.Retrying);
        Assert.Equal(2, _email.Calls.Count);
        var c1 = Assert.Single(_email.Accepted, m => m.Message.CustomerCode == "C1");
        Assert.Equal("amministrazione@c1.example", c1.Message.Recipient);
        Assert.Equal("crediti@acme.example", c1.From);
        Assert.Equal("ACME S.p.A.", c1.FromName);
        Assert.Contains("TOTAL 1450.00", c1.Content.TextBody, StringComparison.Ordinal);   // 1200 + 250 residual: the ledger's amounts
        Assert.Equal(["C1-1", "C1-2"], c1.Message.Lines.Select(l => l.Key.Value).Order());

        var sent = await OutboxAsync(h, OutboxStatus.Sent);
        Assert.Equal(2, sent.Count);
        Assert.All(sent, m =>
        {
            Assert.Equal(1, m.Attempts);
            Assert.Equal(h.Clock.GetCurrentInstant(), m.SentAt);
            Assert.Equal("<" + m.Id + ">", m.ProviderMessageId);
        });
        var history = await HistoryAsync(h, "C1-1");
        var recorded = Assert.Single(history, e => e.Kind == "MessageSent");
        Assert.Contains("amministrazione@c1.example", recorded.Reason, StringComparison.Ordinal);
        Assert.Null(await CreditRecovery.Audit.HistoryChain.VerifyAsync(h.Store, Company, new InstallmentKey("C1-1")));
    }

    [Fact]
    public async Task A_transient_failure_waits_with_exponential_backoff_then_sends()
    {
        var h = await WithDueMessagesAsync(Harness());
        _email.Answer = _ => DeliveryResult.TransientFailure("421 try again later");

        var first = await h.Engine.Dispatcher.DispatchAsync(Company);
        Assert.Equal(2, first.Retrying);
        var pending = await OutboxAsync(h, OutboxStatus.Pending);
        Assert.All(pending, m =>
        {
            Assert.Equal(1, m.Attempts);
            Assert.Equal("421 try again later", m.LastError);
            Assert.Equal(h.Clock.GetCurrentInstant() + Duration.FromMinutes(2), m.NextAttemptAt);
        });

        // Before the retry time nothing is tried.
        h.Clock.Advance(Duration.FromMinutes(1));
        var early = await h.Engine.Dispatcher.DispatchAsync(Company);
        Assert.Equal(2, early.Waiting);
        Assert.Equal(2, _email.Calls.Count);

        // The second failure waits twice as long.
        h.Clock.Advance(Duration.FromMinutes(1));
        await h.Engine.Dispatcher.DispatchAsync(Company);
        Assert.All(await OutboxAsync(h, OutboxStatus.Pending), m => Assert.Equal(h.Clock.GetCurrentInstant() + Duration.FromMinutes(4), m.NextAttemptAt));

        // The server is back: delivered once each.
        _email.Answer = null;
        h.Clock.Advance(Duration.FromMinutes(4));
        var back = await h.Engine.Dispatcher.DispatchAsync(Company);
        Assert.Equal(2, back.Sent);
        Assert.Equal(2, _email.Accepted.Count);
        Assert.All(await OutboxAsync(h, OutboxStatus.Sent), m => Assert.Equal(3, m.Attempts));
    }

    [Fact]
    public async Task A_permanent_failure_marks_the_message_failed_on_its_cases_with_a_task_and_the_others_go_out()
    {
        var h = await WithDueMessagesAsync(Harness());
        _email.Answer = m => m.Message.CustomerCode == "C2"
            ? DeliveryResult.PermanentFailure("550 5.1.1 <amministrazione@c2.example>: mailbox unknown")
            : DeliveryResult.Success();

        var report = await h.Engine.Dispatcher.DispatchAsync(Company);

        Assert.Equal((1, 1), (report.Sent, report.Failed));
        var failed = Assert.Single(await OutboxAsync(h, OutboxStatus.Failed));
        Assert.Equal("C2", failed.CustomerCode);
        Assert.Contains("550 5.1.1", failed.LastError, StringComparison.Ordinal);
        var task = Assert.Single(await h.OpenTasksAsync(), t => t.Kind == OperatorTaskKind.DeliveryFailed);
        Assert.Equal("C2", task.CustomerCode);
        Assert.Contains("550 5.1.1", task.Why, StringComparison.Ordinal);
        Assert.Contains(await HistoryAsync(h, "C2-1"), e => e.Kind == "DeliveryFailed" && e.Reason.Contains("mailbox unknown", StringComparison.Ordinal));

        // Failed stays failed: the next dispatch does not try it again.
        await h.Engine.Dispatcher.DispatchAsync(Company);
        Assert.Single(_email.Calls, m => m.Message.CustomerCode == "C2");
    }

    [Fact]
    public async Task Transient_failures_give_up_after_the_configured_attempts()
    {
        var h = await WithDueMessagesAsync(Harness(o => o.Delivery = new DeliveryOptions { MaxAttempts = 3 }));
        _email.Answer = _ => DeliveryResult.TransientFailure("connection refused");
        for (var i = 0; i < 5; i++)
        {
            await h.Engine.Dispatcher.DispatchAsync(Company);
            h.Clock.Advance(Duration.FromHours(5));
        }

        Assert.Equal(6, _email.Calls.Count);
        var failed = await OutboxAsync(h, OutboxStatus.Failed);
        Assert.Equal(2, failed.Count);
        Assert.All(failed, m => Assert.Equal("gave up after 3 attempts; last error: connection refused", m.LastError));
        Assert.Equal(2, (await h.OpenTasksAsync()).Count(t => t.Kind == OperatorTaskKind.DeliveryFailed));
    }

    [Fact]
    public async Task A_channel_that_is_not_registered_never_falls_back_to_another_one()
    {
        var h = await WithDueMessagesAsync(new EngineHarness(ports: b => b.UseTemplates(_templates).UseChannel(new RecordingChannel(DeliveryChannel.Pec))));

        var report = await h.Engine.Dispatcher.DispatchAsync(Company);

        Assert.Equal(2, report.Failed);
        Assert.All(await OutboxAsync(h, OutboxStatus.Failed), m => Assert.Equal("no Email channel is registered: send it by hand or register the channel", m.LastError));
        Assert.Equal(2, (await h.OpenTasksAsync()).Count(t => t.Kind == OperatorTaskKind.DeliveryFailed));
    }

    [Fact]
    public async Task A_message_whose_installments_were_all_paid_meanwhile_is_cancelled_and_a_partly_paid_one_lists_what_is_open()
    {
        var h = await WithDueMessagesAsync(Harness());
        h.Ledger.Change("C2-1", i => i with { OpenResidual = Money.Eur(0m) });
        h.Ledger.Change("C1-2", i => i with { OpenResidual = Money.Eur(0m) });
        h.SetDate(DunningDay.PlusDays(1));
        await h.Engine.Ledger!.SynchronizeAsync(Company, CreditRecovery.Ledger.LedgerReadMode.Snapshot, DunningDay.PlusDays(1));

        var report = await h.Engine.Dispatcher.DispatchAsync(Company);

        Assert.Equal((1, 1), (report.Sent, report.Cancelled));
        var cancelled = Assert.Single(await OutboxAsync(h, OutboxStatus.Cancelled));
        Assert.Equal("C2", cancelled.CustomerCode);
        var sent = Assert.Single(_email.Accepted);
        Assert.Equal(["C1-1"], sent.Message.Lines.Select(l => l.Key.Value));
        Assert.Contains("TOTAL 1200.00", sent.Content.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_step_that_claims_interest_shows_the_statement_and_records_the_claim_on_the_case()
    {
        var h = await WithDueMessagesAsync(Harness(o =>
        {
            var standard = o.Procedures.Single(p => p.Id == "standard");
            o.Procedures.Remove(standard);
            o.Procedures.Add(standard with { Steps = [.. standard.Steps.Select(s => s.Id == "dunning-1" ? s with { ClaimLatePaymentInterest = true } : s)] });
        }));

        await h.Engine.Dispatcher.DispatchAsync(Company);

        var model = Assert.Single(_templates.Models, m => m.Customer.Code == "C2");
        var interest = Assert.IsType<InterestStatement>(model.Interest);
        // 800 € from 13/01 to 22/01/2026 (10 days) at 2.15 + 8 = 10.15 %: 800 × 10.15 × 10 / 36500 = 2.2246… → 2.22 €.
        var line = Assert.Single(interest.Lines);
        Assert.Equal((new LocalDate(2026, 1, 13), DunningDay, 10, 10.15m), (line.From, line.To, line.Days, line.RatePercent));
        Assert.Equal(Money.Eur(2.22m), interest.TotalInterest);
        Assert.Equal(Money.Eur(40m), interest.TotalCompensation);
        Assert.Equal(Money.Eur(842.22m), interest.TotalClaimed);
        var claim = Assert.Single(await HistoryAsync(h, "C2-1"), e => e.Kind == "LatePaymentInterestClaimed");
        Assert.Contains("claimed 842.22 EUR", claim.Reason, StringComparison.Ordinal);

        // C1 pays interest on what is open: 1200 and the 250 residual of C1-2, one compensation per document.
        var c1 = Assert.Single(_templates.Models, m => m.Customer.Code == "C1").Interest!;
        Assert.Equal(Money.Eur(1450m), c1.TotalResidual);
        Assert.Equal(Money.Eur(80m), c1.TotalCompensation);
    }

    [Fact]
    public async Task A_template_that_fails_marks_the_message_failed_with_the_template_error()
    {
        var h = await WithDueMessagesAsync(Harness(o =>
        {
            var standard = o.Procedures.Single(p => p.Id == "standard");
            o.Procedures.Remove(standard);
            o.Procedures.Add(standard with { Steps = [.. standard.Steps.Select(s => s.Id == "dunning-1" ? s with { TemplateId = "broken" } : s)] });
        }));

        var report = await h.Engine.Dispatcher.DispatchAsync(Company);

        Assert.Equal(2, report.Failed);
        Assert.All(await OutboxAsync(h, OutboxStatus.Failed), m => Assert.StartsWith("template 'broken' could not be rendered: line 3, column 7", m.LastError, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Another_worker_holding_the_dispatch_lease_gets_the_outbox_for_itself()
    {
        var h = await WithDueMessagesAsync(Harness());
        Assert.True(await h.Store.TryAcquireLeaseAsync(Company, "dispatch", "other-worker", h.Clock.GetCurrentInstant(), Duration.FromMinutes(10)));

        var blocked = await h.Engine.Dispatcher.DispatchAsync(Company, new DispatchOptions { WorkerId = "me" });
        Assert.True(blocked.LeaseHeldElsewhere);
        Assert.Empty(_email.Calls);

        h.Clock.Advance(Duration.FromMinutes(11));
        var taken = await h.Engine.Dispatcher.DispatchAsync(Company, new DispatchOptions { WorkerId = "me" });
        Assert.Equal(2, taken.Sent);
    }

    [Fact]
    public async Task Document_copies_from_the_archive_are_attached()
    {
        var root = Directory.CreateTempSubdirectory("cr-archive-");
        try
        {
            var folder = Directory.CreateDirectory(Path.Combine(root.FullName, "ACME"));
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "FT-C2-1.pdf"), "%PDF-1.4 copy"u8.ToArray());
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "FT-C2-1_ddt.pdf"), "%PDF-1.4 ddt"u8.ToArray());
            await File.WriteAllBytesAsync(Path.Combine(folder.FullName, "FT-C2-10.pdf"), "%PDF-1.4 other"u8.ToArray());
            var h = await WithDueMessagesAsync(Harness(more: b => b.UseDocumentArchive(new FolderDocumentArchive(root.FullName))));

            await h.Engine.Dispatcher.DispatchAsync(Company);

            var c2 = Assert.Single(_email.Accepted, m => m.Message.CustomerCode == "C2");
            Assert.Equal(["FT-C2-1.pdf", "FT-C2-1_ddt.pdf"], c2.Attachments.Select(a => a.FileName));
            Assert.All(c2.Attachments, a => Assert.Equal("application/pdf", a.ContentType));
            Assert.Equal("%PDF-1.4 copy"u8.ToArray(), c2.Attachments[0].Content.ToArray());
            Assert.Empty(Assert.Single(_email.Accepted, m => m.Message.CustomerCode == "C1").Attachments);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    [Fact]
    public void Retry_delays_double_up_to_the_cap()
    {
        var options = new DeliveryOptions { FirstRetryDelay = Duration.FromMinutes(2), MaxRetryDelay = Duration.FromMinutes(30) };
        Assert.Equal(
            new[] { 2, 4, 8, 16, 30, 30 }.Select(m => Duration.FromMinutes(m)),
            Enumerable.Range(1, 6).Select(options.RetryDelay));
    }
}
