using CreditRecovery.Cases;
using CreditRecovery.Delivery;
using CreditRecovery.Delivery.Letters;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Running;
using CreditRecovery.Samples.MexalDemo;
using CreditRecovery.Work;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CreditRecovery.Samples.Console;

/// <summary>What happened on one simulated day.</summary>
internal sealed record SimulatedDay(
    LocalDate Date,
    int ErpEvents,
    LedgerSyncReport Ledger,
    RunReport Run,
    DispatchReport Dispatch,
    LetterBatchResult? PrintBatch,
    int CallsMade);

/// <summary>
/// The README's main job: a demo Mexal company on a loopback WebAPI server, linked through the real Mexal adapter over
/// HTTP, simulated day by day — the ERP's events, ledger sync, the daily run, dispatch to the pickup folder and PDF
/// letters, and the day's print batch.
/// </summary>
internal sealed class DemoSimulation
{
    private readonly SamplePaths _paths;

    public DemoSimulation(SamplePaths paths) => _paths = paths;

    /// <summary>Runs the days from <paramref name="from"/> for <paramref name="days"/> days (business days only).</summary>
    public async Task<DemoOutcome> RunAsync(LocalDate from, int days, Action<SimulatedDay>? onDay = null, CancellationToken cancellationToken = default)
    {
        _paths.Reset();
        await using var demo = await MexalDemoServer.StartAsync(new MexalDemoOptions { StartDate = from }, cancellationToken);
        var company = new CompanyId(demo.Company);
        await using var services = SampleHost.Build(_paths, demo.Company, demo.Clock, new MexalConnection(demo.BaseAddress, demo.User, demo.Password, demo.Company, demo.Year, demo.Domain));
        var engine = services.GetRequiredService<CreditRecoveryEngine>();
        var letters = services.GetRequiredService<LetterBatch>();
        await SampleHost.EnsureOfficeAsync(engine, company, cancellationToken);

        var simulated = new List<SimulatedDay>();
        var last = from;
        for (var date = from; date < from.PlusDays(days); date = date.PlusDays(1))
        {
            if (date.DayOfWeek is IsoDayOfWeek.Saturday or IsoDayOfWeek.Sunday)
            {
                continue;
            }

            var events = date == from ? [] : demo.AdvanceTo(date);
            var (ledger, run) = await engine.RunDayAsync(company, date, RunOptions.Default, cancellationToken);
            var dispatch = await engine.Dispatcher.DispatchAsync(company, cancellationToken: cancellationToken);
            var batch = dispatch.SentByChannel.ContainsKey(DeliveryChannel.Letter) ? await letters.CreateAsync(date, cancellationToken) : null;
            var calls = await MakeTheDaysCallsAsync(engine, company, date, cancellationToken);
            var day = new SimulatedDay(date, events.Count, ledger, run, dispatch, batch, calls);
            simulated.Add(day);
            onDay?.Invoke(day);
            last = date;
        }

        _paths.SaveLastRun(demo.Company, last);
        return new DemoOutcome(company, demo.Book.Statistics.Installments, simulated, await DemoSummary.ReadAsync(engine, company, _paths, cancellationToken));
    }

    /// <summary>
    /// The operators at work: each phone call due today is made by its assignee and recorded as unanswered, which
    /// completes the procedure step so that the next one (the formal demand by PEC) follows on its date.
    /// </summary>
    private static async Task<int> MakeTheDaysCallsAsync(CreditRecoveryEngine engine, CompanyId company, LocalDate date, CancellationToken cancellationToken)
    {
        var calls = await engine.Store.ReadTasksAsync(company, new TaskFilter { Status = OperatorTaskStatus.Open }, cancellationToken)
            .Where(t => t.Kind == OperatorTaskKind.PhoneCall && t.DueOn <= date)
            .ToListAsync(cancellationToken);
        foreach (var call in calls)
        {
            await engine.Desk.CompleteTaskAsync(call.AssignedTo ?? SampleHost.Sara, company, call.Id, "chiamata senza risposta, lasciato messaggio in segreteria", cancellationToken);
        }

        return calls.Count;
    }
}

/// <summary>The whole simulation: the days and the store's summary at the end.</summary>
internal sealed record DemoOutcome(CompanyId Company, int ErpInstallments, IReadOnlyList<SimulatedDay> Days, DemoSummary Summary);

/// <summary>The summary printed at the end, read back from the store and the output folders (not from the day reports).</summary>
internal sealed record DemoSummary(
    IReadOnlyDictionary<CaseStatus, int> CasesByStatus,
    IReadOnlyDictionary<(DeliveryChannel Channel, OutboxStatus Status), int> MessagesByChannel,
    IReadOnlyDictionary<string, int> OpenTasksByOperator,
    int PickupFiles,
    int LetterFiles,
    int QuarantinedRecords)
{
    public int CasesOpened => CasesByStatus.Values.Sum();

    public int CasesClosed => CasesByStatus.GetValueOrDefault(CaseStatus.Closed);

    /// <summary>Messages the store says were sent through the pickup folder (e-mail, PEC, fax) and as letters.</summary>
    public (int Mail, int Letters) SentInStore => (
        MessagesByChannel.Where(m => m.Key.Status is OutboxStatus.Sent or OutboxStatus.Delivered && m.Key.Channel is DeliveryChannel.Email or DeliveryChannel.Pec or DeliveryChannel.Fax).Sum(m => m.Value),
        MessagesByChannel.Where(m => m.Key.Status is OutboxStatus.Sent or OutboxStatus.Delivered && m.Key.Channel == DeliveryChannel.Letter).Sum(m => m.Value));

    /// <summary>Whether the files written match what the store says was sent.</summary>
    public bool IsConsistent => SentInStore.Mail == PickupFiles && SentInStore.Letters == LetterFiles;

    public static async Task<DemoSummary> ReadAsync(CreditRecoveryEngine engine, CompanyId company, SamplePaths paths, CancellationToken cancellationToken)
    {
        var store = engine.Store;
        var cases = await store.ReadCasesAsync(company, CaseFilter.All, cancellationToken).ToListAsync(cancellationToken);
        var messages = new Dictionary<(DeliveryChannel, OutboxStatus), int>();
        foreach (var status in Enum.GetValues<OutboxStatus>())
        {
            await foreach (var m in store.ReadOutboxAsync(company, status, cancellationToken))
            {
                messages[(m.Channel, status)] = messages.GetValueOrDefault((m.Channel, status)) + 1;
            }
        }

        var tasks = await store.ReadTasksAsync(company, new TaskFilter { Status = OperatorTaskStatus.Open }, cancellationToken).ToListAsync(cancellationToken);
        var quarantined = await store.ReadQuarantineAsync(company, cancellationToken).CountAsync(cancellationToken);
        return new DemoSummary(
            cases.GroupBy(c => c.Status).ToDictionary(g => g.Key, g => g.Count()),
            messages,
            tasks.GroupBy(t => t.AssignedTo?.Value ?? "(unassigned)").ToDictionary(g => g.Key, g => g.Count()),
            Directory.Exists(paths.Pickup) ? Directory.EnumerateFiles(paths.Pickup, "*.eml", SearchOption.AllDirectories).Count() : 0,
            Directory.Exists(paths.Letters) ? Directory.EnumerateFiles(paths.Letters, "*.pdf", SearchOption.AllDirectories).Count(f => !f.EndsWith("-batch.pdf", StringComparison.Ordinal)) : 0,
            quarantined);
    }
}
