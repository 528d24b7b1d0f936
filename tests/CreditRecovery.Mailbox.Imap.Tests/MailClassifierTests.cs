using CreditRecovery.Ports;
using CreditRecovery.Testing;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Mailbox.Imap.Tests;

/// <summary>Classification details that need no server: disagreements and unusual envelopes.</summary>
public sealed class MailClassifierTests
{
    private static readonly Instant Arrived = Instant.FromUtc(2026, 3, 22, 8, 0);

    private static ClassifiedMail Classify(MimeMessage message) =>
        MailClassifier.Classify(MimeMessage.Load(new MemoryStream(PecReceiptBuilder.ToBytes(message))), Arrived);

    [Fact]
    public void Header_and_daticert_naming_different_messages_keep_both_and_say_so()
    {
        var receipt = PecReceiptBuilder.Delivery("cr.a@pec.acme.it", "x@pec.example.it").WithoutReferenceHeader().Build();
        receipt.Headers.Add("X-Riferimento-Message-ID", "<cr.b@pec.acme.it>");

        var mail = Classify(receipt);

        Assert.Equal(InboundMailKind.PecDelivery, mail.Kind);
        Assert.Equal(["cr.b@pec.acme.it", "cr.a@pec.acme.it"], mail.References);
        Assert.Contains("differ", mail.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_X_Ricevuta_the_kind_comes_from_daticert_and_is_reported()
    {
        var receipt = PecReceiptBuilder.NonDelivery("cr.a@pec.acme.it", "x@pec.example.it", "Casella piena").Build();
        receipt.Headers.Remove("X-Ricevuta");

        var mail = Classify(receipt);

        Assert.Equal(InboundMailKind.PecNonDelivery, mail.Kind);
        Assert.StartsWith("Casella piena; ", mail.Error, StringComparison.Ordinal);
        Assert.Contains("no X-Ricevuta header", mail.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void X_Ricevuta_wins_over_a_disagreeing_daticert_and_the_disagreement_is_reported()
    {
        var receipt = PecReceiptBuilder.Acceptance("cr.a@pec.acme.it").Build();
        receipt.Headers.Replace("X-Ricevuta", "avvenuta-consegna");

        var mail = Classify(receipt);

        Assert.Equal(InboundMailKind.PecDelivery, mail.Kind);
        Assert.Contains("X-Ricevuta says 'avvenuta-consegna' but daticert.xml says 'accettazione'", mail.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rilevazione-virus", InboundMailKind.PecOther)]
    [InlineData("preavviso-errore-consegna", InboundMailKind.PecOther)]
    [InlineData("presa-in-carico", InboundMailKind.PecOther)]
    [InlineData("qualcosa-di-nuovo", InboundMailKind.PecOther)]
    [InlineData("AVVENUTA-CONSEGNA", InboundMailKind.PecDelivery)]
    public void Receipt_types_map_to_kinds(string type, InboundMailKind kind) =>
        Assert.Equal(kind, MailClassifier.KindOf(type));

    [Fact]
    public void An_anomaly_envelope_is_a_reply_with_an_error()
    {
        var inner = new MimeMessage { Subject = "Re: Sollecito", InReplyTo = "cr.a@pec.acme.it", Body = new TextPart("plain") { Text = "Pagato." } };
        inner.From.Add(MailboxAddress.Parse("cliente@example.it"));
        var envelope = PecReceiptBuilder.TransportEnvelope(inner).Build();
        envelope.Headers.Replace("X-Trasporto", "errore");

        var mail = Classify(envelope);

        Assert.Equal(InboundMailKind.Reply, mail.Kind);
        Assert.Equal(["cr.a@pec.acme.it"], mail.References);
        Assert.Equal("cliente@example.it", mail.From);
        Assert.Contains("anomaly envelope", mail.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_envelope_without_postacert_is_read_from_itself_with_the_certified_sender()
    {
        var inner = new MimeMessage { Subject = "Re: Sollecito", Body = new TextPart("plain") { Text = "x" } };
        inner.From.Add(MailboxAddress.Parse("cliente@pec.example.it"));
        var envelope = PecReceiptBuilder.TransportEnvelope(inner).Build();
        var mixed = Assert.IsType<Multipart>(envelope.Body);
        mixed.Remove(mixed.OfType<MessagePart>().Single());

        var mail = Classify(envelope);

        Assert.Equal(InboundMailKind.Reply, mail.Kind);
        Assert.Equal("cliente@pec.example.it", mail.From);
        Assert.Contains("no postacert.eml", mail.Error, StringComparison.Ordinal);
    }
}
