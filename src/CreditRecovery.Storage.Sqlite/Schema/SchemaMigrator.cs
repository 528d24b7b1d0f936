using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace CreditRecovery.Storage.Sqlite.Schema;

/// <summary>
/// Creates and upgrades the schema from the SQL scripts embedded as <c>Migrations/NNN_name.sql</c>, recording each
/// applied version in <c>schema_version</c>. Refuses a database whose version is newer than the newest script.
/// </summary>
internal static class SchemaMigrator
{
    private const string ResourcePrefix = "CreditRecovery.Storage.Sqlite.Migrations.";

    private static readonly Lazy<IReadOnlyList<Migration>> LazyMigrations = new(LoadMigrations);

    /// <summary>The embedded migrations, by version.</summary>
    public static IReadOnlyList<Migration> Migrations => LazyMigrations.Value;

    /// <summary>The newest schema version this store knows.</summary>
    public static long LatestVersion => Migrations[^1].Version;

    /// <summary>Brings the database to <see cref="LatestVersion"/>.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="dataSource">The database's name, for messages.</param>
    /// <returns>The version the database had before.</returns>
    /// <exception cref="SqliteSchemaVersionException">The database is newer than this store.</exception>
    public static long Migrate(SqliteConnection connection, string dataSource)
    {
        using var transaction = connection.BeginTransaction(deferred: false);
        using (var create = connection.CreateCommand())
        {
            create.Transaction = transaction;
            create.CommandText =
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT;";
            create.ExecuteNonQuery();
        }

        var current = CurrentVersion(connection, transaction);
        if (current > LatestVersion)
        {
            throw new SqliteSchemaVersionException(dataSource, current, LatestVersion);
        }

        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            using var apply = connection.CreateCommand();
            apply.Transaction = transaction;
            apply.CommandText = migration.Sql;
            apply.ExecuteNonQuery();

            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText =
                "INSERT INTO schema_version (version, name, applied_at) VALUES ($version, $name, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));";
            record.Parameters.AddWithValue("$version", migration.Version);
            record.Parameters.AddWithValue("$name", migration.Name);
            record.ExecuteNonQuery();
        }

        transaction.Commit();
        return current;
    }

    /// <summary>The database's schema version: 0 when none was applied.</summary>
    /// <param name="connection">An open connection.</param>
    /// <param name="transaction">The transaction, if any.</param>
    public static long CurrentVersion(SqliteConnection connection, SqliteTransaction? transaction = null)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT coalesce(max(version), 0) FROM schema_version;";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
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
