using System.Data.Common;
using CreditRecovery.Testing;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace CreditRecovery.Adapters.Mago.Tests;

/// <summary>A throw-away database with Mago's tables (Database/schema.sql) and the demo company (Database/demo.sql).</summary>
public sealed class MagoDatabase : IAsyncDisposable
{
    private readonly Action? _cleanup;

    private MagoDatabase(string provider, DbProviderFactory factory, string connectionString, bool postgres, Action? cleanup)
    {
        ProviderName = provider;
        Factory = factory;
        ConnectionString = connectionString;
        IsPostgreSql = postgres;
        _cleanup = cleanup;
    }

    public string ProviderName { get; }

    public DbProviderFactory Factory { get; }

    public string ConnectionString { get; }

    public bool IsPostgreSql { get; }

    public static async Task<MagoDatabase> CreateSqliteAsync(bool demo = true)
    {
        var path = Path.Combine(Path.GetTempPath(), "mago-" + Guid.NewGuid().ToString("N") + ".db");
        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
        var db = new MagoDatabase("Microsoft.Data.Sqlite", SqliteFactory.Instance, connectionString, postgres: false, () => File.Delete(path));
        await db.InitializeAsync(demo);
        return db;
    }

    public static async Task<MagoDatabase> CreatePostgreSqlAsync(PostgreSqlServer server, bool demo = true)
    {
        var connectionString = await server.CreateDatabaseAsync("mago");
        var db = new MagoDatabase("Npgsql", NpgsqlFactory.Instance, connectionString, postgres: true, null);
        await db.InitializeAsync(demo);
        return db;
    }

    public MagoLedgerOptions Options(Action<MagoLedgerOptions>? configure = null)
    {
        var options = new MagoLedgerOptions
        {
            ProviderName = ProviderName,
            ProviderFactory = Factory,
            ConnectionString = ConnectionString,
            ConnectRetries = 0,
        };
        configure?.Invoke(options);
        return options;
    }

    public MagoLedgerSource Source(Action<MagoLedgerOptions>? configure = null) => new(Options(configure));

    /// <summary>Runs SQL written with Mago's SQL Server types (datetime becomes timestamp on PostgreSQL).</summary>
    public async Task ExecuteAsync(string sql)
    {
        await using var connection = Factory.CreateConnection()!;
        connection.ConnectionString = ConnectionString;
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = IsPostgreSql ? sql.Replace(" datetime ", " timestamp ", StringComparison.Ordinal) : sql;
        await command.ExecuteNonQueryAsync();
    }

    public ValueTask DisposeAsync()
    {
        if (!IsPostgreSql)
        {
            SqliteConnection.ClearAllPools();
        }

        try
        {
            _cleanup?.Invoke();
        }
        catch (IOException)
        {
        }

        return ValueTask.CompletedTask;
    }

    private async Task InitializeAsync(bool demo)
    {
        await ExecuteAsync(Resource("schema.sql"));
        if (demo)
        {
            await ExecuteAsync(Resource("demo.sql"));
        }
    }

    private static string Resource(string name)
    {
        using var stream = typeof(MagoDatabase).Assembly.GetManifestResourceStream("Mago." + name)
            ?? throw new InvalidOperationException($"Resource {name} is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>The PostgreSQL tests of this assembly, sharing one throw-away server.</summary>
[CollectionDefinition(Name)]
public sealed class PostgreSqlCollection : ICollectionFixture<PostgreSqlFixture>
{
    public const string Name = "Mago PostgreSQL";
}
