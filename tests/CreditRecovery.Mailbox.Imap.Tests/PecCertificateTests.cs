using System.Text;
using CreditRecovery.Testing;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CreditRecovery.Mailbox.Imap.Tests;

/// <summary>The <c>daticert.xml</c> reader, on documents the receipt builder writes and on broken ones.</summary>
public sealed class PecCertificateTests
{
    private static PecCertificate Parse(string xml) => PecCertificate.Parse(new MemoryStream(Encoding.UTF8.GetBytes(xml)));

    [Fact]
    public void A_delivery_certificate_is_read_in_full()
    {
        var xml = PecReceiptBuilder.Delivery("<cr.abc@pec.acme.it>", "debitore@pec.example.it")
            .From("solleciti@pec.acme.it").Subject("Messa in mora").Provider("Gestore S.p.A.", "pec.gestore.it")
            .CertifiedAt(new LocalDateTime(2026, 1, 15, 23, 30, 5).WithOffset(Offset.FromHours(1)))
            .DaticertXml();

        var certificate = Parse(xml);

        Assert.Contains("<!DOCTYPE postacert SYSTEM \"Postacert.dtd\">", xml, StringComparison.Ordinal);
        Assert.Empty(certificate.Problems);
        Assert.Equal("avvenuta-consegna", certificate.Type);
        Assert.Equal("nessuno", certificate.ErrorCode);
        Assert.Equal("solleciti@pec.acme.it", certificate.Sender);
        Assert.Equal(["debitore@pec.example.it"], certificate.Recipients);
        Assert.Equal("Messa in mora", certificate.Subject);
        Assert.Equal("Gestore S.p.A.", certificate.Provider);
        Assert.Equal("cr.abc@pec.acme.it", certificate.MessageId);
        Assert.Equal("completa", certificate.ReceiptForm);
        Assert.Equal("debitore@pec.example.it", certificate.Delivery);
        Assert.Equal(Instant.FromUtc(2026, 1, 15, 22, 30, 5), certificate.CertifiedAt);
    }

    [Property(MaxTest = 200)]
    public Property The_certified_time_reads_back_for_any_day_time_and_offset()
    {
        var instants = Gen.Choose(0, 20 * 365 * 24 * 60).Select(minutes => Instant.FromUtc(2015, 1, 1, 0, 0) + Duration.FromMinutes(minutes) + Duration.FromSeconds(minutes % 60));
        var offsets = Gen.Choose(-12 * 4, 14 * 4).Select(quarters => Offset.FromSeconds(quarters * 15 * 60));
        return Prop.ForAll(
            Arb.From(instants.Zip(offsets)),
            pair =>
            {
                var (instant, offset) = pair;
                var xml = PecReceiptBuilder.Acceptance("x@y").CertifiedAt(instant.WithOffset(offset)).DaticertXml();
                return Parse(xml).CertifiedAt == instant;
            });
    }

    [Fact]
    public void A_missing_zone_is_read_as_Italian_time_and_reported()
    {
        var certificate = Parse("<postacert tipo=\"accettazione\" errore=\"nessuno\"><dati><data><giorno>01/08/2026</giorno><ora>12:00:00</ora></data><msgid>&lt;a@b&gt;</msgid></dati></postacert>");

        Assert.Equal(Instant.FromUtc(2026, 8, 1, 10, 0), certificate.CertifiedAt);
        Assert.Contains(certificate.Problems, p => p.Contains("zona", StringComparison.Ordinal) && p.Contains("Europe/Rome", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("<postacert tipo=\"accettazione\"><dati>", "not well-formed")]
    [InlineData("<ricevuta/>", "root element 'ricevuta'")]
    [InlineData("<postacert><dati><msgid>a@b</msgid></dati></postacert>", "no 'tipo' attribute")]
    [InlineData("<postacert tipo=\"accettazione\"/>", "no 'dati' element")]
    [InlineData("<postacert tipo=\"accettazione\"><dati><data zona=\"+0100\"><giorno>31/02/2026</giorno><ora>10:00:00</ora></data></dati></postacert>", "'dati/data/giorno' is '31/02/2026'")]
    [InlineData("<postacert tipo=\"accettazione\"><dati><data zona=\"+0100\"><giorno>01/02/2026</giorno><ora>25:00</ora></data></dati></postacert>", "'dati/data/ora' is '25:00'")]
    public void Broken_documents_give_a_problem_naming_the_element(string xml, string problem)
    {
        var certificate = Parse(xml);

        Assert.Contains(certificate.Problems, p => p.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void External_entities_are_never_resolved()
    {
        var secret = Path.GetTempFileName();
        File.WriteAllText(secret, "SECRET-CONTENT");
        try
        {
            var certificate = Parse($"<?xml version=\"1.0\"?><!DOCTYPE postacert [<!ENTITY x SYSTEM \"file://{secret}\">]><postacert tipo=\"accettazione\"><dati><msgid>&x;</msgid></dati></postacert>");

            Assert.NotEqual("SECRET-CONTENT", certificate.MessageId);
            Assert.NotEmpty(certificate.Problems);
        }
        finally
        {
            File.Delete(secret);
        }
    }
}
