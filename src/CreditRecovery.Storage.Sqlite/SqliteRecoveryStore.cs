using System.Globalization;
using CreditRecovery.Ports;
using CreditRecovery.Storage.Json;
using CreditRecovery.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Storage.Sqlite;

/// <summary>
/// The embedded default <see cref="IRecoveryStore"/>: one SQLite file holding every company's customers, cases,
/// history, outbox, tasks, agenda, assignments, quarantine and cursors.
/// </summary>
/// <remarks>
/// <para>
/// Opening the store creates the schema or upgrades it with the SQL scripts embedded in this assembly, and refuses a
/// database written by a newer release (<see cref="SqliteSchemaVersionException"/>). The database runs in WAL mode
/// with foreign keys on and a busy timeout, so several processes may share the file.
/// </para>
/// <para>
/// Each record is stored whole as JSON beside the columns that queries filter on; every row carries its company and
/// every query filters on it. <see cref="CommitAsync"/> applies a change set in one <c>BEGIN IMMEDIATE</c>
/// transaction after checking every case's version. Each read opens its own pooled connection, so a caller may commit
/// while it still iterates a read stream.
/// </para>
/// <para>The store is thread-safe; register it as a singleton and dispose it when the application stops.</para>
/// </remarks>
public sealed partial class SqliteRecoveryStore : IRecoveryStore, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly string _connectionSetup;
    private readonly SqliteConnection? _keepAlive;
    private int _disposed;

    /// <summary>Opens (creating or upgrading when needed) the store described by <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    /// <exception cref="SqliteSchemaVersionException">The database was written by a newer release.</exception>
    public SqliteRecoveryStore(SqliteStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        if (!string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(options.DatabasePath));
            if (!string.IsNullOrEmpty(folder))
            {
                Directory.CreateDirectory(folder);
            }
        }

        var builder = options.BuildConnectionString();
        _connectionString = builder.ToString();
        DataSource = builder.DataSource;
        _connectionSetup = string.Create(
            CultureInfo.InvariantCulture,
            $"PRAGMA busy_timeout = {(long)options.BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys = ON;");

        var isMemory = SqliteStoreOptions.IsMemory(builder);
        try
        {
            if (isMemory)
            {
                // A shared-cache memory database lives while one connection is open.
                _keepAlive = new SqliteConnection(_connectionString);
                _keepAlive.Open();
            }

            using var connection = Open();
            if (!isMemory)
            {
                using var wal = connection.CreateCommand();
                wal.CommandText = "PRAGMA journal_mode = WAL;";
                wal.ExecuteNonQuery();
            }

            SchemaMigrator.Migrate(connection, DataSource);
        }
        catch
        {
            _keepAlive?.Dispose();
            ClearPool();
            throw;
        }
    }

    /// <summary>Opens (creating or upgrading when needed) the store in a database file.</summary>
    /// <param name="databasePath">The database file's path; its folder is created when missing.</param>
    /// <exception cref="ArgumentException">The path is empty.</exception>
    /// <exception cref="SqliteSchemaVersionException">The database was written by a newer release.</exception>
    public SqliteRecoveryStore(string databasePath)
        : this(new SqliteStoreOptions { DatabasePath = databasePath })
    {
    }

    /// <summary>The newest schema version this release knows (the number of its migration scripts).</summary>
    public static long SupportedSchemaVersion => SchemaMigrator.LatestVersion;

    /// <summary>The database file (SQLite <c>Data Source</c>).</summary>
    public string DataSource { get; }

    /// <summary>Closes the store's idle pooled connections; the store cannot be used afterwards.</summary>
    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _keepAlive?.Dispose();
            ClearPool();
        }

        return ValueTask.CompletedTask;
    }

    private void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var setup = connection.CreateCommand();
            setup.CommandText = _connectionSetup;
            setup.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async ValueTask<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var setup = connection.CreateCommand();
            setup.CommandText = _connectionSetup;
            await setup.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static string Text(LocalDate date) => LocalDatePattern.Iso.Format(date);

    private static long Ticks(Instant instant) => instant.ToUnixTimeTicks();

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString();
}
