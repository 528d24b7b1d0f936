using NodaTime;

namespace CreditRecovery.Ports;

/// <summary>
/// What a message claims as late-payment interest (*interessi di mora*, D.Lgs. 231/2002) and flat compensation: the
/// itemised breakdown a formal demand (*messa in mora*) shows, computed by the engine as of the message's business date.
/// </summary>
/// <param name="AsOf">The date interest is computed to (inclusive).</param>
/// <param name="Lines">One line per installment and rate period.</param>
/// <param name="Compensations">The flat compensation, once per document.</param>
/// <param name="TotalResidual">The open residuals the interest accrues on.</param>
/// <param name="TotalInterest">Sum of the interest lines, rounded to cents.</param>
/// <param name="TotalCompensation">Sum of the compensations.</param>
public sealed record InterestStatement(
    LocalDate AsOf,
    IReadOnlyList<InterestStatementLine> Lines,
    IReadOnlyList<CompensationLine> Compensations,
    Money TotalResidual,
    Money TotalInterest,
    Money TotalCompensation)
{
    /// <summary>Residual + interest + compensation: the amount the demand asks for.</summary>
    public Money TotalClaimed => TotalResidual + TotalInterest + TotalCompensation;
}

/// <summary>One period of interest on one installment.</summary>
/// <param name="Key">The installment.</param>
/// <param name="DocumentNumber">Its document.</param>
/// <param name="From">First day of the period.</param>
/// <param name="To">Last day of the period (inclusive).</param>
/// <param name="Days">Days in the period.</param>
/// <param name="RatePercent">The yearly rate applied (e.g. ECB rate + 8 points).</param>
/// <param name="Base">The amount interest accrues on in the period.</param>
/// <param name="Interest">The interest of the period, rounded to cents.</param>
public sealed record InterestStatementLine(
    InstallmentKey Key,
    string DocumentNumber,
    LocalDate From,
    LocalDate To,
    int Days,
    decimal RatePercent,
    Money Base,
    Money Interest);

/// <summary>The flat compensation for the recovery costs of one document (40 EUR by law).</summary>
/// <param name="DocumentNumber">The document.</param>
/// <param name="DocumentDate">Its date.</param>
/// <param name="Amount">The compensation.</param>
public sealed record CompensationLine(string DocumentNumber, LocalDate DocumentDate, Money Amount);
