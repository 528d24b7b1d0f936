using System.Globalization;

namespace CreditRecovery;

/// <summary>
/// An amount of money in one currency. Arithmetic between different currencies throws, so a total can never mix them.
/// </summary>
public readonly record struct Money : IComparable<Money>
{
    /// <summary>Creates an amount.</summary>
    /// <param name="amount">The amount.</param>
    /// <param name="currency">The ISO 4217 code, three upper-case letters (e.g. <c>EUR</c>).</param>
    /// <exception cref="ArgumentException">The currency is not three ASCII letters.</exception>
    public Money(decimal amount, string currency)
    {
        if (!IsValidCurrency(currency))
        {
            throw new ArgumentException($"'{currency}' is not an ISO 4217 currency code (three letters).", nameof(currency));
        }

        Amount = amount;
        Currency = currency.ToUpperInvariant();
    }

    /// <summary>The amount.</summary>
    public decimal Amount { get; }

    /// <summary>The ISO 4217 currency code.</summary>
    public string Currency { get; }

    /// <summary>Zero euro.</summary>
    public static Money ZeroEur { get; } = new(0m, "EUR");

    /// <summary>Creates an amount in euro.</summary>
    /// <param name="amount">The amount.</param>
    public static Money Eur(decimal amount) => new(amount, "EUR");

    /// <summary>Zero in the given currency.</summary>
    /// <param name="currency">The ISO 4217 code.</param>
    public static Money Zero(string currency) => new(0m, currency);

    /// <summary>Whether the amount is zero.</summary>
    public bool IsZero => Amount == 0m;

    /// <summary>Returns <see langword="true"/> when <paramref name="currency"/> looks like an ISO 4217 code.</summary>
    /// <param name="currency">The candidate code.</param>
    public static bool IsValidCurrency(string? currency) =>
        currency is { Length: 3 } && currency.All(char.IsAsciiLetter);

    /// <summary>Adds two amounts of the same currency.</summary>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public static Money operator +(Money left, Money right) => new(left.Amount + right.Amount, SameCurrency(left, right));

    /// <summary>Subtracts two amounts of the same currency.</summary>
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public static Money operator -(Money left, Money right) => new(left.Amount - right.Amount, SameCurrency(left, right));

    /// <summary>Compares two amounts of the same currency.</summary>
    public static bool operator <(Money left, Money right) => left.CompareTo(right) < 0;

    /// <summary>Compares two amounts of the same currency.</summary>
    public static bool operator >(Money left, Money right) => left.CompareTo(right) > 0;

    /// <summary>Compares two amounts of the same currency.</summary>
    public static bool operator <=(Money left, Money right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two amounts of the same currency.</summary>
    public static bool operator >=(Money left, Money right) => left.CompareTo(right) >= 0;

    /// <summary>Adds two amounts of the same currency.</summary>
    /// <param name="other">The amount to add.</param>
    public Money Add(Money other) => this + other;

    /// <summary>Subtracts an amount of the same currency.</summary>
    /// <param name="other">The amount to subtract.</param>
    public Money Subtract(Money other) => this - other;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">The currencies differ.</exception>
    public int CompareTo(Money other)
    {
        SameCurrency(this, other);
        return Amount.CompareTo(other.Amount);
    }

    /// <summary>Formats as <c>1234.50 EUR</c> (invariant culture; letters use the template's own filters).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Amount:0.00} {Currency}");

    private static string SameCurrency(Money left, Money right)
    {
        // default(Money) has no currency: treat it as a zero of the other side's currency.
        if (left.Currency is null)
        {
            return right.Currency ?? throw new InvalidOperationException("Both amounts have no currency.");
        }

        if (right.Currency is null || string.Equals(left.Currency, right.Currency, StringComparison.Ordinal))
        {
            return left.Currency;
        }

        throw new InvalidOperationException($"Cannot combine {left.Currency} and {right.Currency} amounts.");
    }
}
