using System.Globalization;
using CreditRecovery.Interest;
using CreditRecovery.Ports;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Delivery;

/// <summary>Turns the calculator's claim into the statement a formal demand shows and the case records.</summary>
internal static class InterestStatements
{
    /// <summary>The claim on the open residuals as of a date (<see cref="LatePaymentInterestCalculator.CalculateOpenClaim"/>).</summary>
    public static InterestStatement For(LatePaymentInterestCalculator calculator, IEnumerable<Installment> installments, LocalDate asOf, LatePaymentInterestPolicy? policy)
    {
        var claim = calculator.CalculateOpenClaim(installments, asOf, policy);
        var lines = claim.Installments
            .SelectMany(i => i.Calculation.Lines.Select(l => new InterestStatementLine(
                i.Installment.Key, i.Installment.Document.Number, l.Start, l.End, l.Days, l.RatePercent, l.Base, l.RoundedInterest)))
            .ToList();
        var compensations = claim.Documents
            .Where(d => d.IsDue && !d.IsWaived && d.Compensation.Amount > 0m)
            .Select(d => new CompensationLine(d.Document.Number, d.Document.Date, d.Compensation))
            .ToList();
        var residual = claim.Installments.Aggregate(Money.Zero(claim.Currency), (sum, i) => sum + i.Installment.OpenResidual);
        return new InterestStatement(asOf, lines, compensations, residual, claim.TotalInterest, claim.TotalCompensation);
    }

    /// <summary>The history text of the claim for one case: its own interest lines and the claim's totals.</summary>
    public static string Describe(InterestStatement statement, InstallmentKey key)
    {
        var culture = CultureInfo.InvariantCulture;
        var own = statement.Lines.Where(l => l.Key == key).ToList();
        var interest = own.Aggregate(0m, (sum, l) => sum + l.Interest.Amount);
        var periods = string.Join("; ", own.Select(l =>
            $"{LocalDatePattern.Iso.Format(l.From)}..{LocalDatePattern.Iso.Format(l.To)} {l.Days} d at {l.RatePercent.ToString(culture)}% on {l.Base.Amount.ToString("0.00", culture)}"));
        return $"late-payment interest claimed as of {LocalDatePattern.Iso.Format(statement.AsOf)} (D.Lgs. 231/2002): "
            + $"{interest.ToString("0.00", culture)} {statement.TotalInterest.Currency} on this installment ({(periods.Length == 0 ? "no interest days" : periods)}); "
            + $"message total: residual {statement.TotalResidual.Amount.ToString("0.00", culture)}, interest {statement.TotalInterest.Amount.ToString("0.00", culture)}, "
            + $"compensation {statement.TotalCompensation.Amount.ToString("0.00", culture)}, claimed {statement.TotalClaimed.Amount.ToString("0.00", culture)} {statement.TotalClaimed.Currency}";
    }
}
