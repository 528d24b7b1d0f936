using System.Globalization;
using System.Reflection;
using Npgsql;

namespace CreditRecovery.Storage.PostgreSql.Schema;

/// <summary>
/// Creates and upgrades the schema from the SQL scripts embedded as <c>Migrations/NNN_name.sql</c>, recording each
/// applied version in <c>schema_version</c>. Refuses a database whose version is newer than the newest script.
/// </summary>
/// <remarks>
/// The whole migration runs in one transaction (PostgreSQL's DDL is transactional) under a transaction-scoped advisory
/// lock, so several workers starting at once on an empty database migrate it exactly once.
/// </remarks>
internal static class SchemaMigrator
{
    /// <summary>The advisory lock key that serializes migrations: "CRSTORE" in ASCII.</summary>
    internal const long MigrationLockKey = 0x43_52_53_54_4F_52_45;

    private const string ResourcePrefix = "CreditRecovery.Storage.PostgreSql.Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> LazyMigrations = new(LoadMigrations);

    /// <summary>The embedded migrations, by version.</summary>
    public static IReadOnlyList<Migration> Migrations => LazyMigrations.Value;

    /// <summary>The newest schema version this store knows.</summary>
    public static long LatestVersion => Migrations[^1].Version;

    /// <summary>Brings the database to <see cref="LatestVersion"/>.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="dataSource">The database's description (no credentials), for messages.</param>
    /// <returns>The version the database had before.</returns>
    /// <exception cref="PostgreSqlSchemaVersionException">The database is newer than this store.</exception>
    public static long Migrate(NpgsqlConnection connection, string dataSource)
    {
        using var transaction = connection.BeginTransaction();
        Execute(connection, transaction, "SELECT pg_advisory_xact_lock($1);", MigrationLockKey);
        Execute(
            connection,
            transaction,
            "CREATE TABLE IF NOT EXISTS schema_version (version bigint NOT NULL PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now());");

        var current = CurrentVersion(connection, transaction);
        if (current > LatestVersion)
        {
            throw new PostgreSqlSchemaVersionException(dataSource, current, LatestVersion);
        }

        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            Execute(connection, transaction, migration.Sql);
            Execute(connection, transaction, "INSERT INTO schema_version (version, name) VALUES ($1, $2);", migration.Version, migration.Name);
        }

        transaction.Commit();
        return current;
    }

    /// <summary>The database's schema version: 0 when none was applied.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The transaction, if any.</param>
    public static long CurrentVersion(NpgsqlConnection connection, NpgsqlTransaction? transaction = null)
    {
        using var command = new NpgsqlCommand("SELECT coalesce(max(version), 0) FROM schema_version;", connection, transaction);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static void Execute(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params object[] values)
    {
        using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        command.ExecuteNonQuery();
    }

    private static IReadOnlyList<Migration> LoadMigrations()
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var name = resource[ResourcePrefix.Length..^".sql".Length];
            var underscore = name.IndexOf('_', StringComparison.Ordinal);
            if (underscore <= 0 || !long.TryParse(name.AsSpan(0, underscore), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
            {
                throw new InvalidOperationException($"Embedded migration '{resource}' is not named NNN_description.sql.");
            }

            migrations.Add(new Migration(version, name, Read(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Embedded migrations must be numbered 1, 2, 3... without gaps; found {migrations[i].Name} at position {i + 1}.");
            }
        }

        return migrations.Count == 0 ? throw new InvalidOperationException("No embedded migration found.") : migrations;
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource) ?? throw new InvalidOperationException($"Embedded migration '{resource}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>One schema migration.</summary>
    /// <param name="Version">The version it brings the schema to.</param>
    /// <param name="Name">The script's name, e.g. <c>001_initial</c>.</param>
    /// <param name="Sql">The script.</param>
    internal sealed record Migration(long Version, string Name, string Sql);
}
