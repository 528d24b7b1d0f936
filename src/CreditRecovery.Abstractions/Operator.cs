namespace CreditRecovery;

/// <summary>A person who works recovery cases: an operator or a supervisor (*operatore / responsabile*).</summary>
public sealed record Operator
{
    /// <summary>Identity.</summary>
    public required OperatorId Id { get; init; }

    /// <summary>Display name, used in letters ("your contact").</summary>
    public required string Name { get; init; }

    /// <summary>What the operator may do.</summary>
    public OperatorRole Role { get; init; } = OperatorRole.Operator;

    /// <summary>The supervisor who oversees this operator, if any.</summary>
    public OperatorId? SupervisorId { get; init; }

    /// <summary>Work e-mail.</summary>
    public string? Email { get; init; }

    /// <summary>Work phone.</summary>
    public string? Phone { get; init; }

    /// <summary>The companies the operator works for. Every query and command is refused outside them.</summary>
    public required IReadOnlySet<CompanyId> Companies { get; init; }

    /// <summary>Whether the operator is active; inactive operators get no new work and may not act.</summary>
    public bool Active { get; init; } = true;
}

/// <summary>What an operator may see and do (M10b).</summary>
public enum OperatorRole
{
    /// <summary>Sees and works the cases of the customers assigned to them.</summary>
    Operator,

    /// <summary>Sees and works their own cases and those of the operators they supervise; may reassign them.</summary>
    Supervisor,

    /// <summary>Sees and works every case of their companies and manages procedures, assignments and operators.</summary>
    Administrator,
}
