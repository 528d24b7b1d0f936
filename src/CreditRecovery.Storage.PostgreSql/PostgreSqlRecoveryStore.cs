using CreditRecovery.Ports;
using CreditRecovery.Storage.PostgreSql.Schema;
using Npgsql;
using NodaTime;

namespace CreditRecovery.Storage.PostgreSql;

/// <summary>
/// The <see cref="IRecoveryStore"/> on PostgreSQL (Npgsql), for several workers sharing one database: every company's
/// customers, cases, history, outbox, tasks, agenda, assignments, quarantine and cursors.
/// </summary>
/// <remarks>
/// <para>
/// Opening the store creates the schema or upgrades it with the SQL scripts embedded in this assembly (under an
/// advisory lock, so workers starting together migrate once), and refuses a database written by a newer release
/// (<see cref="PostgreSqlSchemaVersionException"/>).
/// </para>
/// <para>
/// Each record is stored whole as JSON (the same payloads as the SQLite store) beside the columns that queries filter
/// on; every row carries its company and every query filters on it. Text columns are <c>COLLATE "C"</c>, so orders
/// are ordinal as in the other stores. <see cref="CommitAsync"/> applies a change set in one transaction: a case write
/// is an <c>UPDATE ... WHERE version = expected</c> (or, for a new case, an <c>INSERT ... ON CONFLICT DO NOTHING</c>)
/// whose row count is checked, so two workers writing the same case version cannot both succeed: the second waits
/// for the first's row lock, then finds the version changed and gets a <see cref="ConcurrencyConflictException"/>,
/// with nothing of its change set applied. Case writes are applied in key order, so that two change sets touching
/// the same cases cannot deadlock.
/// </para>
/// <para>
/// Each read takes its own pooled connection from one <see cref="NpgsqlDataSource"/>, so a caller may commit while it
/// still iterates a read stream. The store is thread-safe; register it as a singleton and dispose it when the
/// application stops.
/// </para>
/// </remarks>
public sealed partial class PostgreSqlRecoveryStore : IRecoveryStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;
    private int _disposed;

    /// <summary>Opens (creating or upgrading when needed) the store described by <paramref name="options"/>.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">The options are not usable.</exception>
    /// <exception cref="PostgreSqlSchemaVersionException">The database was written by a newer release.</exception>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public PostgreSqlRecoveryStore(PostgreSqlStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", errors), nameof(options));
        }

        var builder = options.BuildConnectionString();
        DataSource = PostgreSqlStoreOptions.Describe(builder);
        _dataSource = NpgsqlDataSource.Create(builder);
        try
        {
            using var connection = _dataSource.OpenConnection();
            SchemaMigrator.Migrate(connection, DataSource);
        }
        catch
        {
            _dataSource.Dispose();
            throw;
        }
    }

    /// <summary>Opens (creating or upgrading when needed) the store in the database a connection string names.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <exception cref="ArgumentException">The connection string is not usable.</exception>
    /// <exception cref="PostgreSqlSchemaVersionException">The database was written by a newer release.</exception>
    /// <exception cref="NpgsqlException">The database cannot be reached.</exception>
    public PostgreSqlRecoveryStore(string connectionString)
        : this(new PostgreSqlStoreOptions { ConnectionString = connectionString })
    {
    }

    /// <summary>The newest schema version this release knows (the number of its migration scripts).</summary>
    public static long SupportedSchemaVersion => SchemaMigrator.LatestVersion;

    /// <summary>The database, as <c>host:port/database</c>: never the credentials.</summary>
    public string DataSource { get; }

    /// <summary>Closes the store's pooled connections; the store cannot be used afterwards.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DateOnly Date(LocalDate date) => date.ToDateOnly();

    private static long Ticks(Instant instant) => instant.ToUnixTimeTicks();

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => value.ToString();
}
