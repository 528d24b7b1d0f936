using System.Globalization;
using Npgsql;

namespace CreditRecovery.Storage.PostgreSql;

/// <summary>Which PostgreSQL database the store uses.</summary>
/// <remarks>
/// <para>
/// The store creates its tables (and upgrades them) in the first schema of the connection's search path, normally
/// <c>public</c>; to keep them in their own schema, create it and add <c>Search Path=credit_recovery</c> to the
/// connection string. The role needs the rights to create tables there on first start.
/// </para>
/// <para>The connection string may hold a password: it is never written to messages, logs or <see cref="ToString"/>.</para>
/// </remarks>
public sealed class PostgreSqlStoreOptions
{
    /// <summary>An Npgsql connection string, e.g. <c>Host=db;Database=recovery;Username=recovery;Password=...</c>. Required.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>Describes the options without the connection string's credentials.</summary>
    /// <returns><c>PostgreSqlStoreOptions { host:port/database }</c>, or a note that the connection string is unset or invalid.</returns>
    public override string ToString()
    {
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            return "PostgreSqlStoreOptions { no connection string }";
        }

        try
        {
            return "PostgreSqlStoreOptions { " + Describe(new NpgsqlConnectionStringBuilder(ConnectionString)) + " }";
        }
        catch (ArgumentException)
        {
            return "PostgreSqlStoreOptions { invalid connection string }";
        }
    }

    /// <summary>Returns every problem with the options; empty when they are usable. Never quotes the connection string.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            errors.Add("PostgreSqlStoreOptions.ConnectionString is required.");
            return errors;
        }

        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(ConnectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidCastException or OverflowException)
        {
            // The parser's message may quote a value of the string (a password): say only which kind of problem it is.
            errors.Add($"PostgreSqlStoreOptions.ConnectionString is not a valid Npgsql connection string ({ex.GetType().Name}).");
            return errors;
        }

        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            errors.Add("PostgreSqlStoreOptions.ConnectionString names no Host.");
        }

        if (builder.Multiplexing)
        {
            errors.Add("PostgreSqlStoreOptions.ConnectionString enables Multiplexing, which the store does not support: it runs its commits in transactions of their own connection.");
        }

        return errors;
    }

    /// <summary>The connection string the store uses: pooling on, no enlisting in ambient transactions.</summary>
    internal NpgsqlConnectionStringBuilder BuildConnectionString()
    {
        var builder = new NpgsqlConnectionStringBuilder(ConnectionString)
        {
            Pooling = true,
            Enlist = false,
        };
        if (string.IsNullOrEmpty(builder.ApplicationName))
        {
            builder.ApplicationName = "CreditRecovery";
        }

        return builder;
    }

    /// <summary><c>host:port/database</c>, for messages: never the credentials.</summary>
    internal static string Describe(NpgsqlConnectionStringBuilder builder) =>
        string.Create(CultureInfo.InvariantCulture, $"{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username ?? "(default)"}");
}
