using CreditRecovery.Ports;
using CreditRecovery.Storage.Sqlite;
using CreditRecovery.Testing;

namespace CreditRecovery.Reports.Tests;

/// <summary>The stores the report tests run on: in-memory and SQLite (a shared in-memory database, one per store).</summary>
internal static class Stores
{
    public static readonly string[] Kinds = ["memory", "sqlite"];

    public static IRecoveryStore Create(string kind) => kind switch
    {
        "memory" => new InMemoryRecoveryStore(),
        "sqlite" => new SqliteRecoveryStore(new SqliteStoreOptions { ConnectionString = $"Data Source=reports-{Guid.NewGuid():N};Mode=Memory;Cache=Shared" }),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown store kind."),
    };

    public static async ValueTask DisposeAsync(IRecoveryStore store)
    {
        if (store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}
