using System.Text;

namespace CreditRecovery.Delivery.Sms;

/// <summary>
/// SMS length rules (GSM 03.38 / 3GPP TS 23.038): how many segments a text takes, and how to fit it into a maximum.
/// </summary>
/// <remarks>
/// <para>A text whose every character is in the GSM 7-bit default alphabet (letters, digits, common punctuation and, for
/// Italian, <c>à è é ì ò ù</c>) is sent as GSM-7: one segment holds 160 septets, a concatenated message 153 per segment;
/// the extension characters <c>€ ^ { } [ ] ~ \ |</c> take two septets each and are never split across segments. Any other
/// character (e.g. <c>È</c>, <c>’</c>, an emoji) makes the whole message UCS-2: 70 UTF-16 units in one segment, 67 per
/// segment when concatenated, surrogate pairs kept whole.</para>
/// <para><see cref="Transliterate"/> first replaces typographic characters that templates often produce with GSM ones
/// (<c>’ ‘ → '</c>, <c>“ ” « » → "</c>, <c>– — → -</c>, <c>… → ...</c>, non-breaking space → space, and Italian capitals
/// <c>À È Ì Ò Ù</c> → <c>A' E' I' O' U'</c>), so that a message does not silently switch to UCS-2 and cost twice as
/// many segments.</para>
/// <para><see cref="Fit"/> leaves a text that fits alone; a longer one is cut at the last space that keeps it within the
/// segments (or mid-word when there is none in the last fifth) and ends with <c>...</c>.</para>
/// </remarks>
public static class SmsText
{
    private const string Basic =
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

    private const string Extension = "^{}\\[~]|€\f";
    private const string Ellipsis = "...";

    private static readonly Dictionary<char, string> Replacements = new()
    {
        ['’'] = "'", ['‘'] = "'", ['‚'] = "'", ['`'] = "'", ['´'] = "'",
        ['“'] = "\"", ['”'] = "\"", ['„'] = "\"", ['«'] = "\"", ['»'] = "\"",
        ['–'] = "-", ['—'] = "-", ['−'] = "-", ['…'] = "...", ['\u00A0'] = " ", ['\t'] = " ",
        ['À'] = "A'", ['È'] = "E'", ['Ì'] = "I'", ['Ò'] = "O'", ['Ù'] = "U'", ['ç'] = "Ç", ['á'] = "a'", ['í'] = "i'", ['ó'] = "o'", ['ú'] = "u'",
    };

    /// <summary>Whether the text can be sent as GSM-7.</summary>
    /// <param name="text">The text.</param>
    public static bool IsGsm7(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.All(c => Basic.Contains(c, StringComparison.Ordinal) || Extension.Contains(c, StringComparison.Ordinal));
    }

    /// <summary>The number of segments the text takes (0 for an empty text).</summary>
    /// <param name="text">The text.</param>
    public static int Segments(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return 0;
        }

        var gsm = IsGsm7(text);
        var (single, multi) = gsm ? (160, 153) : (70, 67);
        var units = Units(text, gsm).ToList();
        if (units.Sum() <= single)
        {
            return 1;
        }

        var segments = 1;
        var used = 0;
        foreach (var u in units)
        {
            if (used + u > multi)
            {
                segments++;
                used = 0;
            }

            used += u;
        }

        return segments;
    }

    /// <summary>Replaces typographic characters with GSM-7 ones (see the remarks on <see cref="SmsText"/>).</summary>
    /// <param name="text">The text.</param>
    public static string Transliterate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (Replacements.TryGetValue(c, out var r))
            {
                sb.Append(r);
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    /// <summary>Fits a text into at most <paramref name="maxSegments"/> segments (see the remarks on <see cref="SmsText"/>).</summary>
    /// <param name="text">The text.</param>
    /// <param name="maxSegments">The maximum, at least 1.</param>
    /// <returns>The text, or its cut version ending with <c>...</c>.</returns>
    public static string Fit(string text, int maxSegments)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxSegments, 1);
        if (Segments(text) <= maxSegments)
        {
            return text;
        }

        // Longest prefix that fits with the ellipsis, never ending inside a surrogate pair.
        var length = text.Length;
        while (length > 0 && Segments(text[..length].TrimEnd() + Ellipsis) > maxSegments)
        {
            length--;
        }

        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        var space = text.LastIndexOfAny([' ', '\n'], Math.Max(length - 1, 0));
        if (space > length * 4 / 5)
        {
            length = space;
        }

        return text[..length].TrimEnd() + Ellipsis;
    }

    private static IEnumerable<int> Units(string text, bool gsm)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (gsm)
            {
                yield return Extension.Contains(text[i], StringComparison.Ordinal) ? 2 : 1;
            }
            else if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                yield return 2;
            }
            else
            {
                yield return 1;
            }
        }
    }
}
