namespace CreditRecovery.Storage.PostgreSql;

/// <summary>
/// The database's schema is newer than this version of the store knows: it was written by a newer release of the SDK.
/// The store refuses to open it rather than misread it; upgrade the package.
/// </summary>
public sealed class PostgreSqlSchemaVersionException : CreditRecoveryException
{
    /// <summary>Creates the exception.</summary>
    public PostgreSqlSchemaVersionException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public PostgreSqlSchemaVersionException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public PostgreSqlSchemaVersionException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a database and the version this store supports.</summary>
    /// <param name="dataSource">The database, as <c>host:port/database</c> (never with credentials).</param>
    /// <param name="databaseVersion">The database's schema version.</param>
    /// <param name="supportedVersion">The newest schema version this store knows.</param>
    public PostgreSqlSchemaVersionException(string dataSource, long databaseVersion, long supportedVersion)
        : base($"The PostgreSQL database '{dataSource}' has schema version {databaseVersion}, newer than version {supportedVersion} that this CreditRecovery.Storage.PostgreSql knows: it was written by a newer release. Upgrade the package to open it.")
    {
        DatabaseVersion = databaseVersion;
        SupportedVersion = supportedVersion;
    }

    /// <summary>The database's schema version.</summary>
    public long DatabaseVersion { get; }

    /// <summary>The newest schema version this store knows.</summary>
    public long SupportedVersion { get; }
}
