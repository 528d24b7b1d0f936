namespace CreditRecovery;

/// <summary>
/// Identifies a company (*azienda*): the tenant every record belongs to. Queries never cross companies.
/// </summary>
/// <param name="Value">The company code, as the ERP knows it (e.g. Mexal's <c>Azienda</c> code).</param>
public readonly record struct CompanyId(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>
/// The stable key of one installment in the ERP ledger. It must not change while the installment exists,
/// and must never be reused for another installment; adapters build it from the ERP's own identity
/// (e.g. document registration, journal progressive and the installment's index).
/// </summary>
/// <param name="Value">The key text.</param>
public readonly record struct InstallmentKey(string Value)
{
    /// <inheritdoc />
    public override string ToString() => Value;
}

/// <summary>Identifies an operator or supervisor (*operatore / responsabile*).</summary>
/// <param name="Value">The operator's login or code.</param>
public readonly record struct OperatorId(string Value)
{
    /// <summary>The identity the engine acts under for automatic work (ledger alignment, daily run).</summary>
    public static OperatorId System { get; } = new("system");

    /// <inheritdoc />
    public override string ToString() => Value;
}
