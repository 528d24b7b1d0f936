using CreditRecovery.Delivery;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Delivery;

/// <summary>PEC receipts and replies recorded on cases and customers (issue 3: receipts as evidence, received mail).</summary>
public sealed class InboundMailProcessorTests
{
    private static readonly LocalDate Due = new(2026, 1, 12);

    private readonly RecordingChannel _pec = new(DeliveryChannel.Pec);
    private readonly ListInboundMailSource _mailbox = new();

    /// <summary>A customer whose only step is a formal demand by PEC, sent and accepted by the channel.</summary>
    private async Task<(EngineHarness Harness, OutboxMessage Sent)> SentPecAsync()
    {
        var procedure = new RecoveryProcedure
        {
            Id = "pec-only",
            Name = "PEC",
            Steps = [new ProcedureStep { Id = "demand", Name = "Messa in mora", Action = StepAction.Pec, Timing = StepTiming.AfterDue(5), TemplateId = "formal-demand" }],
        };
        var h = new EngineHarness(
            o => o.Procedures.Add(procedure),
            c => c.DefaultProcedureId = "pec-only",
            b => b.UseChannel(_pec).UseTemplates(new ModelTemplateRenderer()).UseInboundMail(_mailbox));
        h.Ledger.Put(Customer("C1")).Put(Installment("C1-1", "C1", Due, 1000m)).Put(Installment("C1-2", "C1", Due, 500m));
        await h.DayAsync(Due.PlusDays(7)); // 17 January is a Saturday: the step waits for Monday 19
        var dispatched = await h.Engine.Dispatcher.DispatchAsync(Company);
        Assert.True(dispatched.Sent == 1, "the formal demand was not sent: " + string.Join("; ", dispatched.Messages.Select(m => m.Detail)));
        var sent = Assert.Single(await h.Store.ReadOutboxAsync(Company, OutboxStatus.Sent).ToListAsync());
        return (h, sent);
    }

    private static InboundMail Receipt(string id, InboundMailKind kind, OutboxMessage about, string? error = null) => new()
    {
        Id = id,
        Kind = kind,
        ReceivedAt = Instant.FromUtc(2026, 1, 17, 9, 30, 12),
        From = "posta-certificata@pec.provider.example",
        Subject = $"{kind}: Messa in mora",
        References = [OutboxMessageIds.For(about, "acme.example")],
        Recipient = about.Recipient,
        Error = error,
        Evidence = new EvidenceFile($"/evidence/{id}.eml", new string('a', 64), 2048),
    };

    [Fact]
    public async Task A_delivery_receipt_marks_the_message_delivered_and_is_kept_as_evidence_on_every_case_once()
    {
        var (h, sent) = await SentPecAsync();
        _mailbox.Mails.Add(Receipt("acc-1", InboundMailKind.PecAcceptance, sent));
        _mailbox.Mails.Add(Receipt("del-1", InboundMailKind.PecDelivery, sent));

        var report = await h.Engine.Inbound!.ProcessAsync();
        Assert.Equal(2, report.Recorded);

        var delivered = await h.Store.GetOutboxMessageAsync(Company, sent.Id);
        Assert.Equal(OutboxStatus.Delivered, delivered!.Status);
        Assert.Equal(Instant.FromUtc(2026, 1, 17, 9, 30, 12), delivered.DeliveredAt);
        foreach (var key in new[] { "C1-1", "C1-2" })
        {
            var history = await h.Store.ReadHistoryAsync(Company, new InstallmentKey(key)).ToListAsync();
            Assert.Single(history, e => e.Kind == "PecAccepted");
            var evidence = Assert.Single(history, e => e.Kind == "PecDelivered");
            Assert.Contains("/evidence/del-1.eml", evidence.Reason, StringComparison.Ordinal);
            Assert.Contains("SHA-256 " + new string('a', 64), evidence.Reason, StringComparison.Ordinal);
            Assert.Contains(sent.Recipient, evidence.Reason, StringComparison.Ordinal);
        }

        // The same receipts read again (e.g. acknowledged too late after a crash) are recorded once.
        _mailbox.Acknowledged.Clear();
        var again = await h.Engine.Inbound.ProcessAsync();
        Assert.Equal(2, again.Recorded);
        var after = await h.Store.ReadHistoryAsync(Company, new InstallmentKey("C1-1")).ToListAsync();
        Assert.Single(after, e => e.Kind == "PecDelivered");
        Assert.Single(after, e => e.Kind == "PecAccepted");
    }

    [Fact]
    public async Task A_non_delivery_notice_fails_the_message_and_gives_an_operator_a_task()
    {
        var (h, sent) = await SentPecAsync();
        _mailbox.Mails.Add(Receipt("err-1", InboundMailKind.PecNonDelivery, sent, "5.1.1 - Casella inesistente"));

        await h.Engine.Inbound!.ProcessAsync();

        var failed = await h.Store.GetOutboxMessageAsync(Company, sent.Id);
        Assert.Equal(OutboxStatus.Failed, failed!.Status);
        Assert.Contains("Casella inesistente", failed.LastError, StringComparison.Ordinal);
        var task = Assert.Single(await h.OpenTasksAsync(), t => t.Kind == OperatorTaskKind.DeliveryFailed);
        Assert.Equal(["C1-1", "C1-2"], task.Installments.Select(k => k.Value).Order());
        Assert.Contains(await h.Store.ReadHistoryAsync(Company, new InstallmentKey("C1-1")).ToListAsync(), e => e.Kind == "PecNotDelivered");
    }

    [Fact]
    public async Task Replies_land_in_the_customer_history_by_thread_or_by_sender_and_strangers_stay_in_the_mailbox()
    {
        var (h, sent) = await SentPecAsync();
        _mailbox.Mails.Add(new InboundMail
        {
            Id = "reply-1@customer.example",
            Kind = InboundMailKind.Reply,
            ReceivedAt = Instant.FromUtc(2026, 1, 18, 10, 0),
            From = "c1@pec.example",
            Subject = "Re: Messa in mora",
            TextBody = "Pagheremo entro fine mese.",
            References = [OutboxMessageIds.For(sent, "acme.example")],
        });
        _mailbox.Mails.Add(new InboundMail
        {
            Id = "reply-2@customer.example",
            Kind = InboundMailKind.Reply,
            ReceivedAt = Instant.FromUtc(2026, 1, 19, 10, 0),
            From = "AMMINISTRAZIONE@c1.example",
            Subject = "Estratto conto",
            TextBody = "Ci mandate l'estratto conto?",
        });
        _mailbox.Mails.Add(new InboundMail
        {
            Id = "spam@elsewhere.example",
            Kind = InboundMailKind.Reply,
            ReceivedAt = Instant.FromUtc(2026, 1, 19, 11, 0),
            From = "offers@elsewhere.example",
            Subject = "Offerta",
        });

        var report = await h.Engine.Inbound!.ProcessAsync();

        Assert.Equal((2, 1), (report.Recorded, report.LeftInMailbox));
        Assert.Equal(["reply-1@customer.example", "reply-2@customer.example"], _mailbox.Acknowledged.Order());
        var activities = await h.Store.ReadActivitiesAsync(Company, "C1").ToListAsync();
        Assert.Equal(2, activities.Count);
        Assert.All(activities, a => Assert.Equal(ActivityKind.MessageReceived, a.Kind));
        var threaded = Assert.Single(activities, a => a.Notes!.StartsWith("Pagheremo", StringComparison.Ordinal));
        Assert.Equal(["C1-1", "C1-2"], threaded.Installments.Select(k => k.Value).Order());
        Assert.Empty(Assert.Single(activities, a => a.Notes!.StartsWith("Ci mandate", StringComparison.Ordinal)).Installments);
        Assert.Equal(InboundOutcome.Unmatched, Assert.Single(report.Mails, m => m.MailId == "spam@elsewhere.example").Outcome);
    }

    [Fact]
    public void Message_ids_round_trip_and_foreign_ids_are_not_ours()
    {
        var id = OutboxMessageIds.For(new CompanyId("ACME/2"), "ACME/2/C1/msg/standard/dunning-1/Email/2026-01-22", "acme.example");
        Assert.EndsWith("@acme.example", id, StringComparison.Ordinal);
        Assert.DoesNotContain('/', id);
        Assert.True(OutboxMessageIds.TryParse("<" + id + ">", out var company, out var outboxId));
        Assert.Equal(("ACME/2", "ACME/2/C1/msg/standard/dunning-1/Email/2026-01-22"), (company.Value, outboxId));
        Assert.False(OutboxMessageIds.TryParse("CAFEBABE.123@mail.example", out _, out _));
        Assert.False(OutboxMessageIds.TryParse("cr.!!!@x", out _, out _));
        Assert.False(OutboxMessageIds.TryParse(null, out _, out _));
    }
}
