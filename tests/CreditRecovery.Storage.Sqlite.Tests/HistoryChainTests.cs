using CreditRecovery.Calendar;
using CreditRecovery.Audit;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing;
using NodaTime;
using NodaTime.Testing;

namespace CreditRecovery.Storage.Sqlite.Tests;

/// <summary>History is tamper-evident (issue 4): the engine chains each case's events by hash, and a check finds the first broken link.</summary>
public sealed class HistoryChainTests : IAsyncLifetime
{
    private static readonly CompanyId Company = new("ACME");
    private static readonly LocalDate Due = new(2026, 3, 2);
    private readonly TestDatabase _database = new();
    private SqliteRecoveryStore _store = null!;

    public Task InitializeAsync()
    {
        _store = _database.Open();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _database.DisposeAsync();

    [Fact]
    public async Task The_history_the_engine_writes_verifies_and_every_kind_of_tampering_is_found()
    {
        await WriteHistoryAsync();
        var key = new InstallmentKey("A");
        Assert.Null(await HistoryChain.VerifyAsync(_store, Company, key));
        var events = await CountAsync(key);
        Assert.True(events >= 4, $"expected a few events, got {events}");

        // An edited reason breaks that event.
        Execute("DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete;");
        Execute("UPDATE history SET payload = json_set(payload, '$.reason', 'nothing happened') WHERE seq = (SELECT seq FROM history WHERE case_key = 'A' ORDER BY seq LIMIT 1 OFFSET 2)");
        var edited = await HistoryChain.VerifyAsync(_store, Company, key);
        Assert.Equal(3, edited?.Position);
        Assert.Contains("changed after it was written", edited!.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_removed_event_in_the_middle_or_at_the_end_is_found()
    {
        await WriteHistoryAsync();
        var key = new InstallmentKey("A");
        Execute("DROP TRIGGER history_no_delete;");

        Execute("DELETE FROM history WHERE seq = (SELECT max(seq) FROM history WHERE case_key = 'A')");
        var truncated = await HistoryChain.VerifyAsync(_store, Company, key);
        Assert.Contains("events after event", truncated!.Problem, StringComparison.Ordinal);

        Execute("DELETE FROM history WHERE seq = (SELECT seq FROM history WHERE case_key = 'A' ORDER BY seq LIMIT 1 OFFSET 1)");
        var gap = await HistoryChain.VerifyAsync(_store, Company, key);
        Assert.Equal(2, gap?.Position);
        Assert.Contains("removed or inserted", gap!.Problem, StringComparison.Ordinal);
    }

    private async Task WriteHistoryAsync()
    {
        var ledger = new ScriptedLedgerSource();
        ledger.Put(new Customer { Company = Company, Code = "C1", Name = "Cliente Uno S.r.l.", Email = "a@c1.example" });
        ledger.Put(new Installment
        {
            Company = Company,
            Key = new InstallmentKey("A"),
            CustomerCode = "C1",
            Document = new DocumentReference(DocumentKind.Invoice, "FT-1", Due.PlusDays(-30)),
            DueDate = Due,
            OriginalAmount = Money.Eur(500m),
            OpenResidual = Money.Eur(500m),
        });
        var clock = new FakeClock(Instant.FromUtc(2026, 2, 20, 8, 0));
        var procedure = new RecoveryProcedure
        {
            Id = "p",
            Name = "P",
            Steps =
            [
                new() { Id = "r", Name = "Reminder", Action = StepAction.PreDueReminder, Timing = StepTiming.BeforeDue(3), TemplateId = "t" },
                new() { Id = "d1", Name = "Dunning", Action = StepAction.Email, Timing = StepTiming.AfterDue(5), TemplateId = "t" },
            ],
        };
        var engine = new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                o.Procedures.Add(procedure);
                o.Companies.Add(new CompanySettings { Id = Company.Value, DefaultProcedureId = "p", Profile = new CompanyProfile { Name = "ACME" }, Calendar = new ItalianCalendarOptions() });
            })
            .UseStore(_store).UseLedger(ledger).UseClock(clock)
            .Build();

        for (var day = new LocalDate(2026, 2, 20); day <= new LocalDate(2026, 3, 20); day = day.PlusDays(1))
        {
            clock.Reset(day.AtMidnight().InUtc().ToInstant().Plus(Duration.FromHours(8)));
            if (day == new LocalDate(2026, 3, 12))
            {
                ledger.Change("A", i => i with { OpenResidual = Money.Eur(200m) });
            }

            await engine.RunDayAsync(Company, day);
        }
    }

    private async Task<int> CountAsync(InstallmentKey key)
    {
        var n = 0;
        await foreach (var _ in _store.ReadHistoryAsync(Company, key))
        {
            n++;
        }

        return n;
    }

    private void Execute(string sql)
    {
        using var connection = _database.Connect();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
