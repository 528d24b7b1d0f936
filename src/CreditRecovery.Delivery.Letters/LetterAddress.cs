using System.Text.RegularExpressions;

namespace CreditRecovery.Delivery.Letters;

/// <summary>
/// Turns an outbox message's recipient into the lines of a postal address block (*indirizzo*): name, street, postal code
/// and city, and the country when it is not Italy.
/// </summary>
/// <remarks>
/// A recipient with line breaks is taken line by line. Otherwise it is the engine's one-line form
/// <c>Name, Street, CAP City (PR), Country</c>, where a name or a street may itself contain commas
/// (<c>Rossi, Bianchi &amp; C. S.n.c., Via Roma, 12, 20121 Milano (MI), IT</c>): the country is the last part when it is
/// a two-letter code, the postal line is the last part starting with a five-digit CAP, the street starts at the first
/// part that begins with a street word (<c>Via</c>, <c>Piazza</c>, <c>Corso</c>...) or else at the second part, and the
/// name is what comes before it.
/// </remarks>
public static partial class LetterAddress
{
    private static readonly string[] StreetWords =
    [
        "via", "v.", "viale", "v.le", "piazza", "p.zza", "p.za", "piazzale", "corso", "c.so", "largo", "vicolo", "strada",
        "str.", "località", "loc.", "contrada", "c.da", "frazione", "fraz.", "borgo", "galleria", "lungomare", "lungarno",
        "salita", "traversa", "viottolo", "calle", "campo", "fondamenta", "rione", "vico", "piazzetta", "circonvallazione",
        "casella", "c.p.",
    ];

    /// <summary>The address block's lines.</summary>
    /// <param name="recipient">The outbox message's recipient.</param>
    /// <returns>The lines, first the name; empty when the recipient is blank.</returns>
    public static IReadOnlyList<string> Lines(string? recipient)
    {
        if (string.IsNullOrWhiteSpace(recipient))
        {
            return [];
        }

        if (recipient.Contains('\n', StringComparison.Ordinal))
        {
            return recipient.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        }

        var parts = recipient.Split(',').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        if (parts.Count <= 1)
        {
            return parts;
        }

        string? country = null;
        if (CountryCode().IsMatch(parts[^1]))
        {
            country = parts[^1].ToUpperInvariant();
            parts.RemoveAt(parts.Count - 1);
        }

        var postal = parts.FindLastIndex(p => PostalLine().IsMatch(p));
        var postalLine = postal > 0 ? parts[postal] : null;
        var before = postal > 0 ? parts.Take(postal).ToList() : parts;
        var after = postal > 0 ? parts.Skip(postal + 1).ToList() : [];

        var street = before.FindIndex(1, p => StartsWithStreetWord(p));
        if (street < 0)
        {
            street = Math.Min(1, before.Count - 1);
        }

        var lines = new List<string> { string.Join(", ", before.Take(Math.Max(street, 1))) };
        if (before.Count > 1)
        {
            lines.Add(string.Join(", ", before.Skip(Math.Max(street, 1))));
        }

        if (postalLine is not null)
        {
            lines.Add(postalLine);
        }

        lines.AddRange(after);
        if (country is not null && country != "IT")
        {
            lines.Add(country);
        }

        return lines;
    }

    private static bool StartsWithStreetWord(string part)
    {
        var first = part.Split(' ', 2)[0].ToLowerInvariant();
        return StreetWords.Contains(first);
    }

    [GeneratedRegex("^[A-Za-z]{2}$")]
    private static partial Regex CountryCode();

    [GeneratedRegex(@"^\d{5}\s+\S")]
    private static partial Regex PostalLine();
}
