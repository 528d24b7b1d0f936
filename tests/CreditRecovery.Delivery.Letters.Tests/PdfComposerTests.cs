using CreditRecovery.Documents.Pdf;
using UglyToad.PdfPig;

namespace CreditRecovery.Delivery.Letters.Tests;

public sealed class PdfComposerTests
{
    [FontFact]
    public void Italian_accents_the_euro_sign_and_typographic_quotes_survive_a_round_trip()
    {
        using var pdf = new PdfComposer(TestFonts.Fonts);
        pdf.Heading("Perché è già così? Àncora, È, Ò");
        pdf.Paragraph("«Città» – “più” ‘però’ € 1.234,56 … ñ ü ß");

        var text = Letters.PageTexts(pdf.Build())[0];

        Assert.Contains("Perché è già così? Àncora, È, Ò", text);
        Assert.Contains("«Città» – “più” ‘però’ € 1.234,56 … ñ ü ß", text);
    }

    [FontFact]
    public void More_than_255_distinct_characters_are_all_printed()
    {
        var all = new string(Enumerable.Range(0x21, 0x24F - 0x21).Select(i => (char)i).Where(c => c != '\u00AD' && !char.IsControl(c) && TestFonts.Fonts.Supports(c)).ToArray());
        Assert.True(all.Length > 300);
        using var pdf = new PdfComposer(TestFonts.Fonts);
        pdf.Text(all);

        using var doc = PdfDocument.Open(pdf.Build());

        var letters = string.Concat(doc.GetPages().SelectMany(p => p.Letters).Select(l => l.Value));
        Assert.StartsWith(all, letters, StringComparison.Ordinal);
    }

    [FontFact]
    public void Characters_the_font_lacks_become_question_marks_and_control_characters_go()
    {
        using var pdf = new PdfComposer(TestFonts.Fonts);
        pdf.Paragraph("a\u0001b\tc 中 d 😀 e");

        Assert.Contains("ab c ? d ? e", Letters.PageTexts(pdf.Build())[0]);
    }

    [FontFact]
    public void A_long_table_breaks_across_pages_repeating_its_header_and_right_aligns_amounts()
    {
        using var pdf = new PdfComposer(TestFonts.Fonts, PdfPageSetup.A4 with { PageNumberFormat = "Pagina {0} di {1}", FooterText = "Rapporto" });
        pdf.Heading("Scadenze aperte");
        var table = new PdfTable(new PdfTableColumn("Cliente", 3), new PdfTableColumn("Residuo", 1, PdfAlign.Right));
        for (var i = 1; i <= 120; i++)
        {
            table.AddRow($"Cliente {i:000}", (i * 1000.5m).ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("it-IT")));
        }

        table.AddTotalRow("Totale", "7.263.630,00");
        pdf.Table(table);

        var bytes = pdf.Build();
        var pages = Letters.PageTexts(bytes);
        Assert.True(pages.Count >= 3);
        Assert.All(pages, p => Assert.StartsWith(p == pages[0] ? "Scadenze aperte Cliente Residuo" : "Cliente Residuo", p, StringComparison.Ordinal));
        Assert.All(pages.Select((p, i) => (p, i)), x => Assert.EndsWith($"Rapporto Pagina {x.i + 1} di {pages.Count}", x.p, StringComparison.Ordinal));
        var all = string.Join(" ", pages);
        for (var i = 1; i <= 120; i++)
        {
            Assert.Contains($"Cliente {i:000} ", all);
        }

        Assert.Contains("Totale 7.263.630,00", pages[^1]);

        // Right alignment: every amount ends at the same x (the right margin less the cell padding).
        using var doc = PdfDocument.Open(bytes);
        var ends = doc.GetPages()
            .SelectMany(p => p.GetWords())
            .Where(w => char.IsDigit(w.Text[0]) && w.Text.Contains(',', StringComparison.Ordinal))
            .Select(w => Math.Round(w.BoundingBox.Right, 0))
            .Distinct()
            .ToList();
        Assert.True(ends.Max() - ends.Min() <= 1, "amounts are not right-aligned: " + string.Join(", ", ends));
    }

    [FontFact]
    public void A_word_wider_than_the_line_is_broken_inside_it()
    {
        using var pdf = new PdfComposer(TestFonts.Fonts);
        var iban = string.Concat(Enumerable.Repeat("IT60X0542811101000000123456", 5));

        var lines = pdf.Wrap("IBAN: " + iban, 200);

        Assert.Equal("IBAN:", lines[0]);
        Assert.Equal(iban, string.Concat(lines.Skip(1)));
        Assert.All(lines, l => Assert.True(pdf.MeasureWidth(l) <= 200));
    }

    [Fact]
    public void An_unusable_page_setup_is_rejected_with_the_reason()
    {
        var fonts = TestFonts.Available ? TestFonts.Fonts : null;
        if (fonts is null)
        {
            Assert.Throws<PdfFontException>(PdfFonts.FindSystemFonts);
            return;
        }

        var error = Assert.Throws<ArgumentException>(() => new PdfComposer(fonts, PdfPageSetup.A4 with { MarginLeft = 300, MarginRight = 300 }));
        Assert.Contains("less than one inch", error.Message, StringComparison.Ordinal);
    }
}
