using Microsoft.Data.Sqlite;

namespace CreditRecovery.Storage.Sqlite.Tests;

/// <summary>A database file in a fresh temporary folder, deleted afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly List<SqliteRecoveryStore> _stores = [];

    public TestDatabase()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cr-sqlite-tests", Guid.NewGuid().ToString("N"));
        FilePath = Path.Combine(Folder, "sub", "store.db");
    }

    public string Folder { get; }

    public string FilePath { get; }

    /// <summary>Opens a store on the file; it is disposed with the database.</summary>
    public SqliteRecoveryStore Open()
    {
        var store = new SqliteRecoveryStore(new SqliteStoreOptions { DatabasePath = FilePath, BusyTimeout = TimeSpan.FromSeconds(5) });
        _stores.Add(store);
        return store;
    }

    /// <summary>A raw connection to the file, for checks the port does not expose.</summary>
    public SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = FilePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    public long Scalar(string sql)
    {
        using var connection = Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
