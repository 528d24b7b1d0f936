using UglyToad.PdfPig;

namespace CreditRecovery.Delivery.Letters.Tests;

public sealed class LetterBatchTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [FontFact]
    public async Task The_batch_has_a_summary_then_every_letter_page_in_customer_order()
    {
        var options = Letters.Options(_folder.Path);
        var channel = new PrintedLetterChannel(options);
        var longBody = string.Join("\n\n", Enumerable.Range(1, 30).Select(i => $"Riga {i}: il pagamento è scaduto da più di trenta giorni, la preghiamo di regolarizzare la posizione."));
        var sent = new[]
        {
            await channel.SendAsync(Letters.Message(customer: "C003", recipient: "Gamma Snc, Piazza Duomo, 1, 50122 Firenze (FI), IT")),
            await channel.SendAsync(Letters.Message(customer: "C001", body: longBody)),
            await channel.SendAsync(Letters.Message(customer: "C002", recipient: "Beta Srl\nVia Po 3\n10123 Torino (TO)")),
        };
        // Another day's letter stays out of this batch.
        await channel.SendAsync(Letters.Message(customer: "C004", date: Letters.Date.PlusDays(1)));

        var result = await new LetterBatch(options).CreateAsync(Letters.Date);

        Assert.NotNull(result.Path);
        Assert.Equal(Path.Combine(_folder.Path, "2026-11-24-batch.pdf"), result.Path);
        Assert.Equal(["C001", "C002", "C003"], result.Letters.Select(l => l.CustomerCode));
        var letterTexts = result.Letters
            .Select(l => Letters.PageTexts(File.ReadAllBytes(Path.Combine(_folder.Path, "2026-11-24", l.File))))
            .ToList();
        Assert.True(letterTexts[0].Count >= 2);

        var batch = Letters.PageTexts(await File.ReadAllBytesAsync(result.Path!));
        Assert.Equal(1 + letterTexts.Sum(t => t.Count), batch.Count);
        Assert.Equal(batch.Count, result.Pages);
        var expected = letterTexts.SelectMany(t => t).ToList();
        Assert.Equal(expected, batch.Skip(1));
        for (var i = 0; i < result.Letters.Count; i++)
        {
            Assert.Equal(letterTexts[i][0], batch[result.Letters[i].FirstPage - 1]);
        }

        var summary = batch[0];
        Assert.Contains("Lotto di stampa lettere del 24/11/2026", summary);
        Assert.Contains($"3 lettere, {expected.Count} pagine", summary);
        Assert.Contains("1 C001 Ferramenta Bianchi & Figli S.r.l.", summary);
        Assert.Contains("2 C002 Beta Srl 1 " + (2 + letterTexts[0].Count) + " 3.734,66 EUR", summary);
        Assert.Contains("3 C003 Gamma Snc", summary);
        Assert.DoesNotContain("C004", summary);
        Assert.All(sent, s => Assert.True(s.Accepted));
    }

    [FontFact]
    public async Task Duplex_padding_starts_every_letter_on_an_odd_page()
    {
        var options = Letters.Options(_folder.Path);
        options.PadBatchForDuplex = true;
        var channel = new PrintedLetterChannel(options);
        await channel.SendAsync(Letters.Message(customer: "C001"));
        await channel.SendAsync(Letters.Message(customer: "C002"));

        var result = await new LetterBatch(options).CreateAsync(Letters.Date);

        Assert.Equal([3, 5], result.Letters.Select(l => l.FirstPage));
        using var doc = PdfDocument.Open(await File.ReadAllBytesAsync(result.Path!));
        Assert.Equal(6, doc.NumberOfPages);
        Assert.Empty(doc.GetPage(2).Letters);
        Assert.Contains("C001", doc.GetPage(3).Text, StringComparison.Ordinal);
        Assert.Contains("C002", doc.GetPage(5).Text, StringComparison.Ordinal);
    }

    [FontFact]
    public async Task An_unreadable_file_is_left_out_and_named_while_the_rest_is_batched()
    {
        var options = Letters.Options(_folder.Path);
        var channel = new PrintedLetterChannel(options);
        await channel.SendAsync(Letters.Message(customer: "C001"));
        await File.WriteAllTextAsync(Path.Combine(_folder.Path, "2026-11-24", "C000-broken.pdf"), "not a pdf");

        var result = await new LetterBatch(options).CreateAsync(Letters.Date);

        Assert.Equal(["C001"], result.Letters.Select(l => l.CustomerCode));
        Assert.Contains(result.Skipped, s => s.StartsWith("C000-broken.pdf", StringComparison.Ordinal));
        var summary = Letters.PageTexts(await File.ReadAllBytesAsync(result.Path!))[0];
        Assert.Contains("File non inclusi", summary);
        Assert.Contains("C000-broken.pdf", summary);
    }

    [FontFact]
    public async Task A_day_without_letters_makes_no_batch()
    {
        var result = await new LetterBatch(Letters.Options(_folder.Path)).CreateAsync(Letters.Date);

        Assert.Null(result.Path);
        Assert.Empty(result.Letters);
        Assert.False(File.Exists(Path.Combine(_folder.Path, "2026-11-24-batch.pdf")));
    }
}
