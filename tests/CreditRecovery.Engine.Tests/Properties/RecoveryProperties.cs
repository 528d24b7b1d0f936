using CreditRecovery.Cases;
using CreditRecovery.Procedures;
using CreditRecovery.Running;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Properties;

/// <summary>One installment of a generated book, with what happens to it in the ledger over the days.</summary>
public sealed record GeneratedInstallment(string Key, string Customer, int DueDay, decimal Amount, int? PaidOnDay, int? PartialOnDay, int PartialPercent);

/// <summary>A generated receivables book over a period of days.</summary>
public sealed record GeneratedBook(IReadOnlyList<GeneratedInstallment> Installments, IReadOnlyList<string> DoNotDun)
{
    public override string ToString() =>
        string.Join("; ", Installments.Select(i => $"{i.Key}@{i.Customer} due+{i.DueDay} {i.Amount} paid:{i.PaidOnDay} partial:{i.PartialOnDay}/{i.PartialPercent}%")) +
        $" DNR:[{string.Join(",", DoNotDun)}]";
}

public static class BookArbitraries
{
    public static readonly string[] Customers = ["C1", "C2", "C3", "C4"];

    public static Arbitrary<GeneratedBook> Book()
    {
        var installment =
            from customer in Gen.Elements(Customers)
            from dueDay in Gen.Choose(0, 45)
            from cents in Gen.Choose(50, 500_000)
            from paid in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, Gen.Choose(0, 80).Select(d => (int?)d)))
            from partial in Gen.Frequency((3, Gen.Constant<int?>(null)), (1, Gen.Choose(0, 80).Select(d => (int?)d)))
            from percent in Gen.Choose(10, 90)
            select (customer, dueDay, amount: cents / 100m, paid, partial, percent);
        var book =
            from list in Gen.ListOf(installment).Select(l => l.Take(10).ToList())
            from dnr in Gen.SubListOf(Customers)
            select new GeneratedBook(
                list.Select((x, n) => new GeneratedInstallment($"I{n}", x.customer, x.dueDay, x.amount, x.paid, x.partial, x.percent)).ToList(),
                dnr.Take(1).ToList());
        return Arb.From(book);
    }
}

/// <summary>
/// The engine's invariants over generated books, each run day by day for 90 days: a paid installment is never dunned;
/// no step runs twice; steps run in order and never before their date; a customer gets at most one message per step and
/// channel per run; the amounts in messages are the ledger's residuals; catching up after a gap sends what running
/// every day sends.
/// </summary>
[Properties(Arbitrary = [typeof(BookArbitraries)], MaxTest = 40)]
public sealed class RecoveryProperties
{
    private static readonly LocalDate Start = new(2026, 2, 2);
    private const int Days = 90;

    /// <summary>A fully automatic procedure (no operator step), so every step is a message.</summary>
    private static readonly RecoveryProcedure Automatic = new()
    {
        Id = "auto",
        Name = "Automatic",
        Steps =
        [
            new() { Id = "reminder", Name = "Reminder", Action = StepAction.PreDueReminder, Timing = StepTiming.BeforeDue(5), TemplateId = "t" },
            new() { Id = "d1", Name = "Dunning 1", Action = StepAction.Email, Timing = StepTiming.AfterDue(3, DayUnit.Business), TemplateId = "t" },
            new() { Id = "d2", Name = "Dunning 2", Action = StepAction.Email, Timing = StepTiming.AfterPrevious(10), TemplateId = "t" },
            new() { Id = "pec", Name = "Formal demand", Action = StepAction.Pec, Timing = StepTiming.AfterPrevious(7), TemplateId = "t" },
            new() { Id = "letter", Name = "Letter", Action = StepAction.Letter, Timing = StepTiming.AfterDue(40), TemplateId = "t" },
        ],
    };

    private sealed record DayResult(LocalDate Date, RunReport Run, Dictionary<InstallmentKey, Money> Ledger);

    private static EngineHarness NewHarness(GeneratedBook book)
    {
        var h = new EngineHarness(o => o.Procedures.Add(Automatic), s => s.DefaultProcedureId = Automatic.Id);
        foreach (var code in BookArbitraries.Customers)
        {
            h.Ledger.Put(Customer(code, c => book.DoNotDun.Contains(code) ? c with { Flags = CustomerFlags.DoNotDun } : c));
        }

        foreach (var i in book.Installments)
        {
            h.Ledger.Put(Installment(i.Key, i.Customer, Start.PlusDays(i.DueDay), i.Amount));
        }

        return h;
    }

    private static void ApplyLedgerEvents(EngineHarness h, GeneratedBook book, int day)
    {
        foreach (var i in book.Installments)
        {
            if (i.PartialOnDay == day && h.Ledger.Get(i.Key).OpenResidual.Amount > 0)
            {
                h.Ledger.Change(i.Key, x => x with { OpenResidual = Money.Eur(decimal.Round(x.OpenResidual.Amount * i.PartialPercent / 100m, 2)) });
            }

            if (i.PaidOnDay == day)
            {
                h.Ledger.Change(i.Key, x => x with { OpenResidual = Money.Eur(0) });
            }
        }
    }

    private static List<DayResult> RunEveryDay(GeneratedBook book, EngineHarness? harness = null)
    {
        var h = harness ?? NewHarness(book);
        var results = new List<DayResult>();
        for (var day = 0; day <= Days; day++)
        {
            ApplyLedgerEvents(h, book, day);
            var date = Start.PlusDays(day);
            var run = h.DayAsync(date).GetAwaiter().GetResult();
            var ledger = book.Installments.ToDictionary(i => new InstallmentKey(i.Key), i => h.Ledger.Get(i.Key).OpenResidual);
            results.Add(new DayResult(date, run, ledger));
        }

        return results;
    }

    [Property]
    public bool A_paid_or_zero_residual_installment_is_never_dunned(GeneratedBook book) =>
        RunEveryDay(book).All(d => d.Run.Messages.SelectMany(m => m.Lines).All(l => d.Ledger[l.Key].Amount > 0));

    [Property]
    public bool The_amounts_in_messages_are_the_ledger_residuals(GeneratedBook book) =>
        RunEveryDay(book).All(d => d.Run.Messages.SelectMany(m => m.Lines).All(l => l.Residual == d.Ledger[l.Key]));

    [Property]
    public bool A_customer_gets_at_most_one_message_per_step_and_channel_per_run(GeneratedBook book) =>
        RunEveryDay(book).All(d => d.Run.Messages.GroupBy(m => (m.CustomerCode, m.StepId, m.Channel)).All(g => g.Count() == 1));

    [Property]
    public bool A_do_not_dun_customer_gets_nothing_and_the_reason_is_visible(GeneratedBook book)
    {
        var days = RunEveryDay(book);
        var silent = days.All(d => d.Run.Messages.All(m => !book.DoNotDun.Contains(m.CustomerCode)));
        var explained = days.SelectMany(d => d.Run.Holds).Where(x => book.DoNotDun.Contains(x.CustomerCode)).All(x => x.Reason.Contains("DO-NOT-DUN", StringComparison.Ordinal));
        return silent && explained;
    }

    [Property]
    public bool No_step_runs_twice_and_steps_run_in_order_never_before_their_date(GeneratedBook book)
    {
        var h = NewHarness(book);
        var days = RunEveryDay(book, h);

        // Each (installment, step) appears in at most one message over the whole period.
        var sent = days.SelectMany(d => d.Run.Messages.SelectMany(m => m.Lines.Select(l => (l.Key, m.StepId, d.Date)))).ToList();
        if (sent.GroupBy(s => (s.Key, s.StepId)).Any(g => g.Count() > 1))
        {
            return false;
        }

        foreach (var i in book.Installments)
        {
            var c = h.CaseAsync(i.Key).GetAwaiter().GetResult();
            if (c is null)
            {
                continue;
            }

            var steps = c.Steps.Where(s => s.Cycle == c.Cycle).ToList();
            var indices = steps.Select(s => s.StepIndex).ToList();
            var inOrder = indices.SequenceEqual(indices.Distinct().Order()) && indices.Zip(indices.Skip(1)).All(p => p.Second == p.First + 1);
            var neverEarly = steps.All(s => s.ExecutedOn >= s.ScheduledOn);
            var dunningAfterDue = steps.Where(s => s.StepId != "reminder" && s.Outcome == StepOutcome.MessageQueued).All(s => s.ExecutedOn > c.Installment.DueDate);
            var reminderBeforeDue = steps.Where(s => s.StepId == "reminder" && s.Outcome == StepOutcome.MessageQueued).All(s => s.ExecutedOn <= c.Installment.DueDate);
            if (!(inOrder && neverEarly && dunningAfterDue && reminderBeforeDue))
            {
                return false;
            }
        }

        return true;
    }

    [Property]
    public Property Catching_up_after_a_gap_sends_what_running_every_day_sends(GeneratedBook book, PositiveInt gapSeed)
    {
        // A ledger that does not change: the day-by-day and the catch-up runs see the same book.
        var fixedBook = book with { Installments = book.Installments.Select(i => i with { PaidOnDay = null, PartialOnDay = null }).ToList() };
        var daily = RunEveryDay(fixedBook);
        var sentDaily = daily.SelectMany(d => d.Run.Messages.SelectMany(m => m.Lines.Select(l => (Step: (l.Key, m.StepId), d.Date)))).ToDictionary(x => x.Step, x => x.Date);

        var gapEnd = 10 + (gapSeed.Get % (Days - 10));
        var caughtUpOn = Start.PlusDays(gapEnd);
        var h = NewHarness(fixedBook);
        var runs = new List<RunReport> { h.DayAsync(Start).GetAwaiter().GetResult(), h.DayAsync(caughtUpOn).GetAwaiter().GetResult() };
        for (var day = gapEnd + 1; day <= Days; day++)
        {
            runs.Add(h.DayAsync(Start.PlusDays(day)).GetAwaiter().GetResult());
        }

        var sentCatchUp = runs.SelectMany(r => r.Messages.SelectMany(m => m.Lines.Select(l => (Step: (l.Key, m.StepId), Date: r.BusinessDate)))).ToDictionary(x => x.Step, x => x.Date);
        var expired = fixedBook.Installments
            .Select(i => h.CaseAsync(i.Key).GetAwaiter().GetResult())
            .Where(c => c is not null)
            .SelectMany(c => c!.Steps.Where(s => s.Outcome == StepOutcome.Expired).Select(s => (c.Key, s.StepId)))
            .ToHashSet();

        // Both runs execute the first day; a step due inside the gap goes out on the catch-up day.
        LocalDate Expected(LocalDate dailyDate) => dailyDate == Start || dailyDate > caughtUpOn ? dailyDate : caughtUpOn;

        // Same steps (less pre-due reminders that expired in the gap), each on the day it was due or, if that fell in
        // the gap, on the catch-up day: nothing skipped, nothing twice, nothing early, nothing late.
        var onlyRemindersExpire = expired.All(e => e.StepId == "reminder");
        var same = sentCatchUp.Keys.Union(expired).ToHashSet().SetEquals(sentDaily.Keys) &&
            sentCatchUp.All(kv => sentDaily.TryGetValue(kv.Key, out var dailyDate) && kv.Value == Expected(dailyDate));
        var mismatches = string.Join("; ", sentDaily.Where(kv => !expired.Contains(kv.Key) && (!sentCatchUp.TryGetValue(kv.Key, out var c) || c != Expected(kv.Value)))
            .Select(kv => $"{kv.Key}: daily {kv.Value}, catch-up {(sentCatchUp.TryGetValue(kv.Key, out var c) ? c.ToString() : "never")}"));
        return (onlyRemindersExpire && same).Label($"caught up on {caughtUpOn}: daily {sentDaily.Count}, catch-up {sentCatchUp.Count}, expired {expired.Count}; {mismatches}");
    }

    [Property(MaxTest = 20)]
    public bool Running_the_same_date_twice_adds_nothing(GeneratedBook book)
    {
        var h = NewHarness(book);
        for (var day = 0; day <= Days; day += 7)
        {
            ApplyLedgerEvents(h, book, day);
            h.DayAsync(Start.PlusDays(day)).GetAwaiter().GetResult();
            var again = h.DayAsync(Start.PlusDays(day)).GetAwaiter().GetResult();
            if (again.Messages.Count > 0 || again.CasesChanged > 0)
            {
                return false;
            }
        }

        return true;
    }

    [Property(MaxTest = 20)]
    public bool A_dry_run_plans_exactly_what_the_real_run_then_does(GeneratedBook book)
    {
        var h = NewHarness(book);
        for (var day = 0; day <= Days; day += 5)
        {
            ApplyLedgerEvents(h, book, day);
            var date = Start.PlusDays(day);
            var dry = h.DayAsync(date, dryRun: true).GetAwaiter().GetResult();
            var real = h.DayAsync(date).GetAwaiter().GetResult();
            if (!dry.Messages.Select(m => m.Id).SequenceEqual(real.Messages.Select(m => m.Id)) ||
                !dry.Messages.Select(m => m.TotalResidual).SequenceEqual(real.Messages.Select(m => m.TotalResidual)))
            {
                return false;
            }
        }

        return true;
    }
}
