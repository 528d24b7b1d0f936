using CreditRecovery.Procedures;
using CreditRecovery.Testing.Smtp;
using MimeKit;

namespace CreditRecovery.Delivery.Email.Tests;

[Collection(SmtpCollection.Name)]
public sealed class SmtpEmailChannelTests(SmtpServers servers)
{
    private SmtpEmailChannel Channel(SmtpTestServer server, Action<SmtpEmailOptions>? configure = null)
    {
        var options = TestMail.ServerOptions(server, new SmtpEmailOptions { Security = SmtpSecurity.None });
        configure?.Invoke(options);
        return new SmtpEmailChannel(options, TestMail.Clock());
    }

    [SmtpFact]
    public async Task The_server_receives_recipients_copy_reply_to_subject_bodies_and_attachments()
    {
        await using var channel = Channel(servers.Plain);
        var message = TestMail.Message(cc: ["responsabile.crediti@acme.example"], attachments: [TestMail.Pdf(), new("estratto.csv", "text/csv", "doc;importo\n17;1234.56\n"u8.ToArray())]);

        var result = await channel.SendAsync(message);

        Assert.True(result.Accepted, result.Error);
        Assert.Null(result.Error);
        var received = TestMail.Single(servers.Plain, result.ProviderMessageId!);
        Assert.Equal("crediti@acme.example", received.MailFrom);
        Assert.Equal(["mario.rossi@cliente.example", "responsabile.crediti@acme.example"], received.Recipients);
        var mime = TestMail.Parse(received);
        Assert.Equal(result.ProviderMessageId, mime.MessageId);
        Assert.Equal("ACME S.p.A.", Assert.IsType<MailboxAddress>(Assert.Single(mime.From)).Name);
        Assert.Equal("mario.rossi@cliente.example", Assert.Single(mime.To.Mailboxes).Address);
        Assert.Equal("responsabile.crediti@acme.example", Assert.Single(mime.Cc.Mailboxes).Address);
        Assert.Equal("ufficio.crediti@acme.example", Assert.Single(mime.ReplyTo.Mailboxes).Address);
        Assert.Equal("Sollecito di pagamento – fattura 2026/17", mime.Subject);
        Assert.Equal(message.Content.TextBody, mime.TextBody?.ReplaceLineEndings("\n"));
        Assert.Contains("<b>1.234,56 €</b>", mime.HtmlBody, StringComparison.Ordinal);
        Assert.Equal(message.Message.Id, mime.Headers[OutgoingMailBuilder.OutboxIdHeader]);
        Assert.Equal(TestMail.Now.ToDateTimeOffset(), mime.Date);
        var attachments = mime.Attachments.OfType<MimePart>().ToList();
        Assert.Equal(["fattura-2026-17.pdf", "estratto.csv"], attachments.Select(a => a.FileName));
        Assert.Equal("application/pdf", attachments[0].ContentType.MimeType);
        using var pdf = new MemoryStream();
        await attachments[0].Content!.DecodeToAsync(pdf);
        Assert.Equal(TestMail.Pdf().Content.ToArray(), pdf.ToArray());
        var alternative = Assert.IsType<MultipartAlternative>(Assert.IsType<Multipart>(mime.Body)[0]);
        Assert.Equal(["text/plain", "text/html"], alternative.Select(p => p.ContentType.MimeType));
    }

    [SmtpFact]
    public async Task The_same_outbox_message_sent_twice_carries_the_same_Message_ID()
    {
        await using var channel = Channel(servers.Plain);
        var id = TestMail.NewId("twice");

        var first = await channel.SendAsync(TestMail.Message(id: id));
        var second = await channel.SendAsync(TestMail.Message(id: id));
        var other = await channel.SendAsync(TestMail.Message());

        Assert.True(first.Accepted && second.Accepted && other.Accepted);
        Assert.Equal(first.ProviderMessageId, second.ProviderMessageId);
        Assert.NotEqual(first.ProviderMessageId, other.ProviderMessageId);
        var received = servers.Plain.MessagesContaining(first.ProviderMessageId!);
        Assert.Equal(2, received.Count);
        Assert.All(received, r => Assert.Equal(first.ProviderMessageId, TestMail.Parse(r).MessageId));
        Assert.True(Work.OutboxMessageIds.TryParse(first.ProviderMessageId, out var company, out var outboxId));
        Assert.Equal(("ACME", id), (company.Value, outboxId));
        Assert.EndsWith("@acme.example", first.ProviderMessageId, StringComparison.Ordinal);
    }

    [SmtpFact]
    public async Task Text_only_content_is_a_single_text_part()
    {
        await using var channel = Channel(servers.Plain);

        var result = await channel.SendAsync(TestMail.Message(html: null, replyTo: null));

        var mime = TestMail.Parse(TestMail.Single(servers.Plain, result.ProviderMessageId!));
        Assert.IsType<TextPart>(mime.Body);
        Assert.Empty(mime.ReplyTo);
    }

    [SmtpFact]
    public async Task STARTTLS_and_AUTH_are_used_when_the_server_requires_them()
    {
        await using var channel = Channel(servers.Secure, o =>
        {
            o.Security = SmtpSecurity.StartTls;
            o.UserName = SmtpServers.User;
            o.Password = SmtpServers.Password;
            o.AllowSelfSignedCertificate = true;
        });

        var result = await channel.SendAsync(TestMail.Message());

        Assert.True(result.Accepted, result.Error);
        var received = TestMail.Single(servers.Secure, result.ProviderMessageId!);
        Assert.True(received.Tls);
        Assert.Equal(SmtpServers.User, received.AuthenticatedUser);
    }

    [SmtpFact]
    public async Task A_wrong_password_is_transient_and_says_to_check_the_credentials_without_showing_it()
    {
        await using var channel = Channel(servers.Secure, o =>
        {
            o.Security = SmtpSecurity.StartTls;
            o.UserName = SmtpServers.User;
            o.Password = "wrong-Passw0rd";
            o.AllowSelfSignedCertificate = true;
        });

        var result = await channel.SendAsync(TestMail.Message());

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains("check the credentials", result.Error, StringComparison.Ordinal);
        Assert.Contains(SmtpServers.User, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-Passw0rd", result.Error, StringComparison.Ordinal);
    }

    [SmtpFact]
    public async Task A_self_signed_certificate_is_refused_unless_allowed()
    {
        await using var channel = Channel(servers.Secure, o =>
        {
            o.Security = SmtpSecurity.StartTls;
            o.UserName = SmtpServers.User;
            o.Password = SmtpServers.Password;
        });

        var result = await channel.SendAsync(TestMail.Message());

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains("certificate", result.Error, StringComparison.Ordinal);
        Assert.Contains("AllowSelfSignedCertificate", result.Error, StringComparison.Ordinal);
    }

    [SmtpFact]
    public async Task Without_STARTTLS_a_server_that_requires_it_does_not_get_the_message()
    {
        await using var channel = Channel(servers.Secure);
        var message = TestMail.Message();

        var result = await channel.SendAsync(message);

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains($"127.0.0.1:{servers.Secure.Port}", result.Error, StringComparison.Ordinal);
        Assert.Empty(servers.Secure.MessagesContaining(Work.OutboxMessageIds.For(message.Message, "acme.example")));
    }

    [SmtpFact]
    public async Task A_550_on_the_customer_is_permanent_with_the_server_text_and_the_other_messages_go_through()
    {
        await using var channel = Channel(servers.Plain);
        var before = await channel.SendAsync(TestMail.Message(recipient: "anna.bianchi@cliente.example"));
        var toRejected = TestMail.Message(recipient: SmtpServers.Rejected, cc: ["responsabile.crediti@acme.example"]);
        var rejected = await channel.SendAsync(toRejected);
        var after = await channel.SendAsync(TestMail.Message(recipient: "luca.verdi@cliente.example"));

        Assert.False(rejected.Accepted);
        Assert.True(rejected.Permanent);
        Assert.Contains("550", rejected.Error, StringComparison.Ordinal);
        Assert.Contains("User unknown", rejected.Error, StringComparison.Ordinal);
        Assert.Contains(SmtpServers.Rejected, rejected.Error, StringComparison.Ordinal);
        Assert.True(before.Accepted && after.Accepted);
        Assert.Single(servers.Plain.MessagesContaining(before.ProviderMessageId!));
        Assert.Single(servers.Plain.MessagesContaining(after.ProviderMessageId!));

        // The manager's copy of the rejected message was not delivered either: nothing went past RCPT.
        Assert.Empty(servers.Plain.MessagesContaining(Work.OutboxMessageIds.For(toRejected.Message, "acme.example")));
    }

    [SmtpFact]
    public async Task A_rejected_copy_is_reported_but_the_customer_gets_the_message()
    {
        await using var channel = Channel(servers.Plain);

        var result = await channel.SendAsync(TestMail.Message(cc: [SmtpServers.RejectedManager, "not an address"]));

        Assert.True(result.Accepted);
        Assert.Contains($"Cc {SmtpServers.RejectedManager} rejected by the server: 550", result.Error, StringComparison.Ordinal);
        Assert.Contains("Cc 'not an address' left out", result.Error, StringComparison.Ordinal);
        var received = TestMail.Single(servers.Plain, result.ProviderMessageId!);
        Assert.Equal(["mario.rossi@cliente.example"], received.Recipients);
    }

    [SmtpFact]
    public async Task A_451_is_transient()
    {
        await using var atRcpt = Channel(servers.Plain);
        await using var atData = Channel(servers.Deferring);

        var deferredRecipient = await atRcpt.SendAsync(TestMail.Message(recipient: SmtpServers.Deferred));
        var deferredMessage = await atData.SendAsync(TestMail.Message());

        Assert.False(deferredRecipient.Accepted);
        Assert.False(deferredRecipient.Permanent);
        Assert.Contains("451", deferredRecipient.Error, StringComparison.Ordinal);
        Assert.False(deferredMessage.Accepted);
        Assert.False(deferredMessage.Permanent);
        Assert.Contains("451", deferredMessage.Error, StringComparison.Ordinal);
        Assert.Empty(servers.Deferring.Messages());
    }

    [SmtpFact]
    public async Task An_invalid_customer_address_is_permanent_and_names_the_record_and_field()
    {
        await using var channel = Channel(servers.Plain);
        var message = TestMail.Message(recipient: "mario.rossi@@cliente");

        var result = await channel.SendAsync(message);

        Assert.True(result.Permanent);
        Assert.Contains(message.Message.Id, result.Error, StringComparison.Ordinal);
        Assert.Contains("field Recipient", result.Error, StringComparison.Ordinal);
    }

    [SmtpFact]
    public async Task A_batch_reuses_the_connection_and_every_message_arrives_once()
    {
        await using var channel = Channel(servers.Plain);
        var ids = new List<string>();
        for (var i = 0; i < 20; i++)
        {
            var result = await channel.SendAsync(TestMail.Message(recipient: $"cliente{i}@cliente.example"));
            Assert.True(result.Accepted, result.Error);
            ids.Add(result.ProviderMessageId!);
        }

        Assert.Equal(20, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Single(servers.Plain.MessagesContaining(id)));
    }

    [SmtpFact]
    public async Task A_message_for_another_channel_is_refused()
    {
        await using var channel = Channel(servers.Plain);

        var result = await channel.SendAsync(TestMail.Message(channel: DeliveryChannel.Pec));

        Assert.True(result.Permanent);
        Assert.Contains("Pec channel, not Email", result.Error, StringComparison.Ordinal);
    }
}
