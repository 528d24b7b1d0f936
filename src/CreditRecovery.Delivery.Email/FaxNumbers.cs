using System.Text;

namespace CreditRecovery.Delivery.Email;

/// <summary>
/// Normalises fax numbers as they appear in ERP master data (<c>02/123.456-78</c>, <c>+39 02 1234 5678</c>,
/// <c>0039 02…</c>) and writes them into a gateway's address pattern.
/// </summary>
/// <param name="CountryCode">The country code of numbers written without one, e.g. <c>39</c>.</param>
/// <param name="Format">How the number is written.</param>
internal sealed record FaxNumbers(string CountryCode, FaxNumberFormat Format)
{
    /// <summary>The placeholder in an address pattern.</summary>
    public const string Placeholder = "{number}";

    private const int MinDigits = 6;
    private const int MaxDigits = 15; // E.164

    /// <summary>
    /// The number in <see cref="Format"/>, or <see langword="null"/> with <paramref name="error"/> when the text is not a
    /// fax number.
    /// </summary>
    /// <param name="text">The number as written in the master data.</param>
    /// <param name="error">Why it is not a number.</param>
    public string? Normalize(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "the fax number is empty";
            return null;
        }

        var trimmed = text.Trim();
        var international = trimmed.StartsWith('+');
        var digits = new StringBuilder();
        for (var i = international ? 1 : 0; i < trimmed.Length; i++)
        {
            var c = trimmed[i];
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '/' or '(' or ')'))
            {
                error = $"the fax number '{text}' contains '{c}': only digits, an initial +, spaces, dots, dashes, slashes and brackets are allowed";
                return null;
            }
        }

        var number = digits.ToString();
        if (!international && number.StartsWith("00", StringComparison.Ordinal))
        {
            international = true;
            number = number[2..];
        }

        // Full international digits: country code + national number.
        var full = international ? number : CountryCode + number;
        if (full.Length is < MinDigits or > MaxDigits)
        {
            error = $"the fax number '{text}' has {number.Length} digits: not a valid number";
            return null;
        }

        return Format switch
        {
            FaxNumberFormat.InternationalPlus => "+" + full,
            FaxNumberFormat.InternationalZeroZero => "00" + full,
            FaxNumberFormat.InternationalDigits => full,
            _ => full.StartsWith(CountryCode, StringComparison.Ordinal) ? full[CountryCode.Length..] : "00" + full,
        };
    }

    /// <summary>The gateway address of a number: the pattern with the normalised number in place of <see cref="Placeholder"/>.</summary>
    /// <param name="pattern">The address pattern.</param>
    /// <param name="text">The number as written in the master data.</param>
    /// <param name="error">Why there is no address.</param>
    public string? Address(string pattern, string? text, out string? error)
    {
        var number = Normalize(text, out error);
        return number is null ? null : pattern.Trim().Replace(Placeholder, number, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The permanent failure of a message whose recipient is not a usable fax number.</summary>
    public static Ports.DeliveryResult Unusable(Ports.OutgoingMessage message, string? error) =>
        Ports.DeliveryResult.PermanentFailure($"outbox message '{message.Message.Id}' (customer {message.Message.CustomerCode}): {error} (field Recipient).");

    /// <summary>Checks an address pattern and a country code; returns the problems.</summary>
    public static IEnumerable<string> ValidatePattern(string optionsName, string? pattern, string? countryCode, string patternName = "AddressPattern", string countryName = "CountryCode")
    {
        if (string.IsNullOrWhiteSpace(countryCode) || countryCode.Length > 3 || !countryCode.All(char.IsAsciiDigit) || countryCode[0] == '0')
        {
            yield return $"{optionsName}.{countryName} '{countryCode}' must be a country calling code of 1-3 digits, e.g. '39'.";
            yield break;
        }

        if (string.IsNullOrWhiteSpace(pattern))
        {
            yield return $"{optionsName}.{patternName} is required, e.g. '{Placeholder}@fax.provider.example'.";
            yield break;
        }

        if (!pattern.Contains(Placeholder, StringComparison.OrdinalIgnoreCase))
        {
            yield return $"{optionsName}.{patternName} '{pattern}' has no {Placeholder} placeholder, e.g. '{Placeholder}@fax.provider.example'.";
            yield break;
        }

        // Every format must give a valid address; + is valid in a local part.
        var sample = pattern.Trim().Replace(Placeholder, "+390212345678", StringComparison.OrdinalIgnoreCase);
        if (!MailAddresses.IsValidMailbox(sample))
        {
            yield return $"{optionsName}.{patternName} '{pattern}' does not make a valid e-mail address from a number (e.g. '{sample}').";
        }
    }
}
