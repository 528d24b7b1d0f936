using System.Security.Cryptography;
using CreditRecovery.Ports;
using CreditRecovery.Testing;
using MailKit;
using Microsoft.Extensions.Logging;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Mailbox.Imap.Tests;

/// <summary>Replies, evidence, acknowledgement and order, through Dovecot.</summary>
[Collection(ImapCollection.Name)]
public sealed class ReplyAndMailboxTests(ImapFixture fixture) : MailboxTestBase(fixture)
{
    [ImapFact]
    public async Task A_reply_gives_its_thread_sender_subject_and_text()
    {
        var sent = SentId("outbox-10");
        var earlier = SentId("outbox-9");
        var arrived = new DateTimeOffset(2026, 11, 23, 9, 31, 0, TimeSpan.FromHours(1));
        await AppendAsync(CustomerReply(sent, "Abbiamo pagato ieri, allego la contabile.", earlier, sent), arrived);

        await using var source = Source();
        var mail = Assert.Single(await ReadAllAsync(source));

        Assert.Equal(InboundMailKind.Reply, mail.Kind);
        Assert.Equal([sent, earlier], mail.References);
        Assert.Equal("mario.rossi@cliente.example.it", mail.From);
        Assert.Equal("Re: Sollecito di pagamento", mail.Subject);
        Assert.Equal("Abbiamo pagato ieri, allego la contabile.", mail.TextBody);
        Assert.Equal(Instant.FromDateTimeOffset(arrived), mail.ReceivedAt);
        Assert.Null(mail.Recipient);
        Assert.Null(mail.Error);
    }

    [ImapFact]
    public async Task A_reply_by_PEC_is_read_from_the_postacert_inside_the_transport_envelope()
    {
        var sent = SentId("outbox-11");
        var inner = CustomerReply(sent, "Contestiamo l'importo della fattura 12/2026.");
        inner.From.Clear();
        inner.From.Add(MailboxAddress.Parse("amministrazione@pec.cliente.example.it"));
        var envelope = PecReceiptBuilder.TransportEnvelope(inner).Signed().Build();
        await AppendAsync(envelope);

        await using var source = Source();
        var mail = Assert.Single(await ReadAllAsync(source));

        Assert.Equal(InboundMailKind.Reply, mail.Kind);
        Assert.Equal(envelope.MessageId, mail.Id);
        Assert.Equal([sent], mail.References);
        Assert.Equal("amministrazione@pec.cliente.example.it", mail.From);
        Assert.Equal("Re: Sollecito di pagamento", mail.Subject);
        Assert.Equal("Contestiamo l'importo della fattura 12/2026.", mail.TextBody);
        Assert.Null(mail.Error);
    }

    [ImapFact]
    public async Task An_html_only_reply_gets_a_text_body()
    {
        var reply = CustomerReply(SentId("outbox-12"), "unused");
        reply.Body = new TextPart("html") { Text = "<html><head><style>p{color:red}</style></head><body><p>Pagheremo il 30 &amp; il 31.</p><p>Saluti</p></body></html>" };
        await AppendAsync(reply);

        await using var source = Source();
        var mail = Assert.Single(await ReadAllAsync(source));

        Assert.Equal("Pagheremo il 30 & il 31.\nSaluti", mail.TextBody);
    }

    [ImapFact]
    public async Task Evidence_is_the_raw_message_as_appended_with_its_SHA256_and_written_once()
    {
        var receipt = PecReceiptBuilder.Delivery(SentId("outbox-20"), "a@pec.example.it").Signed().Build();
        var raw = PecReceiptBuilder.ToBytes(receipt);
        await AppendAsync(receipt);

        await using var source = Source();
        var first = Assert.Single(await ReadAllAsync(source));
        var again = Assert.Single(await ReadAllAsync(source)); // not acknowledged: read again

        var evidence = Assert.IsType<EvidenceFile>(first.Evidence);
        var kept = await File.ReadAllBytesAsync(evidence.Path);
        Assert.Equal(raw, kept);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(raw)), evidence.Sha256);
        Assert.Equal(raw.LongLength, evidence.Length);
        Assert.StartsWith(Path.Combine(Path.GetFullPath(EvidenceFolder), "2026", "03", "20260321T092500Z-"), evidence.Path, StringComparison.Ordinal);
        Assert.EndsWith(".eml", evidence.Path, StringComparison.Ordinal);
        Assert.Equal(evidence, again.Evidence);
        Assert.Single(Directory.EnumerateFiles(EvidenceFolder, "*.eml", SearchOption.AllDirectories));
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(EvidenceFolder, ".incoming")));
    }

    [ImapFact]
    public async Task Acknowledged_mails_are_not_read_again_even_by_another_instance()
    {
        var arrived = new DateTimeOffset(2026, 3, 21, 12, 0, 0, TimeSpan.Zero);
        await AppendAsync(PecReceiptBuilder.Acceptance(SentId("a")).Build(), arrived);
        await AppendAsync(PecReceiptBuilder.Delivery(SentId("a"), "x@pec.example.it").Build(), arrived.AddMinutes(1));
        await AppendAsync(CustomerReply(SentId("a"), "Ok"), arrived.AddMinutes(2));

        await using (var source = Source())
        {
            // The engine's pattern: acknowledge each mail once it is recorded, while the read goes on.
            var read = 0;
            await foreach (var mail in source.ReadAsync())
            {
                read++;
                if (mail.Kind != InboundMailKind.PecDelivery)
                {
                    await source.AcknowledgeAsync(mail);
                }
            }

            Assert.Equal(3, read);
        }

        await using var restarted = Source();
        var left = Assert.Single(await ReadAllAsync(restarted));
        Assert.Equal(InboundMailKind.PecDelivery, left.Kind);

        // A new instance finds the mail by its Message-ID to acknowledge it; acknowledging twice is harmless.
        await using (var other = Source())
        {
            await other.AcknowledgeAsync(left);
            await other.AcknowledgeAsync(left);
        }

        Assert.Empty(await ReadAllAsync(restarted));
        Assert.Equal(3, await Server.CountAsync(Folder)); // acknowledged, not deleted
    }

    [ImapFact]
    public async Task Mails_come_oldest_first_by_arrival()
    {
        var noon = new DateTimeOffset(2026, 3, 21, 12, 0, 0, TimeSpan.Zero);
        await AppendAsync(CustomerReply(SentId("late"), "third"), noon.AddHours(2));
        await AppendAsync(CustomerReply(SentId("early"), "first"), noon);
        await AppendAsync(CustomerReply(SentId("middle"), "second"), noon.AddHours(1));

        await using var source = Source();
        var mails = await ReadAllAsync(source);

        Assert.Equal(["first", "second", "third"], mails.Select(m => m.TextBody));
    }

    [ImapFact]
    public async Task With_a_processed_folder_acknowledged_mails_are_moved_there()
    {
        var processed = Folder + "-done";
        await AppendAsync(PecReceiptBuilder.Acceptance(SentId("m")).Build());
        await AppendAsync(CustomerReply(SentId("m"), "Ok"));

        await using var source = Source(o => o.ProcessedFolder = processed);
        var mails = await ReadAllAsync(source);
        await source.AcknowledgeAsync(mails[0]);

        Assert.Equal(2, mails.Count);
        Assert.Single(await ReadAllAsync(source));
        Assert.Equal(1, await Server.CountAsync(Folder));
        Assert.Equal(1, await Server.CountAsync(processed));
    }

    [ImapFact]
    public async Task Reading_does_not_mark_mails_as_seen()
    {
        await AppendAsync(CustomerReply(SentId("s"), "Ok"));

        await using var source = Source();
        Assert.Single(await ReadAllAsync(source));

        using var client = await Server.ConnectAsync();
        var folder = await client.GetFolderAsync(Folder);
        await folder.OpenAsync(FolderAccess.ReadOnly);
        var summary = Assert.Single(await folder.FetchAsync(0, -1, MessageSummaryItems.Flags));
        Assert.False(summary.Flags!.Value.HasFlag(MessageFlags.Seen));
    }

    [ImapFact]
    public async Task A_wrong_password_is_a_clear_error_that_does_not_show_it()
    {
        var logged = new LogCollector();
        using var logging = LoggerFactory.Create(b => b.AddProvider(logged).SetMinimumLevel(LogLevel.Trace));
        await AppendAsync(CustomerReply(SentId("p"), "Ok"));
        await using (var right = new ImapInboundMailSource(Options(), Clock, logging.CreateLogger<ImapInboundMailSource>()))
        {
            Assert.Single(await ReadAllAsync(right));
        }

        await using var source = new ImapInboundMailSource(Options(o => o.Password = "wrong-password-123"), Clock, logging.CreateLogger<ImapInboundMailSource>());

        var error = await Assert.ThrowsAsync<InboundMailboxException>(() => ReadAllAsync(source));

        Assert.NotEmpty(logged.Lines);
        Assert.DoesNotContain(logged.Lines, l => l.Contains(ImapTestServer.UserPassword, StringComparison.Ordinal) || l.Contains("wrong-password-123", StringComparison.Ordinal));

        Assert.Contains("refused the user name or password", error.Message, StringComparison.Ordinal);
        Assert.Contains(ImapTestServer.User, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password-123", error.ToString(), StringComparison.Ordinal);
    }

    [ImapFact]
    public async Task A_mail_that_cannot_be_kept_is_left_unacknowledged_and_the_rest_is_read()
    {
        await AppendAsync(PecReceiptBuilder.Acceptance(SentId("march")).CertifiedAt(new LocalDateTime(2026, 3, 10, 9, 0).WithOffset(Offset.FromHours(1))).Build());
        await AppendAsync(PecReceiptBuilder.Acceptance(SentId("april")).CertifiedAt(new LocalDateTime(2026, 4, 10, 9, 0).WithOffset(Offset.FromHours(2))).Build());

        // A file where March's evidence folder should be: keeping that mail's evidence fails.
        Directory.CreateDirectory(Path.Combine(EvidenceFolder, "2026"));
        var blocker = Path.Combine(EvidenceFolder, "2026", "03");
        await File.WriteAllTextAsync(blocker, "not a folder");

        await using var source = Source();
        var first = Assert.Single(await ReadAllAsync(source));
        Assert.Equal([SentId("april")], first.References);
        await source.AcknowledgeAsync(first);

        File.Delete(blocker);
        var retried = Assert.Single(await ReadAllAsync(source));
        Assert.Equal([SentId("march")], retried.References);
        Assert.True(File.Exists(retried.Evidence!.Path));
    }

    private sealed class LogCollector : ILoggerProvider, ILogger
    {
        public List<string> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => this;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (Lines)
            {
                Lines.Add(formatter(state, exception) + " " + exception);
            }
        }

        public void Dispose()
        {
        }
    }
}
