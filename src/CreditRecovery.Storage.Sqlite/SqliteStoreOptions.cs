using Microsoft.Data.Sqlite;

namespace CreditRecovery.Storage.Sqlite;

/// <summary>Where the SQLite store keeps its data, and how long it waits for a busy database.</summary>
/// <remarks>
/// Set exactly one of <see cref="ConnectionString"/> and <see cref="DatabasePath"/>. The database must be a file: the
/// store opens one connection per read (pooled), so that callers may commit while a read stream is still open, and
/// relies on WAL journaling for it. A shared-cache in-memory database
/// (<c>Data Source=name;Mode=Memory;Cache=Shared</c>) works for tests that do not commit while reading.
/// </remarks>
public sealed class SqliteStoreOptions
{
    /// <summary>A Microsoft.Data.Sqlite connection string, e.g. <c>Data Source=/var/lib/credit-recovery/store.db</c>.</summary>
    public string ConnectionString { get; set; } = string.Empty;

    /// <summary>The database file's path, as an alternative to <see cref="ConnectionString"/>; its folder is created when missing.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>How long a command waits for another connection's write lock before failing (SQLite <c>busy_timeout</c>). Default 30 seconds.</summary>
    public TimeSpan BusyTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Returns every problem with the options; empty when they are usable.</summary>
    internal IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var hasConnectionString = !string.IsNullOrWhiteSpace(ConnectionString);
        var hasPath = !string.IsNullOrWhiteSpace(DatabasePath);
        if (hasConnectionString == hasPath)
        {
            errors.Add(hasPath
                ? "Set either SqliteStoreOptions.ConnectionString or SqliteStoreOptions.DatabasePath, not both."
                : "SqliteStoreOptions.ConnectionString or SqliteStoreOptions.DatabasePath is required.");
        }
        else if (hasConnectionString)
        {
            try
            {
                var builder = new SqliteConnectionStringBuilder(ConnectionString);
                if (string.IsNullOrWhiteSpace(builder.DataSource))
                {
                    errors.Add("SqliteStoreOptions.ConnectionString names no Data Source.");
                }
                else if (IsPrivateMemory(builder))
                {
                    errors.Add("SqliteStoreOptions.ConnectionString names a private in-memory database, which every connection would see empty: use a file, or 'Data Source=NAME;Mode=Memory;Cache=Shared'.");
                }
            }
            catch (ArgumentException ex)
            {
                errors.Add("SqliteStoreOptions.ConnectionString is not a valid SQLite connection string: " + ex.Message);
            }
        }

        if (BusyTimeout < TimeSpan.Zero || BusyTimeout.TotalMilliseconds > int.MaxValue)
        {
            errors.Add("SqliteStoreOptions.BusyTimeout must be zero or positive, and below 24 days.");
        }

        return errors;
    }

    /// <summary>The connection string the store uses: pooling and foreign keys on.</summary>
    internal SqliteConnectionStringBuilder BuildConnectionString()
    {
        var builder = string.IsNullOrWhiteSpace(DatabasePath)
            ? new SqliteConnectionStringBuilder(ConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = DatabasePath };
        builder.Pooling = true;
        builder.ForeignKeys = true;
        builder.DefaultTimeout = (int)Math.Ceiling(BusyTimeout.TotalSeconds);
        return builder;
    }

    internal static bool IsMemory(SqliteConnectionStringBuilder builder) =>
        builder.Mode == SqliteOpenMode.Memory || IsPrivateMemory(builder);

    private static bool IsPrivateMemory(SqliteConnectionStringBuilder builder) =>
        string.Equals(builder.DataSource, ":memory:", StringComparison.Ordinal) ||
        (builder.Mode == SqliteOpenMode.Memory && builder.Cache != SqliteCacheMode.Shared);
}
