using System.Globalization;
using System.Text;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.Writer;

namespace CreditRecovery.Documents.Pdf;

/// <summary>
/// Composes a PDF top to bottom: headings, word-wrapped paragraphs and tables flow down the page and onto new pages;
/// <see cref="PlaceText"/> puts a block at a fixed position (a letterhead, an address in an envelope's window). Page
/// numbers and the footer are added by <see cref="Build"/>, when the page count is known. One composer makes one
/// document; it is not thread-safe.
/// </summary>
/// <remarks>
/// Positions are in points (1/72 inch, see <see cref="PdfUnits.Mm"/>) measured from the page's top-left corner.
/// Text is drawn with the embedded <see cref="PdfFonts"/>; a character the font lacks is printed as <c>?</c>, tabs as a
/// space, other control characters are dropped. PdfPig encodes at most 255 distinct characters per embedded font, so the
/// composer starts another copy of the font when a document uses more.
/// </remarks>
public sealed class PdfComposer : IDisposable
{
    private const int MaxCharactersPerFont = 250;
    private const double Ascent = 0.93;

    private readonly PdfDocumentBuilder _builder = new();
    private readonly List<PdfPageBuilder> _pages = [];
    private readonly FontSlots _regular;
    private readonly FontSlots _bold;
    private PdfPageBuilder? _page;
    private double _y;
    private bool _built;

    /// <summary>Starts a document.</summary>
    /// <param name="fonts">The fonts to embed.</param>
    /// <param name="setup">Page size, margins and footer; default <see cref="PdfPageSetup.A4"/>.</param>
    /// <exception cref="ArgumentException">The setup is not usable (the message says why).</exception>
    public PdfComposer(PdfFonts fonts, PdfPageSetup? setup = null)
    {
        ArgumentNullException.ThrowIfNull(fonts);
        Setup = setup ?? PdfPageSetup.A4;
        var errors = Setup.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException("Invalid page setup: " + string.Join(" ", errors), nameof(setup));
        }

        Fonts = fonts;
        _regular = new FontSlots(_builder, fonts.Bytes(bold: false));
        _bold = new FontSlots(_builder, fonts.Bytes(bold: true));
        _y = Setup.MarginTop;
    }

    /// <summary>The page setup.</summary>
    public PdfPageSetup Setup { get; }

    /// <summary>The fonts.</summary>
    public PdfFonts Fonts { get; }

    /// <summary>Pages so far (the current one included).</summary>
    public int PageCount => _pages.Count;

    /// <summary>Where the next flowing element starts: points from the top of the current page.</summary>
    public double Cursor => _y;

    /// <summary>The width between the margins.</summary>
    public double ContentWidth => Setup.ContentWidth;

    /// <summary>The document's title (PDF document information).</summary>
    public string? Title { get; set; }

    /// <summary>The document's author (PDF document information).</summary>
    public string? Author { get; set; }

    /// <summary>The document's subject (PDF document information).</summary>
    public string? Subject { get; set; }

    /// <summary>Extra PDF document-information entries (ASCII keys), e.g. for a program that reads the file back.</summary>
    public IDictionary<string, string> Metadata { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    private double Bottom => Setup.Height - Setup.MarginBottom;

    /// <summary>A heading: bold, larger for lower levels, kept on the page with the two lines that follow it.</summary>
    /// <param name="text">The heading.</param>
    /// <param name="level">1 (largest) to 3.</param>
    public void Heading(string text, int level = 1)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 3);
        var size = Setup.FontSize * level switch { 1 => 1.6, 2 => 1.3, _ => 1.1 };
        var style = new PdfTextStyle(size, Bold: true);
        var lines = Wrap(text, ContentWidth, style);
        if (_y > Setup.MarginTop + 0.01)
        {
            _y += size * 0.5;
        }

        EnsureSpace((lines.Count * LineHeight(size)) + (2 * LineHeight(Setup.FontSize)));
        WriteLines(lines, style, Setup.MarginLeft, ContentWidth);
        _y += size * 0.3;
    }

    /// <summary>A paragraph: wrapped text followed by paragraph spacing.</summary>
    /// <param name="text">The text; <c>\n</c> breaks a line, an empty line leaves one blank line.</param>
    /// <param name="style">The style; default body text.</param>
    public void Paragraph(string text, PdfTextStyle? style = null)
    {
        Text(text, style);
        _y += Setup.ParagraphSpacing * Setup.FontSize;
    }

    /// <summary>Wrapped text at the cursor, breaking onto new pages as needed, without paragraph spacing after it.</summary>
    /// <param name="text">The text; <c>\n</c> breaks a line, an empty line leaves one blank line.</param>
    /// <param name="style">The style; default body text.</param>
    /// <param name="indent">Distance from the left margin, in points.</param>
    /// <param name="width">The width to wrap at; default the rest of the line.</param>
    public void Text(string text, PdfTextStyle? style = null, double indent = 0, double? width = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        style ??= PdfTextStyle.Body;
        var w = width ?? (ContentWidth - indent);
        WriteLines(Wrap(text, w, style), style, Setup.MarginLeft + indent, w);
    }

    /// <summary>
    /// Puts wrapped text at a fixed place on the current page (starting the first page if needed), without moving the
    /// cursor or breaking pages: a letterhead, an address block.
    /// </summary>
    /// <param name="text">The text; <c>\n</c> breaks a line.</param>
    /// <param name="left">Points from the page's left edge.</param>
    /// <param name="top">Points from the page's top edge to the top of the first line.</param>
    /// <param name="width">The width to wrap at.</param>
    /// <param name="style">The style; default body text.</param>
    /// <returns>Points from the page's top edge to the bottom of the last line.</returns>
    public double PlaceText(string text, double left, double top, double width, PdfTextStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        style ??= PdfTextStyle.Body;
        var page = CurrentPage();
        var size = SizeOf(style);
        var y = top;
        foreach (var line in Wrap(text, width, style))
        {
            DrawAligned(page, line, left, width, y, style);
            y += LineHeight(size);
        }

        return y;
    }

    /// <summary>A table at the cursor; rows that do not fit go to the next page, under a repeated header.</summary>
    /// <param name="table">The table.</param>
    public void Table(PdfTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var size = table.FontSize ?? Math.Max(Setup.FontSize - 1, 4);
        const double padX = 3;
        const double padY = 2.5;
        var total = table.Columns.Sum(c => c.Width);
        var widths = table.Columns.Select(c => c.Width / total * ContentWidth).ToArray();

        var header = Layout(table.Columns.Select(c => c.Header).ToArray(), bold: true);
        var rows = table.Rows.Select(r => Layout(r, bold: false)).ToList();
        var totals = table.TotalRows.Select(r => Layout(r, bold: true)).ToList();

        EnsureSpace(header.Height + (rows.Count > 0 ? rows[0].Height : 0));
        DrawRow(header, bold: true);
        Rule(0.75, before: 0, after: 0);
        foreach (var row in rows)
        {
            if (_y + row.Height > Bottom)
            {
                NewPage();
                if (table.RepeatHeader)
                {
                    DrawRow(header, bold: true);
                    Rule(0.75, before: 0, after: 0);
                }
            }

            DrawRow(row, bold: false);
        }

        if (totals.Count > 0)
        {
            EnsureSpace(totals.Sum(t => t.Height) + 1);
            Rule(0.75, before: 0, after: 0);
            foreach (var row in totals)
            {
                DrawRow(row, bold: true);
            }
        }

        _y += Setup.ParagraphSpacing * Setup.FontSize;

        (IReadOnlyList<string>[] Cells, double Height) Layout(IReadOnlyList<string> cells, bool bold)
        {
            var style = new PdfTextStyle(size, bold);
            var wrapped = new IReadOnlyList<string>[widths.Length];
            var lines = 1;
            for (var i = 0; i < widths.Length; i++)
            {
                wrapped[i] = Wrap(i < cells.Count ? cells[i] : "", Math.Max(widths[i] - (2 * padX), 1), style);
                lines = Math.Max(lines, wrapped[i].Count);
            }

            return (wrapped, (lines * LineHeight(size)) + (2 * padY));
        }

        void DrawRow((IReadOnlyList<string>[] Cells, double Height) row, bool bold)
        {
            var page = CurrentPage();
            var x = Setup.MarginLeft;
            for (var i = 0; i < widths.Length; i++)
            {
                var style = new PdfTextStyle(size, bold, table.Columns[i].Align);
                var y = _y + padY;
                foreach (var line in row.Cells[i])
                {
                    DrawAligned(page, line, x + padX, widths[i] - (2 * padX), y, style);
                    y += LineHeight(size);
                }

                x += widths[i];
            }

            _y += row.Height;
        }
    }

    /// <summary>A horizontal line across the content width at the cursor.</summary>
    /// <param name="thickness">Line width in points.</param>
    public void Rule(double thickness = 0.5) => Rule(thickness, before: Setup.FontSize * 0.3, after: Setup.FontSize * 0.6);

    /// <summary>Moves the cursor down.</summary>
    /// <param name="points">The distance in points.</param>
    public void Space(double points)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(points);
        _y += points;
    }

    /// <summary>
    /// Moves the cursor to a distance from the top of the current page (e.g. below a letterhead placed with
    /// <see cref="PlaceText"/>); past the bottom margin, to the top of a new page.
    /// </summary>
    /// <param name="top">Points from the page's top edge.</param>
    public void MoveTo(double top)
    {
        CurrentPage();
        if (top >= Bottom)
        {
            NewPage();
            return;
        }

        _y = Math.Max(top, 0);
    }

    /// <summary>Starts a new page unless <paramref name="height"/> points still fit above the bottom margin.</summary>
    /// <param name="height">The height needed.</param>
    public void EnsureSpace(double height)
    {
        if (_page is null)
        {
            CurrentPage();
        }

        if (_y + height > Bottom && _y > Setup.MarginTop + 0.01)
        {
            NewPage();
        }
    }

    /// <summary>Starts a new page; the cursor goes to the top margin.</summary>
    public void NewPage()
    {
        ThrowIfBuilt();
        _page = _builder.AddPage(Setup.Width, Setup.Height);
        _pages.Add(_page);
        _y = Setup.MarginTop;
    }

    /// <summary>The width of a line of text in points.</summary>
    /// <param name="text">The text.</param>
    /// <param name="style">The style; default body text.</param>
    public double MeasureWidth(string text, PdfTextStyle? style = null)
    {
        style ??= PdfTextStyle.Body;
        return Fonts.Measure(Clean(text, style.Bold), SizeOf(style), style.Bold);
    }

    /// <summary>Splits text into lines that fit a width: at spaces, and inside a word only when the word alone is wider.</summary>
    /// <param name="text">The text; <c>\n</c> breaks a line.</param>
    /// <param name="width">The width in points.</param>
    /// <param name="style">The style; default body text.</param>
    public IReadOnlyList<string> Wrap(string text, double width, PdfTextStyle? style = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        style ??= PdfTextStyle.Body;
        var size = SizeOf(style);
        var bold = style.Bold;
        var lines = new List<string>();
        var space = Fonts.Measure(" ", size, bold);
        foreach (var raw in Clean(text, bold).Split('\n'))
        {
            var words = raw.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
            {
                lines.Add("");
                continue;
            }

            var line = new StringBuilder();
            var lineWidth = 0d;
            foreach (var word in words)
            {
                var wordWidth = Fonts.Measure(word, size, bold);
                if (line.Length > 0 && lineWidth + space + wordWidth <= width)
                {
                    line.Append(' ').Append(word);
                    lineWidth += space + wordWidth;
                    continue;
                }

                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                    lineWidth = 0;
                }

                if (wordWidth <= width)
                {
                    line.Append(word);
                    lineWidth = wordWidth;
                    continue;
                }

                // A word wider than the line (an IBAN, a URL): break it between characters.
                foreach (var c in word)
                {
                    var w = Fonts.Measure(c.ToString(), size, bold);
                    if (line.Length > 0 && lineWidth + w > width)
                    {
                        lines.Add(line.ToString());
                        line.Clear();
                        lineWidth = 0;
                    }

                    line.Append(c);
                    lineWidth += w;
                }
            }

            lines.Add(line.ToString());
        }

        return lines;
    }

    /// <summary>Adds the footer and page numbers to every page and returns the PDF. A composer builds once.</summary>
    public byte[] Build()
    {
        ThrowIfBuilt();
        CurrentPage();
        var size = Math.Max(Setup.FontSize - 2, 4);
        var baseline = Setup.Height - (Setup.MarginBottom / 2);
        var footerStyle = new PdfTextStyle(size);
        for (var i = 0; i < _pages.Count; i++)
        {
            var page = _pages[i];
            page.SetTextAndFillColor(96, 96, 96);
            if (!string.IsNullOrWhiteSpace(Setup.FooterText))
            {
                DrawAligned(page, Clean(Setup.FooterText, bold: false), Setup.MarginLeft, ContentWidth * 0.7, baseline - (size * Ascent), footerStyle);
            }

            if (Setup.PageNumberFormat is { } format)
            {
                var number = string.Format(CultureInfo.InvariantCulture, format, i + 1, _pages.Count);
                DrawAligned(page, Clean(number, bold: false), Setup.MarginLeft, ContentWidth, baseline - (size * Ascent), footerStyle with { Align = PdfAlign.Right });
            }

            page.ResetColor();
        }

        var info = _builder.DocumentInformation;
        info.Title = Title;
        info.Author = Author;
        info.Subject = Subject;
        info.Producer = "CreditRecovery SDK (PdfPig)";
        foreach (var (key, value) in Metadata)
        {
            info.CustomMetadata[key] = value;
        }

        _built = true;
        return _builder.Build();
    }

    /// <inheritdoc />
    public void Dispose() => _builder.Dispose();

    private void Rule(double thickness, double before, double after)
    {
        var page = CurrentPage();
        _y += before;
        var pdfY = Setup.Height - _y;
        page.DrawLine(new PdfPoint(Setup.MarginLeft, pdfY), new PdfPoint(Setup.Width - Setup.MarginRight, pdfY), thickness);
        _y += after;
    }

    private void WriteLines(IReadOnlyList<string> lines, PdfTextStyle style, double left, double width)
    {
        var height = LineHeight(SizeOf(style));
        foreach (var line in lines)
        {
            var page = CurrentPage();
            if (_y + height > Bottom)
            {
                NewPage();
                page = _page!;
            }

            DrawAligned(page, line, left, width, _y, style);
            _y += height;
        }
    }

    private void DrawAligned(PdfPageBuilder page, string line, double left, double width, double top, PdfTextStyle style)
    {
        if (line.Length == 0)
        {
            return;
        }

        var size = SizeOf(style);
        var x = style.Align switch
        {
            PdfAlign.Right => left + width - Fonts.Measure(line, size, style.Bold),
            PdfAlign.Center => left + ((width - Fonts.Measure(line, size, style.Bold)) / 2),
            _ => left,
        };
        var baseline = Setup.Height - top - (size * (Ascent + ((Setup.LineSpacing - 1) / 2)));
        (style.Bold ? _bold : _regular).Draw(page, line, x, baseline, size, Fonts, style.Bold);
    }

    private PdfPageBuilder CurrentPage()
    {
        if (_page is null)
        {
            NewPage();
        }

        return _page!;
    }

    private double SizeOf(PdfTextStyle style) => style.Size ?? Setup.FontSize;

    private double LineHeight(double size) => size * Setup.LineSpacing;

    private void ThrowIfBuilt()
    {
        if (_built)
        {
            throw new InvalidOperationException("The document was already built; start a new PdfComposer.");
        }
    }

    /// <summary>Text the font can draw: tabs become spaces, control characters go, missing glyphs become '?'.</summary>
    private string Clean(string text, bool bold)
    {
        var sb = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '\n':
                    sb.Append('\n');
                    break;
                case '\t':
                    sb.Append(' ');
                    break;
                case '\u00AD':
                    break;
                case '\r':
                    break;
                default:
                    if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                    {
                        i++;
                        sb.Append('?');
                    }
                    else if (char.IsControl(c))
                    {
                        // dropped
                    }
                    else if (Fonts.Supports(c, bold))
                    {
                        sb.Append(c);
                    }
                    else
                    {
                        sb.Append(char.IsWhiteSpace(c) ? ' ' : '?');
                    }

                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>Copies of one embedded face, each holding at most <see cref="MaxCharactersPerFont"/> distinct characters.</summary>
    private sealed class FontSlots(PdfDocumentBuilder builder, byte[] bytes)
    {
        private readonly List<(PdfDocumentBuilder.AddedFont Font, HashSet<char> Chars)> _slots = [];

        public void Draw(PdfPageBuilder page, string text, double x, double baseline, double size, PdfFonts fonts, bool bold)
        {
            if (_slots.Count == 0)
            {
                Add();
            }

            var (font, chars) = _slots[^1];
            var start = 0;
            var pending = new HashSet<char>();
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (chars.Contains(c) || pending.Contains(c))
                {
                    continue;
                }

                if (chars.Count + pending.Count >= MaxCharactersPerFont)
                {
                    var piece = text[start..i];
                    page.AddText(piece, size, new PdfPoint(x, baseline), font);
                    x += fonts.Measure(piece, size, bold);
                    chars.UnionWith(pending);
                    pending.Clear();
                    (font, chars) = Add();
                    start = i;
                }

                pending.Add(c);
            }

            page.AddText(text[start..], size, new PdfPoint(x, baseline), font);
            chars.UnionWith(pending);
        }

        private (PdfDocumentBuilder.AddedFont, HashSet<char>) Add()
        {
            var slot = (builder.AddTrueTypeFont(bytes), new HashSet<char>());
            _slots.Add(slot);
            return slot;
        }
    }
}
