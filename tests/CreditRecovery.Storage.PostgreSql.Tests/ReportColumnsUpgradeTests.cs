using CreditRecovery.Ports;
using CreditRecovery.Testing;
using CreditRecovery.Testing.Reporting;
using NodaTime;
using Npgsql;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Storage.PostgreSql.Tests;

/// <summary>
/// A version-2 database (before the report columns) is upgraded by migration 003: the columns and the responsibles are
/// backfilled from the JSON payloads, and the reports give what they gave on rows written by the current code.
/// </summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class ReportColumnsUpgradeTests(PostgreSqlFixture fixture)
{
    [PostgreSqlFact]
    public async Task Migration_3_backfills_the_report_columns_of_existing_rows()
    {
        await using var db = await TestDatabase.CreateAsync(fixture, "upgrade3");
        var asOf = new LocalDate(2025, 6, 30);
        var store = db.Open();
        await store.CommitAsync(Everything(Acme));
        await store.CommitAsync(ReportBook.Build(Acme, asOf, ReportBook.Random(seed: 4, count: 150, customers: 15)));

        var queries = Enum.GetValues<AgingDimension>()
            .SelectMany(d => new CustomerScope?[] { null, new([ReportBook.Operators[0]], false), new([ReportBook.Operators[1]], true) }
                .Select(s => new AgingQuery { AsOf = asOf, GroupBy = d, Scope = s }))
            .ToList();
        var before = new List<List<AgingCell>>();
        foreach (var query in queries)
        {
            before.Add(ReportBook.Sorted(await store.ReadAgingAsync(Acme, query).ToListAsync()));
        }

        await store.DisposeAsync();

        // Back to the version-2 layout: the rows stay, the report columns and the responsibles go.
        await db.ExecuteAsync("""
            ALTER TABLE cases DROP COLUMN due_date, DROP COLUMN currency, DROP COLUMN residual, DROP COLUMN payment_type;
            ALTER TABLE customers DROP COLUMN name, DROP COLUMN agent, DROP COLUMN sales_area, DROP COLUMN category;
            DROP TABLE customer_responsibles;
            DELETE FROM schema_version WHERE version = 3;
            """);
        NpgsqlConnection.ClearAllPools();

        var upgraded = db.Open();
        Assert.Equal(3L, await db.ScalarAsync("SELECT max(version) FROM schema_version;"));
        for (var i = 0; i < queries.Count; i++)
        {
            Assert.NotEmpty(before[i]);
            Assert.Equal(before[i], ReportBook.Sorted(await upgraded.ReadAgingAsync(Acme, queries[i]).ToListAsync()));
        }

        await upgraded.DisposeAsync();
    }
}
