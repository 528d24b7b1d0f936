using CreditRecovery.Ports;
using CreditRecovery.Testing;
using CreditRecovery.Work;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Mailbox.Imap.Tests;

/// <summary>PEC receipts built to the published structure, delivered through Dovecot and read back.</summary>
[Collection(ImapCollection.Name)]
public sealed class ReceiptTests(ImapFixture fixture) : MailboxTestBase(fixture)
{
    [ImapFact]
    public async Task Acceptance_receipt_is_matched_to_the_sent_message_with_the_certified_time()
    {
        var sent = SentId("outbox-1");
        var certified = new LocalDateTime(2026, 3, 21, 10, 25, 7).WithOffset(Offset.FromHours(1));
        await AppendAsync(PecReceiptBuilder.Acceptance(sent).To("debitore@pec.cliente.example.it").CertifiedAt(certified).Build());

        await using var source = Source();
        var mail = Assert.Single(await ReadAllAsync(source));

        Assert.Equal(InboundMailKind.PecAcceptance, mail.Kind);
        Assert.Equal([sent], mail.References);
        Assert.True(OutboxMessageIds.TryParse(mail.References[0], out var company, out var outboxId));
        Assert.Equal((Company, "outbox-1"), (company, outboxId));
        Assert.Equal(Instant.FromUtc(2026, 3, 21, 9, 25, 7), mail.ReceivedAt);
        Assert.Equal("debitore@pec.cliente.example.it", mail.Recipient);
        Assert.Null(mail.Error);
        Assert.StartsWith("ACCETTAZIONE: ", mail.Subject, StringComparison.Ordinal);
        Assert.Equal("posta-certificata@pec.gestore.example.it", mail.From);
    }

    [ImapFact]
    public async Task Signed_delivery_receipt_with_postacert_gives_the_recipient_and_summer_time()
    {
        var sent = SentId("outbox-2");
        var original = new MimeMessage { MessageId = sent, Subject = "Messa in mora" };
        original.From.Add(MailboxAddress.Parse("solleciti@pec.creditrecovery.example.it"));
        original.To.Add(MailboxAddress.Parse("amministrazione@pec.cliente.example.it"));
        original.Body = new TextPart("plain") { Text = "Con la presente vi costituiamo in mora." };
        var certified = new LocalDateTime(2026, 7, 1, 8, 0, 0).WithOffset(Offset.FromHours(2));
        await AppendAsync(PecReceiptBuilder.Delivery(sent, "amministrazione@pec.cliente.example.it")
            .WithOriginal(original).CertifiedAt(certified).Signed().Build());

        await using var source = Source();
        var mail = Assert.Single(await ReadAllAsync(source));

        Assert.Equal(InboundMailKind.PecDelivery, mail.Kind);
        Assert.Equal([sent], mail.References);
        Assert.Equal("amministrazione@pec.cliente.example.it", mail.Recipient);
        Assert.Equal(Instant.FromUtc(2026, 7, 1, 6, 0, 0), mail.ReceivedAt);
        Assert.Null(mail.Error);
        Assert.Contains("consegnato", mail.TextBody, StringComparison.Ordinal);
    }

    [ImapFact]
    public async Task Non_delivery_notice_carries_the_providers_reason()
    {
        var sent = SentId("outbox-3");
        await AppendAsync(PecReceiptBuilder.NonDelivery(sent, "chiusa@pec.cliente.example.it", "5.1.1 - Casella del destinatario inesistente").Build());

        await using var source = Source();
        var mail = Assert.Single(await ReadAllAsync(source));

        Assert.Equal(InboundMailKind.PecNonDelivery, mail.Kind);
        Assert.Equal([sent], mail.References);
        Assert.Equal("chiusa@pec.cliente.example.it", mail.Recipient);
        Assert.Equal("5.1.1 - Casella del destinatario inesistente", mail.Error);
        Assert.Equal(Instant.FromUtc(2026, 3, 21, 9, 25, 0), mail.ReceivedAt);
    }

    [ImapFact]
    public async Task Non_acceptance_and_other_notices_are_classified()
    {
        var sent = SentId("outbox-4");
        var arrived = new DateTimeOffset(2026, 3, 21, 10, 0, 0, TimeSpan.Zero);
        await AppendAsync(PecReceiptBuilder.NonAcceptance(sent, "Destinatario non PEC").Build(), arrived);
        await AppendAsync(PecReceiptBuilder.Notice("presa-in-carico", sent).Build(), arrived.AddMinutes(1));
        await AppendAsync(PecReceiptBuilder.Notice("preavviso-errore-consegna", sent).WithError("Tempo massimo di consegna superato", "altro").Build(), arrived.AddMinutes(2));

        await using var source = Source();
        var mails = await ReadAllAsync(source);

        Assert.Equal([InboundMailKind.PecNonAcceptance, InboundMailKind.PecOther, InboundMailKind.PecOther], mails.Select(m => m.Kind));
        Assert.All(mails, m => Assert.Equal([sent], m.References));
        Assert.Equal("Destinatario non PEC", mails[0].Error);
        Assert.Null(mails[1].Error);
        Assert.Equal("Tempo massimo di consegna superato", mails[2].Error);
    }

    [ImapFact]
    public async Task A_malformed_receipt_does_not_stop_the_rest_and_says_what_is_missing()
    {
        var arrived = new DateTimeOffset(2026, 3, 21, 11, 0, 0, TimeSpan.Zero);
        await AppendAsync(PecReceiptBuilder.Delivery(SentId("bad-xml"), "a@pec.example.it").WithDaticert("<postacert tipo=\"avvenuta-consegna\"><dati><msgid>&lt;x@y&gt;</dati>").Build(), arrived);
        await AppendAsync(PecReceiptBuilder.Acceptance("ignored").WithoutReference().Build(), arrived.AddMinutes(1));
        await AppendAsync(PecReceiptBuilder.Delivery(SentId("no-daticert"), "b@pec.example.it").WithoutDaticert().Build(), arrived.AddMinutes(2));
        await AppendAsync(PecReceiptBuilder.Delivery(SentId("good"), "c@pec.example.it").Build(), arrived.AddMinutes(3));

        await using var source = Source();
        var mails = await ReadAllAsync(source);

        Assert.Equal(4, mails.Count);
        var badXml = mails[0];
        Assert.Equal(InboundMailKind.PecDelivery, badXml.Kind);
        Assert.Equal([SentId("bad-xml")], badXml.References);
        Assert.Contains("not well-formed", badXml.Error, StringComparison.Ordinal);
        Assert.NotNull(badXml.Evidence);

        var noReference = mails[1];
        Assert.Equal(InboundMailKind.PecAcceptance, noReference.Kind);
        Assert.Empty(noReference.References);
        Assert.Contains("X-Riferimento-Message-ID and daticert.xml 'msgid' are both missing", noReference.Error, StringComparison.Ordinal);

        var noDaticert = mails[2];
        Assert.Equal(InboundMailKind.PecDelivery, noDaticert.Kind);
        Assert.Equal([SentId("no-daticert")], noDaticert.References);
        Assert.Contains("no daticert.xml", noDaticert.Error, StringComparison.Ordinal);
        Assert.Equal(Instant.FromUtc(2026, 3, 21, 9, 25, 0), noDaticert.ReceivedAt); // the provider's Date header

        var good = mails[3];
        Assert.Equal(InboundMailKind.PecDelivery, good.Kind);
        Assert.Null(good.Error);
        Assert.Equal("c@pec.example.it", good.Recipient);
    }

    [ImapFact]
    public async Task The_reference_comes_from_daticert_when_the_header_is_missing()
    {
        var sent = SentId("outbox-5");
        await AppendAsync(PecReceiptBuilder.Delivery(sent, "a@pec.example.it").WithoutReferenceHeader().Build());

        await using var source = Source();
        var mail = Assert.Single(await ReadAllAsync(source));

        Assert.Equal([sent], mail.References);
        Assert.Null(mail.Error);
    }
}
