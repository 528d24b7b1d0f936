using System.Text.Json.Nodes;
using CreditRecovery.Ledger;
using CreditRecovery.Samples.MexalDemo;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;

namespace CreditRecovery.Adapters.Mexal.Tests;

/// <summary>Starts the demo Mexal WebAPI server on loopback and connects the real adapter to it over HTTP.</summary>
internal static class MexalDemo
{
    public static readonly DateTimeZone Rome = DateTimeZoneProviders.Tzdb["Europe/Rome"];

    /// <summary>A smaller book than the sample's (faster), still many pages.</summary>
    public static Task<MexalDemoServer> StartAsync(int customers = 60, int servicePool = 5, bool https = false) =>
        MexalDemoServer.StartAsync(new MexalDemoOptions { Customers = customers, ServicePool = servicePool, Https = https });

    public static FakeClock ClockAt(LocalDate date) => new(date.At(new LocalTime(9, 0)).InZoneLeniently(Rome).ToInstant());

    /// <summary>The adapter as a host gets it: <c>AddMexalLedger</c>, typed HttpClient from IHttpClientFactory.</summary>
    public static ServiceProvider Services(MexalDemoServer server, IClock clock, Action<MexalLedgerOptions>? tweak = null)
    {
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddMexalLedger(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.User = server.User;
            o.Password = server.Password;
            o.Company = server.Company;
            o.Year = server.Year;
            o.PageSize = 50;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
            tweak?.Invoke(o);
        });
        return services.BuildServiceProvider();
    }

    public static MexalLedgerSource Source(this ServiceProvider services) => services.GetRequiredService<MexalLedgerSource>();

    public static CompanyId Company(this MexalDemoServer server) => new(server.Company);

    public static async Task<List<LedgerRecord>> ReadAllAsync(IAsyncEnumerable<LedgerRecord> feed)
    {
        var list = new List<LedgerRecord>();
        await foreach (var record in feed)
        {
            list.Add(record);
        }

        return list;
    }

    /// <summary>The key prefix of a scadenzario record, as the adapter builds installment keys.</summary>
    public static string KeyPrefix(JsonObject record) =>
        $"mexal/{((string)record["codice"]!).Replace("/", "%2F", StringComparison.Ordinal)}/{record["dt_registr_doc"]}/{record["anno_primanota"]}/{record["prog_primanota"]}/";
}
