namespace CreditRecovery.Procedures;

/// <summary>
/// Assigns a procedure to a scope. The most specific assignment wins: installment, then customer, then customer
/// category, then the company default (G3).
/// </summary>
/// <param name="Company">The company.</param>
/// <param name="Scope">What the assignment applies to.</param>
/// <param name="ScopeKey">The installment key, customer code or category; empty for <see cref="ProcedureScope.Company"/>.</param>
/// <param name="Purpose">Ordinary recovery, or unpaid bank receipts.</param>
/// <param name="ProcedureId">The procedure.</param>
public sealed record ProcedureAssignment(CompanyId Company, ProcedureScope Scope, string ScopeKey, ProcedurePurpose Purpose, string ProcedureId);

/// <summary>What a procedure assignment applies to.</summary>
public enum ProcedureScope
{
    /// <summary>The company default.</summary>
    Company,

    /// <summary>All customers of a category.</summary>
    CustomerCategory,

    /// <summary>One customer.</summary>
    Customer,

    /// <summary>One installment.</summary>
    Installment,
}

/// <summary>Which recovery situation a procedure is for.</summary>
public enum ProcedurePurpose
{
    /// <summary>Installments reaching or passing their due date.</summary>
    Ordinary,

    /// <summary>Bank receipts that came back unpaid (*RiBa insolute*).</summary>
    UnpaidReceipt,
}
