namespace CreditRecovery.Delivery.Sms;

/// <summary>Mobile numbers in E.164 form (<c>+393331234567</c>), with Italian numbers written the Italian way.</summary>
public static class SmsNumber
{
    /// <summary>
    /// Normalises a mobile number to E.164. Spaces, dots, dashes, slashes and parentheses are ignored. <c>+</c> or
    /// <c>00</c> starts an international number (kept as it is, 8 to 15 digits). A national Italian mobile number (9 or 10
    /// digits starting with <c>3</c>, e.g. <c>333 123 4567</c>) gets <c>+39</c>; so does <c>39</c> followed by one (11 or 12
    /// digits, e.g. <c>393331234567</c>). Anything else, including Italian landlines (starting with <c>0</c>), is refused.
    /// </summary>
    /// <param name="input">The number as the master data has it.</param>
    /// <param name="e164">The number, e.g. <c>+393331234567</c>.</param>
    /// <param name="error">Why it was refused.</param>
    /// <returns>Whether it is a usable mobile number.</returns>
    public static bool TryNormalize(string? input, out string e164, out string error)
    {
        e164 = "";
        error = "";
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "the number is empty";
            return false;
        }

        var s = input.Trim();
        var international = false;
        if (s.StartsWith('+'))
        {
            international = true;
            s = s[1..];
        }

        var digits = new string(s.Where(c => c is not (' ' or '.' or '-' or '/' or '(' or ')')).ToArray());
        if (digits.Length == 0 || !digits.All(char.IsAsciiDigit))
        {
            error = "it contains characters other than digits, spaces, dots, dashes, slashes and parentheses";
            return false;
        }

        if (!international && digits.StartsWith("00", StringComparison.Ordinal))
        {
            international = true;
            digits = digits[2..];
        }

        if (international)
        {
            if (digits.Length is < 8 or > 15 || digits[0] == '0')
            {
                error = "an international number has 8 to 15 digits after the country code's '+' and does not start with 0";
                return false;
            }

            if (digits.StartsWith("39", StringComparison.Ordinal) && !IsItalianMobile(digits[2..]))
            {
                error = "it is an Italian number but not a mobile one (Italian mobile numbers start with 3 and have 9 or 10 digits)";
                return false;
            }

            e164 = "+" + digits;
            return true;
        }

        if (IsItalianMobile(digits))
        {
            e164 = "+39" + digits;
            return true;
        }

        if (digits.Length is 11 or 12 && digits.StartsWith("39", StringComparison.Ordinal) && IsItalianMobile(digits[2..]))
        {
            e164 = "+" + digits;
            return true;
        }

        error = digits.StartsWith('0')
            ? "it is an Italian landline (starts with 0), which cannot receive text messages"
            : "it is neither an Italian mobile number (3xx, 9 or 10 digits) nor an international one (+ or 00 and the country code)";
        return false;
    }

    private static bool IsItalianMobile(string national) => national.Length is 9 or 10 && national[0] == '3';
}
