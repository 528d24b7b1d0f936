namespace CreditRecovery.Work;

/// <summary>
/// The operators responsible for a customer's recovery (G1/G9), the first being the main one. Operators see the cases of
/// the customers assigned to them; supervisors also see their team's.
/// </summary>
/// <param name="Company">The company.</param>
/// <param name="CustomerCode">The customer.</param>
/// <param name="Responsibles">The responsible operators, main one first.</param>
public sealed record CustomerAssignment(CompanyId Company, string CustomerCode, IReadOnlyList<OperatorId> Responsibles);
