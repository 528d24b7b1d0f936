using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;

namespace CreditRecovery.Delivery.Sms.Tests;

public sealed class SmsTextTests
{
    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    public void Gsm_texts_take_160_septets_alone_and_153_per_concatenated_segment(int length, int segments) =>
        Assert.Equal(segments, SmsText.Segments(new string('a', length)));

    [Fact]
    public void Extension_characters_count_twice_and_are_not_split()
    {
        Assert.Equal(1, SmsText.Segments(new string('€', 80)));
        Assert.Equal(2, SmsText.Segments(new string('€', 81)));
        Assert.Equal(2, SmsText.Segments(new string('a', 151) + "€" + new string('a', 153)));
        Assert.Equal(2, SmsText.Segments(new string('a', 152) + "€" + new string('a', 151)));

        // 306 septets would fill two segments, but the euro sign's escape pair cannot straddle them.
        Assert.Equal(3, SmsText.Segments(new string('a', 152) + "€" + new string('a', 152)));
    }

    [Theory]
    [InlineData("àèéìòù ÀÈ", false)]
    [InlineData("àèéìòù É", true)]
    [InlineData("l’acconto", false)]
    [InlineData("€ {x} [y] ~|^\\", true)]
    public void Italian_lowercase_accents_are_gsm_but_most_capitals_and_curly_quotes_are_not(string text, bool gsm) =>
        Assert.Equal(gsm, SmsText.IsGsm7(text));

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    public void Ucs2_texts_take_70_units_alone_and_67_per_concatenated_segment(int length, int segments) =>
        Assert.Equal(segments, SmsText.Segments("È" + new string('a', length - 1)));

    [Property(MaxTest = 200)]
    public Property Fit_never_exceeds_the_segments_and_keeps_a_prefix(NonNull<string> input, PositiveInt max)
    {
        var segments = (max.Get % 4) + 1;
        var text = input.Get;
        var fitted = SmsText.Fit(text, segments);
        var ok = SmsText.Segments(fitted) <= segments
            && (fitted == text || (fitted.EndsWith("...", StringComparison.Ordinal) && text.StartsWith(fitted[..^3].TrimEnd(), StringComparison.Ordinal)));
        return ok.Label($"'{text}' -> '{fitted}'");
    }

    [Property(MaxTest = 100)]
    public Property Long_gsm_texts_are_cut_close_to_the_limit(PositiveInt words)
    {
        var text = string.Join(" ", Enumerable.Repeat("rata", words.Get + 100));
        var fitted = SmsText.Fit(text, 2);
        return (fitted.Length >= 306 * 4 / 5 && SmsText.Segments(fitted) == 2).Label(fitted.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}

public sealed class SmsNumberTests
{
    [Theory]
    [InlineData("3331234567", "+393331234567")]
    [InlineData("333 123 4567", "+393331234567")]
    [InlineData("333.123.45.67", "+393331234567")]
    [InlineData("(333) 123-4567", "+393331234567")]
    [InlineData("+39 333 1234567", "+393331234567")]
    [InlineData("0039 333 1234567", "+393331234567")]
    [InlineData("393331234567", "+393331234567")]
    [InlineData("3931234567", "+393931234567")]
    [InlineData("338123456", "+39338123456")]
    [InlineData("+41 79 123 45 67", "+41791234567")]
    [InlineData("0044 7700 900123", "+447700900123")]
    public void Numbers_become_e164(string input, string expected)
    {
        Assert.True(SmsNumber.TryNormalize(input, out var e164, out var error), error);
        Assert.Equal(expected, e164);
    }

    [Theory]
    [InlineData("")]
    [InlineData("02 1234567")]
    [InlineData("+39 06 1234567")]
    [InlineData("33312345")]
    [InlineData("333123456789")]
    [InlineData("+0123456789")]
    [InlineData("333 12x 4567")]
    public void Other_inputs_are_refused_with_a_reason(string input)
    {
        Assert.False(SmsNumber.TryNormalize(input, out _, out var error));
        Assert.NotEmpty(error);
    }
}
