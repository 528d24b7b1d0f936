using CreditRecovery.Adapters.Mexal;
using CreditRecovery.Cases;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Samples.Console;
using CreditRecovery.Samples.MexalDemo;
using CreditRecovery.Work;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using NodaTime;

namespace CreditRecovery.Samples.Tests;

/// <summary>
/// The README's main job, run for a simulated month: cases for every overdue installment of the ERP and none for paid
/// ones, the pickup folder and the letters matching what the store says was sent, and the summary matching the store.
/// </summary>
public sealed class DemoEndToEndTests(SimulatedMonth month) : IClassFixture<SimulatedMonth>
{
    private static readonly LocalDate From = SimulatedMonth.From;

    private DemoOutcome Outcome => month.Outcome;

    private SamplePaths Paths => month.Paths;

    [Fact]
    public async Task Every_overdue_installment_of_the_erp_has_an_open_case_and_no_paid_one_has()
    {
        var last = Outcome.Days[^1].Date;
        Assert.Equal(22, Outcome.Days.Count); // the business days of June 2026 (2 June is a holiday, but the ERP runs)
        Assert.All(Outcome.Days, d => Assert.Empty(d.Run.Errors));

        // Read the ERP once more, independently, through the adapter on a demo server advanced to the same day.
        await using var demo = await MexalDemoServer.StartAsync(new MexalDemoOptions { StartDate = From });
        demo.AdvanceTo(last);
        var services = new ServiceCollection().AddSingleton(demo.Clock)
            .AddMexalLedger(o => { o.BaseAddress = demo.BaseAddress; o.User = demo.User; o.Password = demo.Password; o.Company = demo.Company; o.Year = demo.Year; })
            .BuildServiceProvider();
        await using var _ = services;
        var ledger = services.GetRequiredService<ILedgerSource>();
        var installments = new List<Installment>();
        var customers = new Dictionary<string, Customer>(StringComparer.Ordinal);
        await foreach (var record in ledger.ReadSnapshotAsync(Outcome.Company))
        {
            switch (record)
            {
                case InstallmentRecord i:
                    installments.Add(i.Installment);
                    break;
                case CustomerRecord c:
                    customers[c.Customer.Code] = c.Customer;
                    break;
            }
        }

        await using var session = SampleHost.Build(Paths, demo.Company, demo.Clock, mexal: null);
        var store = session.GetRequiredService<CreditRecoveryEngine>().Store;
        var cases = (await store.ReadCasesAsync(Outcome.Company, CaseFilter.All).ToListAsync()).ToDictionary(c => c.Key);

        var overdue = installments.Where(i => i.OpenResidual.Amount > 0m && i.DueDate < last && i.Document.Kind != DocumentKind.CreditNote).ToList();
        var paid = installments.Where(i => i.OpenResidual.Amount <= 0m).ToList();
        Assert.True(overdue.Count > 100, $"the demo should have many overdue installments, found {overdue.Count}");
        Assert.True(paid.Count > 500, $"the demo should have many paid installments, found {paid.Count}");
        Assert.All(overdue, i =>
        {
            Assert.True(cases.TryGetValue(i.Key, out var c), $"no case for overdue installment {i.Key} of {i.CustomerCode}");
            Assert.True(c!.IsOpen, $"case {i.Key} is {c.Status} though the ERP shows {i.OpenResidual} open");
            Assert.Equal(i.OpenResidual, c.Installment.OpenResidual);
        });
        Assert.All(paid, i => Assert.False(cases.TryGetValue(i.Key, out var c) && c.IsOpen, $"installment {i.Key} is paid in the ERP but its case is open"));
    }

    [Fact]
    public async Task The_pickup_folder_holds_exactly_the_sent_messages_with_their_recipients_and_amounts()
    {
        await using var session = SampleHost.Build(Paths, Outcome.Company.Value, FixedReadingClock.Instance, mexal: null);
        var store = session.GetRequiredService<CreditRecoveryEngine>().Store;
        var sent = new List<OutboxMessage>();
        foreach (var status in new[] { OutboxStatus.Sent, OutboxStatus.Delivered })
        {
            sent.AddRange(await store.ReadOutboxAsync(Outcome.Company, status).ToListAsync());
        }

        var mail = sent.Where(m => m.Channel is DeliveryChannel.Email or DeliveryChannel.Pec).ToList();
        Assert.NotEmpty(mail);
        Assert.Contains(mail, m => m.Channel == DeliveryChannel.Pec);
        var files = Directory.EnumerateFiles(Paths.Pickup, "*.eml", SearchOption.AllDirectories)
            .Select(f => MimeMessage.Load(f))
            .ToDictionary(m => m.MessageId ?? "", StringComparer.Ordinal);
        Assert.Equal(mail.Count, files.Count);
        foreach (var message in mail)
        {
            var id = Assert.Single(files.Keys, k => OutboxMessageIds.TryParse(k, out var company, out var outboxId) && company == message.Company && outboxId == message.Id);
            var eml = files[id];
            Assert.Equal(message.Recipient, eml.To.Mailboxes.Single().Address);
            Assert.Equal(message.Cc.Order(StringComparer.Ordinal), eml.Cc.Mailboxes.Select(m => m.Address).Order(StringComparer.Ordinal));
            var body = eml.TextBody;
            Assert.All(message.Lines, l => Assert.Contains(l.DocumentNumber, body, StringComparison.Ordinal));
            Assert.Contains(message.TotalResidual.Amount.ToString("N2", System.Globalization.CultureInfo.GetCultureInfo("it-IT")), body, StringComparison.Ordinal);
        }

        var letters = sent.Count(m => m.Channel == DeliveryChannel.Letter);
        Assert.Equal(letters, Outcome.Summary.LetterFiles);
    }

    [Fact]
    public void The_summary_is_consistent_with_the_store_and_the_files()
    {
        var summary = Outcome.Summary;
        Assert.True(summary.IsConsistent, $"pickup {summary.PickupFiles} / letters {summary.LetterFiles} vs store {summary.SentInStore}");
        Assert.True(summary.CasesOpened > 0);
        Assert.Equal(Outcome.Days.Sum(d => d.Ledger.CasesOpened), summary.CasesOpened);
        Assert.Equal(Outcome.Days.Sum(d => d.Dispatch.Sent), summary.SentInStore.Mail + summary.SentInStore.Letters);
        Assert.NotEmpty(summary.OpenTasksByOperator);
    }
}

/// <summary>The demo run once for the whole class: June 2026, in a folder of its own.</summary>
public sealed class SimulatedMonth : IAsyncLifetime
{
    public static readonly LocalDate From = new(2026, 6, 1);

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("cr-sample-");

    internal SamplePaths Paths => new(_folder.FullName);

    internal DemoOutcome Outcome { get; private set; } = null!;

    public async Task InitializeAsync() => Outcome = await new DemoSimulation(Paths).RunAsync(From, 30);

    public Task DisposeAsync()
    {
        _folder.Delete(recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>The summary and the files do not depend on the clock of the reading session.</summary>
internal sealed class FixedReadingClock : IClock
{
    public static readonly FixedReadingClock Instance = new();

    public Instant GetCurrentInstant() => Instant.FromUtc(2026, 7, 1, 12, 0);
}
