namespace CreditRecovery;

/// <summary>The base of every exception the SDK throws on purpose.</summary>
public abstract class CreditRecoveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected CreditRecoveryException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    protected CreditRecoveryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    protected CreditRecoveryException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A case changed since it was read (another worker or operator wrote it). Nothing of the change set was applied.</summary>
public sealed class ConcurrencyConflictException : CreditRecoveryException
{
    /// <summary>Creates the exception.</summary>
    public ConcurrencyConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ConcurrencyConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ConcurrencyConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a case.</summary>
    /// <param name="company">The company.</param>
    /// <param name="key">The case.</param>
    /// <param name="expectedVersion">The version the writer read.</param>
    /// <param name="actualVersion">The version stored now.</param>
    public ConcurrencyConflictException(CompanyId company, InstallmentKey key, long expectedVersion, long actualVersion)
        : base($"Case {key} of company {company} is at version {actualVersion}, not {expectedVersion}: it changed since it was read.")
    {
        Company = company;
        Key = key;
        ExpectedVersion = expectedVersion;
        ActualVersion = actualVersion;
    }

    /// <summary>The company.</summary>
    public CompanyId? Company { get; }

    /// <summary>The case.</summary>
    public InstallmentKey? Key { get; }

    /// <summary>The version the writer read.</summary>
    public long ExpectedVersion { get; }

    /// <summary>The version stored now.</summary>
    public long ActualVersion { get; }
}

/// <summary>The acting operator may not see or do what was asked (M10b).</summary>
public sealed class AccessDeniedException : CreditRecoveryException
{
    /// <summary>Creates the exception.</summary>
    public AccessDeniedException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public AccessDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public AccessDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A command does not apply to the case in its current state (e.g. a promise on a closed case).</summary>
public sealed class InvalidCaseOperationException : CreditRecoveryException
{
    /// <summary>Creates the exception.</summary>
    public InvalidCaseOperationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public InvalidCaseOperationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public InvalidCaseOperationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>A procedure or procedure set is invalid; <see cref="Errors"/> lists every problem found.</summary>
public sealed class ProcedureValidationException : CreditRecoveryException
{
    /// <summary>Creates the exception.</summary>
    public ProcedureValidationException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public ProcedureValidationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public ProcedureValidationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception from a list of problems.</summary>
    /// <param name="errors">Every problem, each naming the procedure and step.</param>
    public ProcedureValidationException(IReadOnlyList<string> errors)
        : base("Invalid recovery procedures:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    /// <summary>Every problem found.</summary>
    public IReadOnlyList<string> Errors { get; } = [];
}
