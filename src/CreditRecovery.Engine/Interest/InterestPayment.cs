using NodaTime;

namespace CreditRecovery.Interest;

/// <summary>
/// A (partial) payment of an installment: it lowers the base on which interest accrues from the day after
/// <paramref name="Date"/>.
/// </summary>
/// <param name="Date">The value date of the payment.</param>
/// <param name="Amount">The amount paid, positive, in the installment's currency.</param>
public sealed record InterestPayment(LocalDate Date, Money Amount);
