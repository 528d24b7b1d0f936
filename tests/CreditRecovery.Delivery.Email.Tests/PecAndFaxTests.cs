using CreditRecovery.Procedures;

namespace CreditRecovery.Delivery.Email.Tests;

[Collection(SmtpCollection.Name)]
public sealed class PecAndFaxTests(SmtpServers servers)
{
    private PecChannel PecChannel() => new(
        TestMail.ServerOptions(servers.Implicit, new PecMailOptions
        {
            From = SmtpServers.PecAddress,
            Password = SmtpServers.PecPassword,
            AllowSelfSignedCertificate = true,
        }),
        TestMail.Clock());

    [SmtpFact]
    public async Task PEC_goes_over_TLS_with_the_mailbox_login_and_always_from_the_PEC_address()
    {
        await using var channel = PecChannel();
        var message = TestMail.Message(recipient: "amministrazione@pec.cliente.example", channel: DeliveryChannel.Pec, from: "crediti@acme.example", attachments: [TestMail.Pdf("diffida.pdf")]);

        var result = await channel.SendAsync(message);

        Assert.True(result.Accepted, result.Error);
        var received = TestMail.Single(servers.Implicit, result.ProviderMessageId!);
        Assert.True(received.Tls);
        Assert.Equal(SmtpServers.PecAddress, received.AuthenticatedUser);
        Assert.Equal(SmtpServers.PecAddress, received.MailFrom);
        var mime = TestMail.Parse(received);
        Assert.Equal(SmtpServers.PecAddress, Assert.Single(mime.From.Mailboxes).Address);
        Assert.Equal("ACME S.p.A.", Assert.Single(mime.From.Mailboxes).Name);
        Assert.Equal("amministrazione@pec.cliente.example", Assert.Single(mime.To.Mailboxes).Address);
        Assert.EndsWith("@pec.acme.example", mime.MessageId, StringComparison.Ordinal);
        Assert.Equal("diffida.pdf", Assert.Single(mime.Attachments).ContentDisposition?.FileName);
    }

    [SmtpFact]
    public async Task A_PEC_address_the_provider_rejects_is_permanent()
    {
        await using var channel = PecChannel();

        var result = await channel.SendAsync(TestMail.Message(recipient: SmtpServers.RejectedPec, channel: DeliveryChannel.Pec));

        Assert.True(result.Permanent);
        Assert.Contains("550 5.1.1", result.Error, StringComparison.Ordinal);
        Assert.Contains(SmtpServers.RejectedPec, result.Error, StringComparison.Ordinal);
    }

    [SmtpFact]
    public async Task PEC_never_falls_back_to_clear_text()
    {
        var options = TestMail.ServerOptions(servers.Plain, new PecMailOptions { From = SmtpServers.PecAddress, Password = "unused", Security = SmtpSecurity.StartTls });

        // The plain server offers no STARTTLS: a PEC channel never falls back to clear text.
        await using var channel = new PecChannel(options, TestMail.Clock());
        var result = await channel.SendAsync(TestMail.Message(recipient: SmtpServers.Rejected, channel: DeliveryChannel.Pec));

        Assert.False(result.Accepted);
        Assert.False(result.Permanent);
        Assert.Contains("StartTls", result.Error, StringComparison.Ordinal);
        Assert.Empty(servers.Plain.MessagesContaining(SmtpServers.PecAddress));
    }

    [SmtpFact]
    public async Task Fax_goes_to_the_gateway_address_as_text_with_only_the_PDF_attached()
    {
        var options = TestMail.ServerOptions(servers.Plain, new FaxGatewayOptions
        {
            Security = SmtpSecurity.None,
            AddressPattern = "{number}@fax.provider.example",
            From = "fax@acme.example",
        });
        await using var channel = new FaxGatewayChannel(options, TestMail.Clock());
        var message = TestMail.Message(
            recipient: "02/1234.5678",
            channel: DeliveryChannel.Fax,
            from: null,
            attachments: [TestMail.Pdf("sollecito.pdf"), new("logo.png", "image/png", new byte[] { 0x89, 0x50, 0x4E, 0x47 })]);

        var result = await channel.SendAsync(message);

        Assert.True(result.Accepted, result.Error);
        Assert.Contains("Attachment 'logo.png' (image/png) left out", result.Error, StringComparison.Ordinal);
        var received = TestMail.Single(servers.Plain, result.ProviderMessageId!);
        Assert.Equal(["+390212345678@fax.provider.example"], received.Recipients);
        Assert.Equal("fax@acme.example", received.MailFrom);
        var mime = TestMail.Parse(received);
        Assert.Null(mime.HtmlBody);
        Assert.Equal(message.Content.TextBody, mime.TextBody?.ReplaceLineEndings("\n"));
        Assert.Equal(["sollecito.pdf"], mime.Attachments.Select(a => a.ContentDisposition?.FileName));
    }

    [SmtpFact]
    public async Task Fax_without_a_PDF_is_text_only_and_a_bad_number_is_permanent()
    {
        var options = TestMail.ServerOptions(servers.Plain, new FaxGatewayOptions { Security = SmtpSecurity.None, AddressPattern = "fax-{number}@gateway.example" });
        await using var channel = new FaxGatewayChannel(options, TestMail.Clock());

        var textOnly = await channel.SendAsync(TestMail.Message(recipient: "+39 06 987654", channel: DeliveryChannel.Fax));
        var badNumber = await channel.SendAsync(TestMail.Message(recipient: "call the office", channel: DeliveryChannel.Fax));

        Assert.True(textOnly.Accepted, textOnly.Error);
        var mime = TestMail.Parse(TestMail.Single(servers.Plain, textOnly.ProviderMessageId!));
        Assert.Equal("fax-+3906987654@gateway.example", Assert.Single(mime.To.Mailboxes).Address);
        Assert.IsType<MimeKit.TextPart>(mime.Body);
        Assert.True(badNumber.Permanent);
        Assert.Contains("'call the office'", badNumber.Error, StringComparison.Ordinal);
        Assert.Contains("field Recipient", badNumber.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("02/1234.5678", FaxNumberFormat.InternationalPlus, "+390212345678")]
    [InlineData("+39 02 1234 5678", FaxNumberFormat.InternationalPlus, "+390212345678")]
    [InlineData("0039 (02) 12345678", FaxNumberFormat.InternationalDigits, "390212345678")]
    [InlineData("02-12345678", FaxNumberFormat.InternationalZeroZero, "00390212345678")]
    [InlineData("+39 02 12345678", FaxNumberFormat.National, "0212345678")]
    [InlineData("+41 91 123 45 67", FaxNumberFormat.National, "0041911234567")]
    [InlineData("+41 91 123 45 67", FaxNumberFormat.InternationalPlus, "+41911234567")]
    public void Fax_numbers_are_normalised(string written, FaxNumberFormat format, string expected)
    {
        var numbers = new FaxNumbers("39", format);

        Assert.Equal(expected, numbers.Normalize(written, out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("02 1234 5678 ext. 3")]
    [InlineData("+39 1234567890123456")]
    public void Unusable_fax_numbers_say_why(string written)
    {
        Assert.Null(new FaxNumbers("39", FaxNumberFormat.InternationalPlus).Normalize(written, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error));
    }
}
