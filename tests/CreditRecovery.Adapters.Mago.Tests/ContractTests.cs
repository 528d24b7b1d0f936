using CreditRecovery.Testing;

namespace CreditRecovery.Adapters.Mago.Tests;

/// <summary>The adapter's contract on SQLite (Microsoft.Data.Sqlite).</summary>
public sealed class SqliteMagoContractTests
{
    [Fact]
    public async Task Snapshot_matches_the_expectation_table()
    {
        await using var db = await MagoDatabase.CreateSqliteAsync();
        await MagoContract.Snapshot_matches_the_expectation_table(db);
    }

    [Fact]
    public async Task Suppliers_are_excluded()
    {
        await using var db = await MagoDatabase.CreateSqliteAsync();
        await MagoContract.Suppliers_are_excluded(db);
    }

    [Fact]
    public async Task Unknown_enum_is_quarantined_and_the_rest_is_read()
    {
        await using var db = await MagoDatabase.CreateSqliteAsync();
        await MagoContract.Unknown_enum_is_quarantined_and_the_rest_is_read(db);
    }

    [Fact]
    public async Task Unknown_closing_type_and_customer_type_are_quarantined()
    {
        await using var db = await MagoDatabase.CreateSqliteAsync();
        await MagoContract.Unknown_closing_type_and_customer_type_are_quarantined(db);
    }

    [Fact]
    public async Task Incremental_read_returns_only_the_change_and_a_checkpoint()
    {
        await using var db = await MagoDatabase.CreateSqliteAsync();
        await MagoContract.Incremental_read_returns_only_the_change_and_a_checkpoint(db);
    }
}

/// <summary>The same contract on a real PostgreSQL (skipped where PostgreSQL is missing, unless CI=true).</summary>
[Collection(PostgreSqlCollection.Name)]
public sealed class PostgreSqlMagoContractTests(PostgreSqlFixture fixture)
{
    [PostgreSqlFact]
    public async Task Snapshot_matches_the_expectation_table()
    {
        await using var db = await MagoDatabase.CreatePostgreSqlAsync(fixture.Server);
        await MagoContract.Snapshot_matches_the_expectation_table(db);
    }

    [PostgreSqlFact]
    public async Task Suppliers_are_excluded()
    {
        await using var db = await MagoDatabase.CreatePostgreSqlAsync(fixture.Server);
        await MagoContract.Suppliers_are_excluded(db);
    }

    [PostgreSqlFact]
    public async Task Unknown_enum_is_quarantined_and_the_rest_is_read()
    {
        await using var db = await MagoDatabase.CreatePostgreSqlAsync(fixture.Server);
        await MagoContract.Unknown_enum_is_quarantined_and_the_rest_is_read(db);
    }

    [PostgreSqlFact]
    public async Task Unknown_closing_type_and_customer_type_are_quarantined()
    {
        await using var db = await MagoDatabase.CreatePostgreSqlAsync(fixture.Server);
        await MagoContract.Unknown_closing_type_and_customer_type_are_quarantined(db);
    }

    [PostgreSqlFact]
    public async Task Incremental_read_returns_only_the_change_and_a_checkpoint()
    {
        await using var db = await MagoDatabase.CreatePostgreSqlAsync(fixture.Server);
        await MagoContract.Incremental_read_returns_only_the_change_and_a_checkpoint(db);
    }
}
