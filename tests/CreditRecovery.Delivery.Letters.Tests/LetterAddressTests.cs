namespace CreditRecovery.Delivery.Letters.Tests;

public sealed class LetterAddressTests
{
    [Theory]
    [InlineData("Mario Rossi, Via Roma 1, 00184 Roma (RM), IT", "Mario Rossi|Via Roma 1|00184 Roma (RM)")]
    [InlineData("Rossi, Bianchi & C. S.n.c., Via Roma, 12, 20121 Milano (MI), IT", "Rossi, Bianchi & C. S.n.c.|Via Roma, 12|20121 Milano (MI)")]
    [InlineData("Alpha GmbH, Hauptstrasse 5, 80331 München, DE", "Alpha GmbH|Hauptstrasse 5|80331 München|DE")]
    [InlineData("Beta Srl\n Via Po 3 \n\n10123 Torino (TO)", "Beta Srl|Via Po 3|10123 Torino (TO)")]
    [InlineData("Solo nome", "Solo nome")]
    [InlineData("Gamma, Loc. Pian di Mezzo, snc, 53100 Siena (SI), IT", "Gamma|Loc. Pian di Mezzo, snc|53100 Siena (SI)")]
    public void Recipient_becomes_address_lines(string recipient, string expected)
    {
        Assert.Equal(expected.Split('|'), LetterAddress.Lines(recipient));
    }

    [Fact]
    public void A_blank_recipient_has_no_lines() => Assert.Empty(LetterAddress.Lines(" "));
}
