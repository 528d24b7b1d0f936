using System.Text.Json;
using CreditRecovery.Samples.MexalDemo;
using NodaTime;
using Xunit.Abstractions;

namespace CreditRecovery.Adapters.Mexal.Tests;

/// <summary>The demo company: big enough, every scenario present, deterministic, moved by AdvanceTo.</summary>
public sealed class DemoBookTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_default_book_has_every_scenario_the_sample_needs()
    {
        await using var server = await MexalDemoServer.StartAsync();
        var s = server.Book.Statistics;
        output.WriteLine(JsonSerializer.Serialize(s, new JsonSerializerOptions { WriteIndented = true }));
        output.WriteLine($"At {server.CurrentDate:uuuu-MM-dd}: {server.Book.Records("clienti").Count} customers, {server.Book.Records("scadenzario").Count} scadenzario records.");

        Assert.True(s.Customers >= 200, $"{s.Customers} customers");
        Assert.True(s.Installments >= 2000, $"{s.Installments} installments");
        Assert.All(new[] { "B", "F", "R" }, t => Assert.True(s.InstallmentsByType[t] > 100, $"{s.InstallmentsByType[t]} of type {t}"));
        Assert.All(
            new[] { s.CustomersWithPec, s.CustomersInExcludedCategories, s.DoNotDunCustomers, s.BlockedCustomers, s.CreditNotes, s.PaidOnTime, s.PaidLate, s.PartiallyPaid, s.UnpaidReceipts, s.UnpaidReceiptsLaterPaid, s.NeverPaid, s.DunnedInMexal, s.InLegalAction },
            n => Assert.True(n > 0));
        Assert.Equal(s.Customers, server.Book.Records("clienti").Count); // All customers exist from 1 January; the duplicate goes two days after the start.
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_book_and_AdvanceTo_applies_the_script_day_by_day()
    {
        await using var a = await MexalDemoServer.StartAsync(new MexalDemoOptions { Customers = 30 });
        await using var b = await MexalDemoServer.StartAsync(new MexalDemoOptions { Customers = 30 });
        await using var c = await MexalDemoServer.StartAsync(new MexalDemoOptions { Customers = 30, Seed = 7 });
        string Json(MexalDemoServer s) => string.Join('\n', s.Book.Records("scadenzario").Select(r => r.ToJsonString()));
        Assert.Equal(Json(a), Json(b));
        Assert.NotEqual(Json(a), Json(c));

        var before = a.Book.LastStamp;
        var events = a.AdvanceTo(a.CurrentDate.PlusDays(7));
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.InRange(e.Date, new LocalDate(2026, 6, 2), new LocalDate(2026, 6, 8)));
        var touched = a.Book.Records("scadenzario").Count(r => string.CompareOrdinal((string)r["data_ult_mod"]!, before) >= 0);
        Assert.True(touched > 0 && touched <= events.Count, $"{touched} records stamped after {before} for {events.Count} events");
        Assert.Empty(a.AdvanceTo(a.CurrentDate));
        Assert.Throws<ArgumentOutOfRangeException>(() => a.AdvanceTo(a.CurrentDate.PlusDays(-1)));
    }
}
