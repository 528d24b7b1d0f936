using CreditRecovery.Procedures;
using CreditRecovery.Work;
using MimeKit;

namespace CreditRecovery.Delivery.Email.Tests;

public sealed class OutgoingMailBuilderTests
{
    private static readonly MailBuildSettings Email = new() { Channel = DeliveryChannel.Email };

    private static OutgoingMail Built(Ports.OutgoingMessage message, MailBuildSettings? settings = null)
    {
        var result = new OutgoingMailBuilder(TestMail.Clock()).Build(message, settings ?? Email);
        Assert.Null(result.Failure);
        return result.Mail!;
    }

    private static Ports.DeliveryResult Failed(Ports.OutgoingMessage message, MailBuildSettings? settings = null)
    {
        var result = new OutgoingMailBuilder(TestMail.Clock()).Build(message, settings ?? Email);
        Assert.Null(result.Mail);
        return result.Failure!;
    }

    [Fact]
    public void The_Message_ID_is_the_outbox_id_on_the_senders_domain_or_the_configured_one()
    {
        var message = TestMail.Message();

        var fromSender = Built(message);
        var configured = Built(message, Email with { MessageIdDomain = "mail.acme.example" });

        Assert.Equal(OutboxMessageIds.For(message.Message, "acme.example"), fromSender.MessageId);
        Assert.Equal(OutboxMessageIds.For(message.Message, "mail.acme.example"), configured.MessageId);
        Assert.Equal(fromSender.MessageId, Built(message).MessageId);
        Assert.Equal("<" + fromSender.MessageId + ">", fromSender.Message.Headers[HeaderId.MessageId]);
    }

    [Fact]
    public void Several_customer_addresses_are_all_recipients_and_copies_are_not_repeated()
    {
        var message = TestMail.Message(
            recipient: "amministrazione@cliente.example; Mario.Rossi@cliente.example, mario.rossi@cliente.example",
            cc: ["responsabile@acme.example", "RESPONSABILE@acme.example", "amministrazione@cliente.example"]);

        var mail = Built(message);

        Assert.Equal(["amministrazione@cliente.example", "Mario.Rossi@cliente.example"], mail.To.Select(m => m.Address));
        Assert.Equal(["responsabile@acme.example"], mail.Cc.Select(m => m.Address));
        Assert.Equal(mail.To.Concat(mail.Cc), mail.Recipients);
    }

    [Fact]
    public void A_line_break_in_the_subject_cannot_add_a_header()
    {
        var message = TestMail.Message() with { Content = new("Sollecito\r\nBcc: victim@example.com", "text") };

        var mail = Built(message);

        Assert.Equal("Sollecito Bcc: victim@example.com", mail.Message.Subject);
        Assert.Empty(mail.Message.Bcc);
    }

    [Fact]
    public void An_operator_subject_replaces_the_template_subject()
    {
        var message = TestMail.Message();
        message = message with { Message = message.Message with { OperatorSubject = "Comunicazione importante" } };

        Assert.Equal("Comunicazione importante", Built(message).Message.Subject);
    }

    [Fact]
    public void A_missing_or_invalid_sender_is_a_transient_configuration_problem()
    {
        var none = Failed(TestMail.Message(from: null));
        var invalid = Failed(TestMail.Message(from: "crediti at acme"));
        var fallback = Built(TestMail.Message(from: null), Email with { From = "noreply@acme.example", FromName = "ACME" });

        Assert.False(none.Permanent);
        Assert.Contains("has no sender", none.Error, StringComparison.Ordinal);
        Assert.False(invalid.Permanent);
        Assert.Contains("'crediti at acme'", invalid.Error, StringComparison.Ordinal);
        Assert.Equal("noreply@acme.example", fallback.Sender.Address);
        Assert.Equal("ACME S.p.A.", fallback.Sender.Name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("mario.rossi")]
    [InlineData("mario rossi@cliente.example")]
    [InlineData("mario.rossi@cliente")]
    [InlineData("mario.rossi@cliente.example\r\nBcc: x@y.example")]
    public void An_invalid_customer_address_is_permanent(string recipient)
    {
        var failure = Failed(TestMail.Message(recipient: recipient));

        Assert.True(failure.Permanent);
        Assert.Contains("field Recipient", failure.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Attachment_names_cannot_carry_a_path()
    {
        var mail = Built(TestMail.Message(attachments: [new("../../etc/passwd.pdf", "application/pdf", new byte[] { 1 }), new("", "bogus type", new byte[] { 2 })]));

        var names = mail.Message.Attachments.Select(a => a.ContentDisposition?.FileName).ToList();
        Assert.Equal(["passwd.pdf", "attachment-2"], names);
        Assert.Equal("application/octet-stream", mail.Message.Attachments.Last().ContentType.MimeType);
    }
}
