using System.Globalization;
using NodaTime;

namespace CreditRecovery.Templates.Liquid;

/// <summary>
/// How values are written in one message language: the culture set on the Scriban context, money and dates. Italian
/// and English are fixed here (not taken from the machine's ICU data), so a letter reads the same on every host.
/// </summary>
internal sealed class TemplateLanguage
{
    private static readonly string[] ItalianMonths =
        ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"];

    private static readonly string[] EnglishMonths =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private readonly string[] _months;
    private readonly bool _spaceAfterSymbol;
    private readonly Dictionary<PaymentType, string> _paymentTypes;

    private TemplateLanguage(string code, CultureInfo culture, string[] months, bool spaceAfterSymbol, Dictionary<PaymentType, string> paymentTypes)
    {
        Code = code;
        Culture = culture;
        _months = months;
        _spaceAfterSymbol = spaceAfterSymbol;
        _paymentTypes = paymentTypes;
    }

    /// <summary>Italian: <c>€ 1.234,56</c>, <c>15/03/2026</c>, <c>15 marzo 2026</c>.</summary>
    public static TemplateLanguage Italian { get; } = new(
        "it",
        FixedCulture("it-IT", ",", "."),
        ItalianMonths,
        spaceAfterSymbol: true,
        new()
        {
            [PaymentType.BankTransfer] = "bonifico bancario",
            [PaymentType.BankReceipt] = "ricevuta bancaria (RiBa)",
            [PaymentType.DirectRemittance] = "rimessa diretta",
            [PaymentType.SepaDirectDebit] = "addebito diretto SEPA (SDD)",
            [PaymentType.CashOnDelivery] = "contrassegno",
            [PaymentType.Cash] = "contanti",
            [PaymentType.Cheque] = "assegno",
            [PaymentType.Other] = "altro",
        });

    /// <summary>English: <c>€1,234.56</c>, <c>15/03/2026</c>, <c>15 March 2026</c>.</summary>
    public static TemplateLanguage English { get; } = new(
        "en",
        FixedCulture("en-GB", ".", ","),
        EnglishMonths,
        spaceAfterSymbol: false,
        new()
        {
            [PaymentType.BankTransfer] = "bank transfer",
            [PaymentType.BankReceipt] = "bank receipt (RiBa)",
            [PaymentType.DirectRemittance] = "direct remittance",
            [PaymentType.SepaDirectDebit] = "SEPA direct debit",
            [PaymentType.CashOnDelivery] = "cash on delivery",
            [PaymentType.Cash] = "cash",
            [PaymentType.Cheque] = "cheque",
            [PaymentType.Other] = "other",
        });

    /// <summary>The language code (<c>it</c>, <c>en</c>).</summary>
    public string Code { get; }

    /// <summary>The culture pushed on every render context.</summary>
    public CultureInfo Culture { get; }

    /// <summary>The formatting of a template language: Italian, or English for <c>en</c> and every other language.</summary>
    /// <param name="language">The template's language code.</param>
    public static TemplateLanguage For(string language) =>
        language.StartsWith("it", StringComparison.OrdinalIgnoreCase) ? Italian : English;

    /// <summary><c>€ 1.234,56</c> (it) or <c>€1,234.56</c> (en); other currencies show their code (<c>CHF 1.234,56</c>).</summary>
    public string Money(decimal amount, string currency)
    {
        var symbol = currency switch
        {
            "EUR" => "€",
            "USD" => "$",
            "GBP" => "£",
            _ => currency,
        };
        var number = Math.Abs(amount).ToString("N2", Culture);
        var space = _spaceAfterSymbol || symbol.Length > 1 ? " " : string.Empty;
        return amount < 0 ? $"-{symbol}{space}{number}" : $"{symbol}{space}{number}";
    }

    /// <summary>A number with thousands separators and <paramref name="decimals"/> decimals.</summary>
    public string Number(decimal value, int decimals) =>
        value.ToString("N" + Math.Clamp(decimals, 0, 10).ToString(CultureInfo.InvariantCulture), Culture);

    /// <summary><c>dd/MM/yyyy</c>.</summary>
    public static string ShortDate(LocalDate date) =>
        string.Create(CultureInfo.InvariantCulture, $"{date.Day:00}/{date.Month:00}/{date.Year:0000}");

    /// <summary><c>15 marzo 2026</c> / <c>15 March 2026</c>.</summary>
    public string LongDate(LocalDate date) =>
        string.Create(CultureInfo.InvariantCulture, $"{date.Day} {_months[date.Month - 1]} {date.Year:0000}");

    /// <summary>The month's name: <c>marzo</c> / <c>March</c>.</summary>
    public string MonthName(int month) => _months[month - 1];

    /// <summary>The payment type in words.</summary>
    public string PaymentTypeLabel(PaymentType type) => _paymentTypes.TryGetValue(type, out var label) ? label : _paymentTypes[PaymentType.Other];

    private static CultureInfo FixedCulture(string name, string decimalSeparator, string groupSeparator)
    {
        CultureInfo culture;
        try
        {
            culture = (CultureInfo)CultureInfo.GetCultureInfo(name).Clone();
        }
        catch (CultureNotFoundException)
        {
            // Invariant-globalization hosts have no named cultures; the separators below are what matters.
            culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
        }

        culture.NumberFormat.NumberDecimalSeparator = decimalSeparator;
        culture.NumberFormat.NumberGroupSeparator = groupSeparator;
        culture.NumberFormat.CurrencyDecimalSeparator = decimalSeparator;
        culture.NumberFormat.CurrencyGroupSeparator = groupSeparator;
        culture.NumberFormat.NumberGroupSizes = [3];
        culture.NumberFormat.NegativeSign = "-";
        return CultureInfo.ReadOnly(culture);
    }
}
