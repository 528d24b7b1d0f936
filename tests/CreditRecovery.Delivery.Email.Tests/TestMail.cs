using CreditRecovery.Delivery.Email;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing.Smtp;
using CreditRecovery.Work;
using MimeKit;
using NodaTime;
using NodaTime.Testing;

namespace CreditRecovery.Delivery.Email.Tests;

/// <summary>Outgoing messages and channel options for the tests.</summary>
internal static class TestMail
{
    public static readonly Instant Now = Instant.FromUtc(2026, 3, 16, 9, 30);

    public static FakeClock Clock() => new(Now);

    /// <summary>A unique outbox id per call, so tests sharing a server find their own messages.</summary>
    public static string NewId(string prefix = "msg") => $"ACME/{prefix}/{Guid.NewGuid():N}";

    public static OutgoingMessage Message(
        string recipient = "mario.rossi@cliente.example",
        DeliveryChannel channel = DeliveryChannel.Email,
        string? id = null,
        IReadOnlyList<string>? cc = null,
        string? html = "<p>Gentile cliente, risultano <b>1.234,56 €</b> scaduti.</p>",
        IReadOnlyList<MessageAttachment>? attachments = null,
        string? from = "crediti@acme.example",
        string? replyTo = "ufficio.crediti@acme.example") =>
        new(
            new OutboxMessage
            {
                Id = id ?? NewId(),
                Company = new CompanyId("ACME"),
                CustomerCode = "C001",
                Channel = channel,
                TemplateId = "dunning-1",
                ProcedureId = "standard",
                StepId = "dunning-1",
                StepName = "1st dunning",
                BusinessDate = new LocalDate(2026, 3, 16),
                CreatedAt = Now,
                Recipient = recipient,
                Cc = cc ?? [],
                Lines = [],
                Why = "test",
            },
            new RenderedMessage("Sollecito di pagamento – fattura 2026/17", "Gentile cliente,\nrisultano 1.234,56 € scaduti.\n", html),
            from,
            replyTo)
        {
            FromName = "ACME S.p.A.",
            Attachments = attachments ?? [],
        };

    public static MessageAttachment Pdf(string name = "fattura-2026-17.pdf") =>
        new(name, "application/pdf", "%PDF-1.4\n% test invoice\n%%EOF\n"u8.ToArray());

    public static T ServerOptions<T>(SmtpTestServer server, T options)
        where T : SmtpServerOptions
    {
        options.Host = server.Host;
        options.Port = server.Port;
        options.Timeout = TimeSpan.FromSeconds(10);
        return options;
    }

    public static MimeMessage Parse(ReceivedMail mail)
    {
        using var stream = new MemoryStream(mail.Raw);
        return MimeMessage.Load(stream);
    }

    public static MimeMessage Load(string file) => MimeMessage.Load(file);

    /// <summary>The one message the server received with this Message-ID.</summary>
    public static ReceivedMail Single(SmtpTestServer server, string messageId) => Assert.Single(server.MessagesContaining(messageId));
}
