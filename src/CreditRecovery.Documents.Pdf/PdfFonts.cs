using System.Collections.Concurrent;
using UglyToad.PdfPig.Fonts.TrueType;
using UglyToad.PdfPig.Fonts.TrueType.Parser;
using UglyToad.PdfPig.Writer;

namespace CreditRecovery.Documents.Pdf;

/// <summary>
/// The TrueType fonts a document is written with: a regular and a bold face, embedded (subset) into every PDF.
/// </summary>
/// <remarks>
/// PDF's standard 14 fonts, as PdfPig writes them, cannot show Italian accented letters (<c>à è é ì ò ù</c>) or the euro
/// sign, so documents embed a TrueType font instead. The SDK ships no font: <see cref="FindSystemFonts"/> looks for
/// DejaVu Sans (Debian package <c>fonts-dejavu-core</c>), Liberation Sans (<c>fonts-liberation</c>) or Windows' Arial,
/// or the host names its own files with <see cref="FromFiles"/>. Instances are immutable and thread-safe: create one
/// per process and share it.
/// </remarks>
public sealed class PdfFonts
{
    private static readonly (string Regular, string Bold)[] Candidates = BuildCandidates();

    private readonly Face _regular;
    private readonly Face _bold;

    private PdfFonts(Face regular, Face bold, string description)
    {
        _regular = regular;
        _bold = bold;
        Description = description;
    }

    /// <summary>Where the fonts came from (file names), for messages.</summary>
    public string Description { get; }

    /// <summary>The font files <see cref="FindSystemFonts"/> looks for, regular and bold, in order.</summary>
    public static IReadOnlyList<(string Regular, string Bold)> SystemFontCandidates => Candidates;

    /// <summary>Loads a regular and (optionally) a bold TrueType font file.</summary>
    /// <param name="regularPath">The regular face (<c>.ttf</c>).</param>
    /// <param name="boldPath">The bold face; <see langword="null"/> uses the regular face for bold text too.</param>
    /// <exception cref="PdfFontException">A file is missing or is not a TrueType font PdfPig can embed.</exception>
    public static PdfFonts FromFiles(string regularPath, string? boldPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(regularPath);
        var regular = Face.Load(ReadFile(regularPath), regularPath);
        var bold = boldPath is null ? regular : Face.Load(ReadFile(boldPath), boldPath);
        return new PdfFonts(regular, bold, boldPath is null ? regularPath : regularPath + " + " + boldPath);
    }

    /// <summary>Loads a regular and (optionally) a bold TrueType font from bytes.</summary>
    /// <param name="regular">The regular face.</param>
    /// <param name="bold">The bold face; <see langword="null"/> uses the regular face for bold text too.</param>
    /// <exception cref="PdfFontException">The bytes are not a TrueType font PdfPig can embed.</exception>
    public static PdfFonts FromBytes(byte[] regular, byte[]? bold = null)
    {
        ArgumentNullException.ThrowIfNull(regular);
        var r = Face.Load(regular, "regular font bytes");
        var b = bold is null ? r : Face.Load(bold, "bold font bytes");
        return new PdfFonts(r, b, "font bytes");
    }

    /// <summary>Finds a usable regular/bold pair among <see cref="SystemFontCandidates"/>.</summary>
    /// <exception cref="PdfFontException">None is installed: the message lists the paths searched and how to fix it.</exception>
    public static PdfFonts FindSystemFonts() =>
        TryFindSystemFonts(out var fonts) ? fonts! : throw new PdfFontException(NotFoundMessage());

    /// <summary>Finds a usable regular/bold pair among <see cref="SystemFontCandidates"/>.</summary>
    /// <param name="fonts">The fonts, when found.</param>
    /// <returns>Whether a pair was found.</returns>
    public static bool TryFindSystemFonts(out PdfFonts? fonts)
    {
        foreach (var (regular, bold) in Candidates)
        {
            if (!File.Exists(regular))
            {
                continue;
            }

            try
            {
                fonts = FromFiles(regular, File.Exists(bold) ? bold : null);
                return true;
            }
            catch (PdfFontException)
            {
                // Not embeddable: try the next candidate.
            }
        }

        fonts = null;
        return false;
    }

    /// <summary>The message <see cref="FindSystemFonts"/> throws with when no font is installed.</summary>
    public static string NotFoundMessage() =>
        "No TrueType font for PDF documents was found. Install the Debian package 'fonts-dejavu-core' (or 'fonts-liberation'), " +
        "or name a .ttf file in the options. Searched: " + string.Join(", ", Candidates.Select(c => c.Regular)) + ".";

    /// <summary>Whether the face can draw the character.</summary>
    /// <param name="c">The character.</param>
    /// <param name="bold">The bold face instead of the regular one.</param>
    public bool Supports(char c, bool bold = false) => (bold ? _bold : _regular).Width(c) is not null;

    /// <summary>The advance width of a text at a font size, in points. Characters the font lacks count as <c>?</c>.</summary>
    /// <param name="text">The text, on one line.</param>
    /// <param name="size">The font size in points.</param>
    /// <param name="bold">The bold face.</param>
    public double Measure(string text, double size, bool bold = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var face = bold ? _bold : _regular;
        var total = 0d;
        foreach (var c in text)
        {
            total += face.Width(c) ?? face.Width('?') ?? 0.5;
        }

        return total * size;
    }

    internal byte[] Bytes(bool bold) => (bold ? _bold : _regular).Bytes;

    private static byte[] ReadFile(string path)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new PdfFontException($"Cannot read the font file '{path}': {e.Message}", e);
        }
    }

    private static (string, string)[] BuildCandidates()
    {
        var windows = Environment.GetEnvironmentVariable("WINDIR") is { Length: > 0 } w ? Path.Combine(w, "Fonts") : @"C:\Windows\Fonts";
        return
        [
            ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
            ("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf"),
            ("/usr/share/fonts/truetype/liberation2/LiberationSans-Regular.ttf", "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf"),
            ("/usr/share/fonts/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf"),
            ("/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf"),
            (Path.Combine(windows, "arial.ttf"), Path.Combine(windows, "arialbd.ttf")),
            ("/System/Library/Fonts/Supplemental/Arial.ttf", "/System/Library/Fonts/Supplemental/Arial Bold.ttf"),
            ("/Library/Fonts/Arial.ttf", "/Library/Fonts/Arial Bold.ttf"),
        ];
    }

    /// <summary>One face: its bytes (embedded into documents) and its metrics (for layout).</summary>
    private sealed class Face
    {
        private readonly TrueTypeFont _font;
        private readonly double _unitsPerEm;
        private readonly ConcurrentDictionary<char, double?> _widths = new();
        private readonly Lock _lock = new();

        private Face(byte[] bytes, TrueTypeFont font)
        {
            Bytes = bytes;
            _font = font;
            _unitsPerEm = font.GetUnitsPerEm();
        }

        public byte[] Bytes { get; }

        public static Face Load(byte[] bytes, string name)
        {
            TrueTypeFont font;
            try
            {
                font = TrueTypeFontParser.Parse(new TrueTypeDataBytes(bytes));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new PdfFontException($"'{name}' is not a readable TrueType font: {e.Message}", e);
            }

            using var probe = new PdfDocumentBuilder();
            if (!probe.CanUseTrueTypeFont(bytes, out var reasons))
            {
                throw new PdfFontException($"'{name}' cannot be embedded in a PDF: {string.Join("; ", reasons)}");
            }

            return new Face(bytes, font);
        }

        /// <summary>The advance width at size 1, or <see langword="null"/> when the font has no glyph for it.</summary>
        public double? Width(char c) => _widths.GetOrAdd(c, static (ch, face) => face.Lookup(ch), this);

        private double? Lookup(char c)
        {
            lock (_lock)
            {
                return _font.TryGetAdvanceWidth(c, out var width) && !char.IsControl(c) && !char.IsSurrogate(c) ? width / _unitsPerEm : null;
            }
        }
    }
}

/// <summary>A font file is missing, unreadable or cannot be embedded.</summary>
public sealed class PdfFontException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PdfFontException()
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    public PdfFontException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong and how to fix it.</param>
    /// <param name="innerException">The cause.</param>
    public PdfFontException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
