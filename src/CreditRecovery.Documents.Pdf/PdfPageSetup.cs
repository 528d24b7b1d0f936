namespace CreditRecovery.Documents.Pdf;

/// <summary>Page size, margins, body text and the page footer of a <see cref="PdfComposer"/> document.</summary>
public sealed record PdfPageSetup
{
    /// <summary>A4 portrait (210 × 297 mm) with 20 mm margins and 10 pt body text.</summary>
    public static PdfPageSetup A4 { get; } = new();

    /// <summary>Page width in points (1/72 inch). Default A4: 595.28.</summary>
    public double Width { get; init; } = PdfUnits.Mm(210);

    /// <summary>Page height in points. Default A4: 841.89.</summary>
    public double Height { get; init; } = PdfUnits.Mm(297);

    /// <summary>Left margin in points. Default 20 mm.</summary>
    public double MarginLeft { get; init; } = PdfUnits.Mm(20);

    /// <summary>Right margin in points. Default 20 mm.</summary>
    public double MarginRight { get; init; } = PdfUnits.Mm(20);

    /// <summary>Top margin in points. Default 20 mm.</summary>
    public double MarginTop { get; init; } = PdfUnits.Mm(20);

    /// <summary>Bottom margin in points; the footer is printed inside it. Default 20 mm.</summary>
    public double MarginBottom { get; init; } = PdfUnits.Mm(20);

    /// <summary>Body text size in points. Default 10.</summary>
    public double FontSize { get; init; } = 10;

    /// <summary>Line height as a multiple of the font size. Default 1.3.</summary>
    public double LineSpacing { get; init; } = 1.3;

    /// <summary>Space after a paragraph, as a multiple of the body font size. Default 0.8.</summary>
    public double ParagraphSpacing { get; init; } = 0.8;

    /// <summary>
    /// The page number printed at the bottom right of every page: <c>{0}</c> is the page, <c>{1}</c> the page count, e.g.
    /// <c>Pagina {0} di {1}</c>. <see langword="null"/> prints none. Default <c>{0}/{1}</c>.
    /// </summary>
    public string? PageNumberFormat { get; init; } = "{0}/{1}";

    /// <summary>Text printed at the bottom left of every page (e.g. the company's name), or <see langword="null"/>.</summary>
    public string? FooterText { get; init; }

    /// <summary>The usable width between the margins.</summary>
    public double ContentWidth => Width - MarginLeft - MarginRight;

    /// <summary>Returns every problem with the setup; empty when it is usable.</summary>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (Width <= 0 || Height <= 0)
        {
            errors.Add($"The page size must be positive (is {Width} × {Height} pt).");
        }

        if (MarginLeft < 0 || MarginRight < 0 || MarginTop < 0 || MarginBottom < 0)
        {
            errors.Add("Margins cannot be negative.");
        }

        if (ContentWidth < 72 || Height - MarginTop - MarginBottom < 72)
        {
            errors.Add("The margins leave less than one inch for the content.");
        }

        if (FontSize is < 4 or > 72)
        {
            errors.Add($"FontSize must be between 4 and 72 pt (is {FontSize}).");
        }

        if (LineSpacing is < 1 or > 3)
        {
            errors.Add($"LineSpacing must be between 1 and 3 (is {LineSpacing}).");
        }

        if (ParagraphSpacing < 0)
        {
            errors.Add("ParagraphSpacing cannot be negative.");
        }

        return errors;
    }
}

/// <summary>Length conversions to PDF points (1/72 inch).</summary>
public static class PdfUnits
{
    /// <summary>Millimetres to points.</summary>
    /// <param name="millimetres">The length in millimetres.</param>
    public static double Mm(double millimetres) => millimetres * 72 / 25.4;
}

/// <summary>Horizontal alignment of text.</summary>
public enum PdfAlign
{
    /// <summary>Left-aligned.</summary>
    Left,

    /// <summary>Centred.</summary>
    Center,

    /// <summary>Right-aligned (amounts).</summary>
    Right,
}

/// <summary>How a run of text looks.</summary>
/// <param name="Size">Font size in points; <see langword="null"/> uses the body size of the <see cref="PdfPageSetup"/>.</param>
/// <param name="Bold">Bold face.</param>
/// <param name="Align">Alignment within the available width.</param>
public sealed record PdfTextStyle(double? Size = null, bool Bold = false, PdfAlign Align = PdfAlign.Left)
{
    /// <summary>Body text.</summary>
    public static PdfTextStyle Body { get; } = new();

    /// <summary>Bold body text.</summary>
    public static PdfTextStyle Strong { get; } = new(Bold: true);
}
