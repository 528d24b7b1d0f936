using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Delivery.Email.Tests;

public sealed class PickupFolderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "cr-pickup-" + Guid.NewGuid().ToString("N")[..12]);

    public void Dispose()
    {
        if (Directory.Exists(_folder))
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private PickupFolderChannel Channel(DeliveryChannel channel = DeliveryChannel.Email) =>
        new(channel, new PickupFolderOptions { Folder = _folder }, TestMail.Clock());

    [Fact]
    public async Task Each_message_is_an_eml_file_named_from_its_Message_ID_that_MimeKit_reads_back()
    {
        var channel = Channel();
        var message = TestMail.Message(cc: ["responsabile.crediti@acme.example"], attachments: [TestMail.Pdf()]);

        var result = await channel.SendAsync(message);

        Assert.True(result.Accepted, result.Error);
        var file = Assert.Single(Directory.GetFiles(_folder));
        Assert.Equal(Path.Combine(_folder, PickupFolderChannel.FileNameFor(result.ProviderMessageId!)), file);
        Assert.StartsWith("cr.", Path.GetFileName(file), StringComparison.Ordinal);
        Assert.EndsWith(".eml", file, StringComparison.Ordinal);
        var mime = TestMail.Load(file);
        Assert.Equal(result.ProviderMessageId, mime.MessageId);
        Assert.Equal("mario.rossi@cliente.example", Assert.Single(mime.To.Mailboxes).Address);
        Assert.Equal("responsabile.crediti@acme.example", Assert.Single(mime.Cc.Mailboxes).Address);
        Assert.Equal("Sollecito di pagamento – fattura 2026/17", mime.Subject);
        Assert.Equal(message.Content.TextBody, mime.TextBody?.ReplaceLineEndings("\n"));
        Assert.Equal("fattura-2026-17.pdf", Assert.Single(mime.Attachments).ContentDisposition?.FileName);
        Assert.Equal(message.Message.Id, mime.Headers[OutgoingMailBuilder.OutboxIdHeader]);

        // Written for any relay: 7-bit clean.
        Assert.All(File.ReadAllBytes(file), b => Assert.True(b < 0x80));
    }

    [Fact]
    public async Task The_same_outbox_message_twice_is_one_file_and_the_first_one_is_kept()
    {
        var channel = Channel();
        var id = TestMail.NewId("idem");
        var first = await channel.SendAsync(TestMail.Message(id: id));
        var written = File.ReadAllBytes(Assert.Single(Directory.GetFiles(_folder)));

        var clock = new NodaTime.Testing.FakeClock(TestMail.Now.Plus(Duration.FromHours(3)));
        var again = await new PickupFolderChannel(DeliveryChannel.Email, new PickupFolderOptions { Folder = _folder }, clock).SendAsync(TestMail.Message(id: id));
        await channel.SendAsync(TestMail.Message());

        Assert.True(first.Accepted && again.Accepted);
        Assert.Equal(first.ProviderMessageId, again.ProviderMessageId);
        Assert.Equal(2, Directory.GetFiles(_folder).Length);
        Assert.Equal(written, File.ReadAllBytes(Path.Combine(_folder, PickupFolderChannel.FileNameFor(first.ProviderMessageId!))));
    }

    [Fact]
    public async Task Concurrent_writers_of_the_same_message_leave_one_complete_file_and_no_temporary_files()
    {
        var channel = Channel();
        var id = TestMail.NewId("race");

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(async () => await channel.SendAsync(TestMail.Message(id: id, attachments: [TestMail.Pdf()])))));

        Assert.All(results, r => Assert.True(r.Accepted, r.Error));
        var file = Assert.Single(Directory.GetFiles(_folder, "*", SearchOption.AllDirectories));
        Assert.Equal(results[0].ProviderMessageId, TestMail.Load(file).MessageId);
    }

    [Fact]
    public async Task Fax_and_PEC_stand_ins_write_what_the_real_channel_would_send()
    {
        var fax = await Channel(DeliveryChannel.Fax).SendAsync(TestMail.Message(recipient: "02 1234 5678", channel: DeliveryChannel.Fax));
        var pec = await Channel(DeliveryChannel.Pec).SendAsync(TestMail.Message(recipient: "amministrazione@pec.cliente.example", channel: DeliveryChannel.Pec));

        var faxMail = TestMail.Load(Path.Combine(_folder, PickupFolderChannel.FileNameFor(fax.ProviderMessageId!)));
        Assert.Equal("+390212345678@fax.invalid", Assert.Single(faxMail.To.Mailboxes).Address);
        Assert.Null(faxMail.HtmlBody);
        Assert.Equal("Fax", faxMail.Headers[OutgoingMailBuilder.ChannelHeader]);
        var pecMail = TestMail.Load(Path.Combine(_folder, PickupFolderChannel.FileNameFor(pec.ProviderMessageId!)));
        Assert.Equal("amministrazione@pec.cliente.example", Assert.Single(pecMail.To.Mailboxes).Address);
        Assert.Equal("Pec", pecMail.Headers[OutgoingMailBuilder.ChannelHeader]);
    }

    [Fact]
    public async Task An_unwritable_folder_is_a_transient_failure()
    {
        File.WriteAllText(_folder, "a file where the folder should be");
        try
        {
            var result = await Channel().SendAsync(TestMail.Message());

            Assert.False(result.Accepted);
            Assert.False(result.Permanent);
            Assert.Contains(_folder, result.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(_folder);
        }
    }

    [Fact]
    public void File_names_are_safe_and_distinct_for_Message_IDs_that_differ_only_in_case()
    {
        var upper = PickupFolderChannel.FileNameFor("cr.QUJD@acme.example");
        var lower = PickupFolderChannel.FileNameFor("cr.qujd@acme.example");
        var odd = PickupFolderChannel.FileNameFor("a/b\\c:d*e?<f>|g@x.example");

        Assert.NotEqual(upper.ToLowerInvariant(), lower.ToLowerInvariant());
        Assert.DoesNotContain(odd, c => Path.GetInvalidFileNameChars().Contains(c) || c is '\\' or ':' or '*' or '?' or '<' or '>' or '|');
        Assert.True(PickupFolderChannel.FileNameFor(new string('x', 1000) + "@acme.example").Length < 200);
    }

    [Fact]
    public async Task AddPickupFolder_registers_one_channel_per_stand_in_next_to_other_channels()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(TestMail.Clock());
        services.AddPickupFolder(o => o.Folder = _folder);
        services.AddSmtpEmail(o =>
        {
            o.Host = "smtp.acme.example";
            o.UserName = "mailer";
            o.Password = "x";
        });
        await using var provider = services.BuildServiceProvider();

        var channels = provider.GetServices<IMessageChannel>().ToList();

        Assert.Equal(
            [(DeliveryChannel.Email, typeof(PickupFolderChannel)), (DeliveryChannel.Pec, typeof(PickupFolderChannel)), (DeliveryChannel.Fax, typeof(PickupFolderChannel)), (DeliveryChannel.Email, typeof(SmtpEmailChannel))],
            channels.Select(c => (c.Channel, c.GetType())));
        var email = channels.First(c => c.Channel == DeliveryChannel.Email);
        Assert.True((await email.SendAsync(TestMail.Message())).Accepted);
        Assert.Single(Directory.GetFiles(_folder));
    }
}
