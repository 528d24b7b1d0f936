using CreditRecovery.Ports;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Adapters.Mago.Tests;

public sealed class OptionsTests
{
    private const string Secret = "Server=mago-sql;Database=ACME;User Id=sa;Password=S3greta!;TrustServerCertificate=True";

    [Fact]
    public void AddMagoLedger_registers_the_source_with_SqlClient_by_default()
    {
        using var provider = new ServiceCollection().AddMagoLedger(o => o.ConnectionString = Secret).BuildServiceProvider();
        var source = provider.GetRequiredService<ILedgerSource>();
        Assert.IsType<MagoLedgerSource>(source);
        Assert.Equal("mago", source.Name);
        Assert.True(source.SupportsChanges);
    }

    [Fact]
    public void Missing_connection_string_and_unknown_provider_fail_validation()
    {
        using var provider = new ServiceCollection().AddMagoLedger(o => o.ProviderName = "No.Such.Provider").BuildServiceProvider();
        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MagoLedgerOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.Contains("ConnectionString is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("'No.Such.Provider'", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_is_wired_to_start()
    {
        var services = new ServiceCollection().AddMagoLedger(o => o.ConnectionString = "");
        using var provider = services.BuildServiceProvider();
        var startup = provider.GetRequiredService<IStartupValidator>();
        Assert.Throws<OptionsValidationException>(startup.Validate);
    }

    [Fact]
    public void The_connection_string_never_appears_in_validation_messages()
    {
        var options = new MagoLedgerOptions { ConnectionString = Secret + ";Bogus Keyword=1", DefaultCurrency = "EURO" };
        var errors = options.Validate();
        Assert.Contains(errors, e => e.Contains("not a valid connection string", StringComparison.Ordinal));
        Assert.All(errors, e => Assert.DoesNotContain("S3greta", e, StringComparison.Ordinal));
        var ex = Assert.Throws<ArgumentException>(() => new MagoLedgerSource(options));
        Assert.DoesNotContain("S3greta", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_connection_does_not_reveal_the_connection_string()
    {
        var options = new MagoLedgerOptions
        {
            ProviderName = "Microsoft.Data.Sqlite",
            ProviderFactory = SqliteFactory.Instance,
            ConnectionString = "Data Source=/nonexistent-folder/S3greta.db;Mode=ReadOnly",
            ConnectRetries = 0,
        };
        var source = new MagoLedgerSource(options);
        var ex = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var _ in source.ReadSnapshotAsync(new CompanyId("ACME")))
            {
            }
        });
        Assert.DoesNotContain("Mode=ReadOnly", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_source_bound_to_a_company_refuses_another()
    {
        var source = new MagoLedgerSource(new MagoLedgerOptions { ConnectionString = Secret, Company = "ACME" });
        Assert.Throws<ArgumentException>(() => source.ReadSnapshotAsync(new CompanyId("OTHER")));
        Assert.Throws<ArgumentException>(() => source.ReadChangesAsync(new CompanyId("ACME"), "yesterday"));
    }

    [Fact]
    public void SqlServer_dialect_quotes_with_brackets_and_uses_no_vendor_syntax()
    {
        var sql = new MagoSql(MagoSqlDialect.SqlServer, MagoBlockedHandling.HoldCustomer);
        var text = sql.Customers(changesOnly: true) + sql.Installments(changesOnly: true);
        Assert.Contains("FROM [MA_PyblsRcvbls] p", text, StringComparison.Ordinal);
        Assert.Contains("[MA_CustSupp]", text, StringComparison.Ordinal);
        Assert.DoesNotContain("\"", text, StringComparison.Ordinal);
        foreach (var vendor in new[] { " TOP ", "NOLOCK", "ISNULL", "GETDATE", " LIMIT " })
        {
            Assert.DoesNotContain(vendor, text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Equal("\"MA_CustSupp\"", MagoSqlDialect.Ansi.Quote("MA_CustSupp"));
        Assert.Throws<ArgumentException>(() => MagoSqlDialect.Ansi.Quote("x\"; DROP TABLE y; --"));
    }
}
