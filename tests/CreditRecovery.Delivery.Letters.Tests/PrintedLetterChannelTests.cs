using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using UglyToad.PdfPig;

namespace CreditRecovery.Delivery.Letters.Tests;

public sealed class PrintedLetterChannelTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [FontFact]
    public async Task The_letter_read_back_shows_sender_addressee_subject_body_and_installments_in_italian_format()
    {
        var channel = new PrintedLetterChannel(Letters.Options(_folder.Path));
        var message = Letters.Message();

        var result = await channel.SendAsync(message);

        Assert.True(result.Accepted, result.Error);
        Assert.Equal(channel.PathFor(message.Message), result.ProviderMessageId);
        var text = string.Join(" ", Letters.PageTexts(await File.ReadAllBytesAsync(result.ProviderMessageId!)));
        Assert.Contains("ACME S.p.A.", text);
        Assert.Contains("P.IVA IT01234567890", text);
        Assert.Contains("Spett.le Ferramenta Bianchi & Figli S.r.l. Via Garibaldi, 7 20121 Milano (MI)", text);
        Assert.Contains("Milano, 24 novembre 2026", text);
        Assert.Contains("Codice cliente: C001", text);
        Assert.Contains("Oggetto: Sollecito di pagamento – fatture scadute", text);
        Assert.Contains("ci risulta che le fatture elencate qui sotto non sono ancora state saldate.", text);
        Assert.Contains("entro più presto possibile.", text);
        Assert.Contains("FT-2026/118 30/09/2026 1 15/10/2026 1.234,56 1.234,56", text);
        Assert.Contains("FT-2026/131 30/09/2026 1 20/10/2026 5.000,00 2.500,10", text);
        Assert.Contains("Totale 6.234,56 3.734,66", text);
        Assert.Contains("Residuo (EUR)", text);
        Assert.Contains("Pagina 1 di 1", text);
        Assert.DoesNotContain(" IT ", text.Replace("P.IVA IT", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [FontFact]
    public async Task A_long_body_wraps_onto_a_second_page_with_page_numbers()
    {
        var channel = new PrintedLetterChannel(Letters.Options(_folder.Path));
        var paragraph = "Questa è una frase piuttosto lunga che serve a riempire la pagina, così da verificare che il testo vada a capo " +
            "tra le parole e prosegua sulla pagina successiva quando lo spazio è finito.";
        var body = string.Join("\n\n", Enumerable.Range(1, 25).Select(i => $"Paragrafo {i}. {paragraph}"));

        var result = await channel.SendAsync(Letters.Message(body: body));

        Assert.True(result.Accepted, result.Error);
        var pages = Letters.PageTexts(await File.ReadAllBytesAsync(result.ProviderMessageId!));
        Assert.True(pages.Count >= 2, $"expected at least two pages, got {pages.Count}");
        Assert.Contains($"Pagina 1 di {pages.Count}", pages[0]);
        Assert.Contains($"Pagina {pages.Count} di {pages.Count}", pages[^1]);
        Assert.Contains("Paragrafo 1.", pages[0]);
        Assert.Contains("Paragrafo 25.", pages[^1]);
        Assert.Contains("Totale", pages[^1]);

        // Every paragraph is printed whole and in order, across the page break (the footer left out).
        var all = string.Join(" ", pages.Select((p, i) => p[..p.LastIndexOf($"ACME S.p.A. Pagina {i + 1} di", StringComparison.Ordinal)].TrimEnd()));
        var last = -1;
        for (var i = 1; i <= 25; i++)
        {
            var at = all.IndexOf($"Paragrafo {i}. {paragraph}", StringComparison.Ordinal);
            Assert.True(at > last, $"paragraph {i} missing or out of order");
            last = at;
        }

        // Wrapped lines stay inside the right margin (20 mm on A4).
        using var doc = PdfDocument.Open(await File.ReadAllBytesAsync(result.ProviderMessageId!));
        foreach (var page in doc.GetPages())
        {
            Assert.All(page.Letters, l => Assert.True(l.EndBaseLine.X <= page.Width - 56, $"'{l.Value}' at {l.EndBaseLine.X} crosses the margin"));
        }
    }

    [FontFact]
    public async Task The_same_outbox_message_twice_writes_one_file_once()
    {
        var channel = new PrintedLetterChannel(Letters.Options(_folder.Path));
        var message = Letters.Message();

        var first = await channel.SendAsync(message);
        var written = await File.ReadAllBytesAsync(first.ProviderMessageId!);
        var again = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => channel.SendAsync(message).AsTask()));

        Assert.All(again, r => Assert.Equal(first, r));
        var files = Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories);
        Assert.Single(files);
        Assert.Equal(Path.Combine(_folder.Path, "2026-11-24"), Path.GetDirectoryName(files[0]));
        Assert.Matches("^C001-[0-9a-f]{16}\\.pdf$", Path.GetFileName(files[0]));
        Assert.Equal(written, await File.ReadAllBytesAsync(files[0]));
    }

    [FontFact]
    public async Task Concurrent_first_attempts_of_one_message_leave_one_file_and_no_temporary_files()
    {
        var channel = new PrintedLetterChannel(Letters.Options(_folder.Path));
        var message = Letters.Message(customer: "C/9 ?");

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => channel.SendAsync(message).AsTask())));

        Assert.All(results, r => Assert.True(r.Accepted, r.Error));
        var files = Directory.GetFiles(_folder.Path, "*", SearchOption.AllDirectories);
        Assert.Single(files);
        Assert.StartsWith("C_9__-", Path.GetFileName(files[0]), StringComparison.Ordinal);
        Assert.Contains("Codice cliente: C/9 ?", string.Join(" ", Letters.PageTexts(await File.ReadAllBytesAsync(files[0]))));
    }

    [FontFact]
    public async Task Different_steps_and_companies_for_one_customer_are_different_files()
    {
        var channel = new PrintedLetterChannel(Letters.Options(_folder.Path));

        var a = await channel.SendAsync(Letters.Message(step: "dun1"));
        var b = await channel.SendAsync(Letters.Message(step: "dun2"));
        var c = await channel.SendAsync(Letters.Message(company: "BETA"));

        Assert.Equal(3, new[] { a.ProviderMessageId, b.ProviderMessageId, c.ProviderMessageId }.Distinct().Count());
        var beta = string.Join(" ", Letters.PageTexts(await File.ReadAllBytesAsync(c.ProviderMessageId!)));
        Assert.Contains("ACME S.p.A.", beta); // no letterhead for BETA: the message's FromName signs it
        Assert.Contains("amministrazione@acme.example", beta);
    }

    [FontFact]
    public async Task A_letter_without_a_postal_address_fails_permanently_naming_the_message()
    {
        var channel = new PrintedLetterChannel(Letters.Options(_folder.Path));
        var message = Letters.Message(recipient: "  ");

        var result = await channel.SendAsync(message);

        Assert.False(result.Accepted);
        Assert.True(result.Permanent);
        Assert.Contains(message.Message.Id, result.Error, StringComparison.Ordinal);
        Assert.Contains("Recipient", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_folder.Path, "2026-11-24")) && Directory.EnumerateFiles(Path.Combine(_folder.Path, "2026-11-24")).Any());
    }

    [FontFact]
    public async Task Amounts_in_two_currencies_get_one_total_each()
    {
        var channel = new PrintedLetterChannel(Letters.Options(_folder.Path));
        var usd = Letters.Line("INV-9", 100m, 99.5m) with { OriginalAmount = new Money(100m, "USD"), Residual = new Money(99.5m, "USD") };
        var message = Letters.Message(lines: [Letters.Line("FT-1", 10m, 10m), usd]);

        var result = await channel.SendAsync(message);

        Assert.True(result.Accepted, result.Error);
        var text = string.Join(" ", Letters.PageTexts(await File.ReadAllBytesAsync(result.ProviderMessageId!)));
        Assert.Contains("Totale 10,00 EUR 10,00 EUR", text);
        Assert.Contains("Totale 100,00 USD 99,50 USD", text);
    }

    [FontFact]
    public async Task AddPrintedLetters_registers_the_channel_and_the_batch()
    {
        var services = new ServiceCollection();
        services.AddPrintedLetters(o => o.OutputFolder = _folder.Path);
        await using var provider = services.BuildServiceProvider();

        var channel = Assert.Single(provider.GetServices<IMessageChannel>());
        Assert.Equal(DeliveryChannel.Letter, channel.Channel);
        Assert.Same(provider.GetRequiredService<PrintedLetterChannel>(), channel);
        Assert.NotNull(provider.GetRequiredService<LetterBatch>());
    }

    [Fact]
    public async Task Options_without_an_output_folder_or_with_a_missing_font_are_rejected_with_clear_messages()
    {
        var services = new ServiceCollection();
        services.AddPrintedLetters(o =>
        {
            o.OutputFolder = " ";
            o.RegularFontPath = "/nonexistent/font.ttf";
        });
        await using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<PrintedLetterChannel>());

        Assert.Contains(error.Failures, f => f.Contains("OutputFolder is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("/nonexistent/font.ttf", StringComparison.Ordinal));
    }
}
