using CreditRecovery.Cases;
using CreditRecovery.Procedures;
using NodaTime;
using NodaTime.Text;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Scenarios;

/// <summary>
/// The acceptance scenario, as a table: the ledger over several dates, and the actions expected on each. The engine runs
/// every day from the first to the last row; a day without a row must produce nothing.
/// Procedure "standard": reminder 5 days before due (Cc manager) → 1st dunning 10 days after due → 2nd dunning 15 days
/// after → phone call 7 days after → formal demand by PEC 10 days after (residual ≥ 100) → park in Legal 20 days after.
/// </summary>
public sealed class RecoveryScenarioTests
{
    private sealed record Row(string Date, Action<EngineHarness>? Ledger, string[] Messages, string[] Tasks, Func<EngineHarness, Task>? Then = null);

    private static LocalDate D(string iso) => LocalDatePattern.Iso.Parse(iso).Value;

    [Fact]
    public async Task Ledger_over_time_produces_exactly_the_expected_actions()
    {
        var h = new EngineHarness(company: s => s.ExcludedCategories.Add("PA"));
        var desk = h.Engine.Desk;
        var anna = new OperatorId("anna");

        // Customer C1: two invoices due the same day → one consolidated message per step.
        h.Ledger.Put(Customer("C1"))
            .Put(Installment("A", "C1", D("2026-03-02"), 1000m))
            .Put(Installment("B", "C1", D("2026-03-02"), 500m))
            // C2: a RiBa that is paid, then comes back unpaid.
            .Put(Customer("C2"))
            .Put(Installment("R", "C2", D("2026-03-31"), 800m, type: PaymentType.BankReceipt))
            // C3: a public administration, category excluded from recovery.
            .Put(Customer("C3", c => c with { Category = "PA" }))
            .Put(Installment("X", "C3", D("2026-03-02"), 300m))
            // C4: gets an extension (proroga) after the due date.
            .Put(Customer("C4"))
            .Put(Installment("E", "C4", D("2026-03-02"), 250m));

        Row[] table =
        [
            new("2026-02-20", null, [], [], async h =>
            {
                await desk.SaveOperatorAsync(OperatorId.System, Company, new Operator { Id = anna, Name = "Anna Rossi", Companies = new HashSet<CompanyId> { Company } });
                await desk.AssignCustomerAsync(OperatorId.System, Company, "C1", [anna]);
            }),
            new("2026-02-25", null, ["C1/reminder/Email: A 1000.00, B 500.00 cc manager@acme.example", "C4/reminder/Email: E 250.00 cc manager@acme.example"], []),
            new("2026-03-05", h => h.Ledger.Put(Customer("C4", c => c with { ExtensionUntil = D("2026-03-20") })), [], []),
            new("2026-03-12", null, ["C1/dunning-1/Email: A 1000.00, B 500.00"], []),
            new("2026-03-23", null, ["C4/dunning-1/Email: E 250.00"], []),
            new("2026-03-26", null, ["C2/reminder/Email: R 800.00 cc manager@acme.example"], []),
            new("2026-03-27", null, ["C1/dunning-2/Email: A 1000.00, B 500.00"], []),
            new("2026-04-01", h => h.Ledger.Change("R", i => i with { OpenResidual = Money.Eur(0) }), [], [], async h =>
                Assert.Equal(ClosureReason.Paid, (await h.CaseAsync("R")).ClosedBecause)),
            new("2026-04-03", null, [], ["C1/PhoneCall→anna: A, B"], async h =>
            {
                // The operator calls: the customer promises everything by 15 April; the call task is done.
                await desk.RecordPromiseAsync(anna, Company, [new InstallmentKey("A"), new InstallmentKey("B")], D("2026-04-15"));
                var call = Assert.Single(await h.OpenTasksAsync());
                await desk.CompleteTaskAsync(anna, Company, call.Id, "promised full payment by 15/04");
                Assert.Equal(CaseStatus.Promised, (await h.CaseAsync("A")).Status);
            }),
            new("2026-04-08", h => h.Ledger.Change("R", i => i with { OpenResidual = Money.Eur(800), UnpaidReceiptDate = D("2026-04-07") }),
                ["C2/unpaid-notice/Email: R 800.00"], [], async h =>
                {
                    var r = await h.CaseAsync("R");
                    Assert.Equal((CaseStatus.InProcedure, 2, "riba-unpaid"), (r.Status, r.Cycle, r.ProcedureId));
                }),
            new("2026-04-07", null, ["C4/dunning-2/Email: E 250.00"], []),
            new("2026-04-10", h => h.Ledger.Change("B", i => i with { OpenResidual = Money.Eur(200) }), [], []),
            // 15/04 + 2 grace days: on the 18th the promise is broken; the case escalates and the operator is told.
            new("2026-04-18", null, [], ["C1/BrokenPromise→anna: A, B"], async h =>
                Assert.Equal(CaseStatus.InProcedure, (await h.CaseAsync("A")).Status)),
            new("2026-04-14", null, [], ["C4/PhoneCall→anna: E"]), // unassigned customer: round robin over the pool
            new("2026-04-20", null, ["C1/formal-demand/Pec: A 1000.00, B 200.00", "C2/unpaid-demand/Pec: R 800.00"], []), // C2: 8/4 + 10 days is a Saturday
            new("2026-04-20", null, [], []), // same day again: idempotent, nothing new
            new("2026-05-11", null, [], [], async h =>
            {
                Assert.Equal((CaseStatus.Parked, ParkingArea.Legal), ((await h.CaseAsync("A")).Status, (await h.CaseAsync("A")).ParkedIn));
                Assert.Equal(CaseStatus.Parked, (await h.CaseAsync("B")).Status);
            }),
        ];

        var rows = table.ToLookup(r => D(r.Date));
        var seenDates = new HashSet<LocalDate>();
        for (var day = D("2026-02-20"); day <= D("2026-05-15"); day = day.PlusDays(1))
        {
            foreach (var row in rows[day].DefaultIfEmpty(new Row(LocalDatePattern.Iso.Format(day), null, [], [])))
            {
                row.Ledger?.Invoke(h);
                var run = await h.DayAsync(day);
                var messages = run.Messages.Select(Describe).Order(StringComparer.Ordinal).ToArray();
                var tasks = run.Tasks.Select(t => $"{t.CustomerCode}/{t.Kind}→{t.AssignedTo}: {string.Join(", ", t.Installments)}").Order(StringComparer.Ordinal).ToArray();
                Assert.True(row.Messages.Order(StringComparer.Ordinal).SequenceEqual(messages), $"{day}: expected messages [{string.Join(" | ", row.Messages)}] but got [{string.Join(" | ", messages)}]");
                Assert.True(row.Tasks.Order(StringComparer.Ordinal).SequenceEqual(tasks), $"{day}: expected tasks [{string.Join(" | ", row.Tasks)}] but got [{string.Join(" | ", tasks)}]");
                if (row.Then is not null)
                {
                    await row.Then(h);
                }

                // Exclusion by category: C3 never gets anything, and the reason is visible whenever a step falls due.
                Assert.DoesNotContain(run.Messages, m => m.CustomerCode == "C3");
                if (day == D("2026-03-12"))
                {
                    Assert.Contains(run.Holds, x => x.CustomerCode == "C3" && x.Reason.Contains("category 'PA' is excluded", StringComparison.Ordinal));
                    Assert.Contains(run.Holds, x => x.CustomerCode == "C4" && x.Reason.Contains("extension (proroga) until 2026-03-20", StringComparison.Ordinal));
                }

                seenDates.Add(day);
            }
        }

        // Every message explains itself (X5) and the history tells the whole story of A.
        var history = h.Store.AllHistory(Company).Where(e => e.CaseKey.Value == "A").Select(e => e.Kind).ToList();
        Assert.Equal(
            ["CaseOpened", "StepExecuted", "DueDatePassed", "StepExecuted", "StepExecuted", "StepAwaitsOperator", "PromiseRecorded", "StepCompleted", "PromiseBroken", "StepExecuted", "Park"],
            history);
        Assert.All(h.Store.AllOutbox(Company), m => Assert.Contains("scheduled", m.Why, StringComparison.Ordinal));

        // The history of every case is an intact hash chain.
        foreach (var key in new[] { "A", "B", "R", "X", "E" })
        {
            Assert.Null(await Audit.HistoryChain.VerifyAsync(h.Store, Company, new InstallmentKey(key)));
        }
    }

    private static string Describe(Work.OutboxMessage m)
    {
        var cc = m.Cc.Count > 0 ? " cc " + string.Join(",", m.Cc) : "";
        var lines = string.Join(", ", m.Lines.Select(l => $"{l.Key} {l.Residual.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)}"));
        return $"{m.CustomerCode}/{m.StepId}/{m.Channel}: {lines}{cc}";
    }
}
