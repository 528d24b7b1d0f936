using System.Globalization;
using CreditRecovery.Delivery;
using CreditRecovery.Delivery.Email;
using CreditRecovery.Mailbox.Imap;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Templates.Liquid;
using CreditRecovery.Testing;
using CreditRecovery.Testing.Smtp;
using CreditRecovery.Work;
using MimeKit;
using NodaTime;
using NodaTime.Testing;

namespace CreditRecovery.Delivery.Integration.Tests;

/// <summary>
/// Issue 3's acceptance: a day's run sent through a real SMTP server — one message per customer per step, recipients and
/// the manager's copy, amounts equal to the ledger, invoice copies attached, stable Message-IDs; the server down and
/// back delivers everything once; a 550 on one recipient fails that case with a task while the others are delivered;
/// PEC receipts read from a real IMAP server land on the cases as evidence.
/// </summary>
public sealed class DayThroughRealServersTests : IDisposable
{
    private const string Rejected = "chiuso@c3.example";
    private static readonly CompanyId Company = new("ACME");
    private static readonly LocalDate Due = new(2026, 3, 2);
    private static readonly LocalDate Day = new(2026, 3, 12); // 10 days after the due date: first dunning
    private static readonly CultureInfo It = CultureInfo.GetCultureInfo("it-IT");

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cr-delivery-");
    private readonly FakeClock _clock = new(Day.At(new LocalTime(9, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/Rome"]).ToInstant());
    private readonly InMemoryRecoveryStore _store = new();
    private readonly ScriptedLedgerSource _ledger = new();

    public void Dispose() => _folder.Delete(recursive: true);

    private static readonly RecoveryProcedure Procedure = new()
    {
        Id = "standard",
        Name = "Standard",
        Steps =
        [
            new() { Id = "dunning-1", Name = "1° sollecito", Action = StepAction.Email, Timing = StepTiming.AfterDue(10), TemplateId = "dunning-1", CopyToManager = true },
            new() { Id = "formal-demand", Name = "Messa in mora", Action = StepAction.Pec, Timing = StepTiming.AfterPrevious(1), TemplateId = "formal-demand", ClaimLatePaymentInterest = true },
        ],
    };

    private CreditRecoveryEngine Engine(params IMessageChannel[] channels)
    {
        var archive = Directory.CreateDirectory(Path.Combine(_folder.FullName, "archive", "ACME"));
        foreach (var customer in new[] { "C1", "C2", "C3" })
        {
            File.WriteAllBytes(Path.Combine(archive.FullName, $"FT-{customer}-1.pdf"), "%PDF-1.4\n% invoice copy\n%%EOF\n"u8.ToArray());
        }

        foreach (var c in new[] { ("C1", 1200m, 300m), ("C2", 845.5m, 0m), ("C3", 99.9m, 0m) })
        {
            _ledger.Put(Customer(c.Item1, c.Item1 == "C3" ? Rejected : null));
            _ledger.Put(Installment(c.Item1 + "-1", c.Item1, c.Item2));
            if (c.Item3 > 0)
            {
                _ledger.Put(Installment(c.Item1 + "-2", c.Item1, c.Item3));
            }
        }

        var builder = new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                o.Procedures.Add(Procedure);
                o.Companies.Add(new CompanySettings
                {
                    Id = Company.Value,
                    Profile = new CompanyProfile { Name = "ACME S.p.A.", Email = "crediti@acme.example", Pec = "acme@pec.acme.example", Iban = "IT60X0542811101000000123456" },
                    DefaultProcedureId = Procedure.Id,
                    ManagerEmail = "direzione@acme.example",
                });
            })
            .UseStore(_store)
            .UseLedger(_ledger)
            .UseClock(_clock)
            .UseTemplates(LiquidTemplateRenderer.Create())
            .UseDocumentArchive(new FolderDocumentArchive(Path.Combine(_folder.FullName, "archive")));
        foreach (var channel in channels)
        {
            builder.UseChannel(channel);
        }

        return builder.Build();
    }

    private static Customer Customer(string code, string? email) => new()
    {
        Company = Company,
        Code = code,
        Name = $"Cliente {code} S.r.l.",
        Email = email ?? $"amministrazione@{code.ToLowerInvariant()}.example",
        Pec = $"{code.ToLowerInvariant()}@pec.example",
    };

    private static Installment Installment(string key, string customer, decimal amount) => new()
    {
        Company = Company,
        Key = new InstallmentKey(key),
        CustomerCode = customer,
        Document = new DocumentReference(DocumentKind.Invoice, "FT-" + customer + "-1", Due.PlusDays(-30)),
        Number = key.EndsWith("-2", StringComparison.Ordinal) ? 2 : 1,
        DueDate = Due,
        OriginalAmount = Money.Eur(amount),
        OpenResidual = Money.Eur(amount),
    };

    private SmtpEmailChannel Smtp(SmtpTestServer server) =>
        new(new SmtpEmailOptions { Host = server.Host, Port = server.Port, Security = SmtpSecurity.None, Timeout = TimeSpan.FromSeconds(10) }, _clock);

    [SmtpFact]
    public async Task A_days_run_reaches_the_server_once_per_customer_with_copy_amounts_attachments_and_stable_ids()
    {
        using var server = SmtpTestServer.Start();
        await using var smtp = Smtp(server);
        var engine = Engine(smtp);

        var (_, run) = await engine.RunDayAsync(Company, Day);
        var report = await engine.Dispatcher.DispatchAsync(Company);
        var again = await engine.Dispatcher.DispatchAsync(Company);

        Assert.Equal(3, run.Messages.Count);
        Assert.Equal(3, report.Sent);
        Assert.Equal(0, again.Sent);
        var received = server.Messages();
        Assert.Equal(3, received.Count);
        foreach (var message in run.Messages)
        {
            var mail = Assert.Single(received, r => r.Recipients.Contains(message.Recipient));
            Assert.Equal([message.Recipient, "direzione@acme.example"], mail.Recipients);
            var mime = MimeMessage.Load(new MemoryStream(mail.Raw));
            Assert.Equal(OutboxMessageIds.For(message, "acme.example"), mime.MessageId);
            Assert.Equal("direzione@acme.example", Assert.Single(mime.Cc.Mailboxes).Address);
            var residual = message.Lines.Sum(l => l.Residual.Amount);
            Assert.Equal(_ledger.Get(message.Lines[0].Key.Value).OpenResidual.Amount + (message.Lines.Count > 1 ? _ledger.Get(message.Lines[1].Key.Value).OpenResidual.Amount : 0m), residual);
            Assert.Contains(residual.ToString("N2", It), mime.TextBody, StringComparison.Ordinal);
            Assert.Equal([$"FT-{message.CustomerCode}-1.pdf"], mime.Attachments.OfType<MimePart>().Select(a => a.FileName));
        }
    }

    [SmtpFact]
    public async Task With_the_server_down_during_the_run_everything_is_delivered_once_when_it_is_back()
    {
        using var server = SmtpTestServer.Start();
        await using var smtp = Smtp(server);
        var engine = Engine(smtp);
        await engine.RunDayAsync(Company, Day);

        server.Stop();
        var down = await engine.Dispatcher.DispatchAsync(Company);
        Assert.Equal(3, down.Retrying);
        Assert.All(down.Messages, m => Assert.Equal(DispatchOutcome.Retrying, m.Outcome));

        server.Restart();
        _clock.Advance(Duration.FromMinutes(3));
        var back = await engine.Dispatcher.DispatchAsync(Company);
        _clock.Advance(Duration.FromHours(5));
        var later = await engine.Dispatcher.DispatchAsync(Company);

        Assert.Equal(3, back.Sent);
        Assert.Equal(0, later.Sent + later.Retrying);
        Assert.Equal(3, server.Messages().Count);
        Assert.Equal(3, server.Messages().Select(m => MimeMessage.Load(new MemoryStream(m.Raw)).MessageId).Distinct().Count());
    }

    [SmtpFact]
    public async Task A_550_on_one_recipient_fails_that_case_with_a_task_and_the_others_are_delivered()
    {
        using var server = SmtpTestServer.Start(new SmtpTestServerOptions { RejectRecipients = [Rejected] });
        await using var smtp = Smtp(server);
        var engine = Engine(smtp);
        await engine.RunDayAsync(Company, Day);

        var report = await engine.Dispatcher.DispatchAsync(Company);

        Assert.Equal((2, 1), (report.Sent, report.Failed));
        Assert.Equal(2, server.Messages().Count);
        Assert.DoesNotContain(server.Messages(), m => m.Recipients.Contains(Rejected));
        var failed = Assert.Single(await _store.ReadOutboxAsync(Company, OutboxStatus.Failed).ToListAsync());
        Assert.Equal("C3", failed.CustomerCode);
        Assert.Contains("550", failed.LastError, StringComparison.Ordinal);
        Assert.Contains(await _store.ReadHistoryAsync(Company, new InstallmentKey("C3-1")).ToListAsync(), e => e.Kind == "DeliveryFailed");
        var task = Assert.Single(await _store.ReadTasksAsync(Company, new TaskFilter { Status = OperatorTaskStatus.Open }).ToListAsync(), t => t.Kind == OperatorTaskKind.DeliveryFailed);
        Assert.Equal("C3", task.CustomerCode);
    }

    [ImapFact]
    public async Task Pec_receipts_from_the_mailbox_land_on_the_cases_as_evidence()
    {
        using var imap = ImapTestServer.Start();
        var pickup = new PickupFolderChannel(DeliveryChannel.Pec, new PickupFolderOptions { Folder = Path.Combine(_folder.FullName, "pec") }, _clock);
        var email = new PickupFolderChannel(DeliveryChannel.Email, new PickupFolderOptions { Folder = Path.Combine(_folder.FullName, "mail") }, _clock);
        var evidence = Path.Combine(_folder.FullName, "evidence");
        var mailbox = new ImapInboundMailSource(new ImapMailboxOptions
        {
            Host = imap.Host,
            Port = imap.Port,
            Security = ImapSecurity.None,
            UserName = ImapTestServer.User,
            Password = ImapTestServer.UserPassword,
            EvidenceFolder = evidence,
        }, _clock);
        var engine = new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                o.Procedures.Add(Procedure);
                o.Companies.Add(new CompanySettings { Id = Company.Value, Profile = new CompanyProfile { Name = "ACME S.p.A.", Email = "crediti@acme.example", Pec = "acme@pec.acme.example" }, DefaultProcedureId = Procedure.Id });
            })
            .UseStore(_store).UseLedger(_ledger).UseClock(_clock).UseTemplates(LiquidTemplateRenderer.Create())
            .UseChannel(pickup).UseChannel(email).UseInboundMail(mailbox)
            .Build();
        _ledger.Put(Customer("C1", null)).Put(Installment("C1-1", "C1", 1200m));
        await engine.RunDayAsync(Company, Day);
        await engine.Dispatcher.DispatchAsync(Company);
        _clock.Advance(Duration.FromDays(1));
        await engine.RunDayAsync(Company, Day.PlusDays(1));
        await engine.Dispatcher.DispatchAsync(Company);
        var pec = Assert.Single(await _store.ReadOutboxAsync(Company, OutboxStatus.Sent).ToListAsync(), m => m.Channel == DeliveryChannel.Pec);
        var messageId = OutboxMessageIds.For(pec, "pec.acme.example");

        await imap.AppendAsync(PecReceiptBuilder.Acceptance(messageId).Build());
        await imap.AppendAsync(PecReceiptBuilder.Delivery(messageId, pec.Recipient).Build());
        var report = await engine.Inbound!.ProcessAsync();

        Assert.Equal(2, report.Recorded);
        var delivered = await _store.GetOutboxMessageAsync(Company, pec.Id);
        Assert.Equal(OutboxStatus.Delivered, delivered!.Status);
        var history = await _store.ReadHistoryAsync(Company, new InstallmentKey("C1-1")).ToListAsync();
        var evidenceEvent = Assert.Single(history, e => e.Kind == "PecDelivered");
        var kept = Directory.EnumerateFiles(evidence, "*.eml", SearchOption.AllDirectories).ToList();
        Assert.Equal(2, kept.Count);
        Assert.Contains(kept, f => evidenceEvent.Reason.Contains(f, StringComparison.Ordinal));
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(kept.Single(f => evidenceEvent.Reason.Contains(f, StringComparison.Ordinal)))));
        Assert.Contains(sha, evidenceEvent.Reason, StringComparison.Ordinal);
        Assert.Contains(history, e => e.Kind == "LatePaymentInterestClaimed");

        // Read again: nothing new, nothing recorded twice.
        var again = await engine.Inbound.ProcessAsync();
        Assert.Empty(again.Mails);
        Assert.Single(await _store.ReadHistoryAsync(Company, new InstallmentKey("C1-1")).Where(e => e.Kind == "PecDelivered").ToListAsync());
    }
}
