using System.ComponentModel;
using System.Globalization;
using CreditRecovery.Cases;
using CreditRecovery.Procedures;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CreditRecovery.Samples.Console.Commands;

/// <summary>An operator's worklist: open tasks by due date, then their cases with the next action.</summary>
internal sealed class WorklistCommand : AsyncCommand<OperatorSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, OperatorSettings settings, CancellationToken cancellationToken)
    {
        await using var session = StoreSession.Open(settings);
        if (session is null)
        {
            return 2;
        }

        var actor = new OperatorId(settings.Operator);
        var worklist = await session.Engine.Desk.GetWorklistAsync(actor, session.Company, session.Date, cancellationToken);
        var tasks = new Table().Border(TableBorder.Rounded).Title($"Tasks of {Markup.Escape(actor.Value)} due by {LocalDatePattern.Iso.Format(session.Date)}")
            .AddColumns("Due", "Customer", "Task", "Installments", "Why");
        foreach (var t in worklist.Tasks)
        {
            tasks.AddRow(LocalDatePattern.Iso.Format(t.DueOn), Markup.Escape(t.CustomerCode), Markup.Escape(t.Title), Markup.Escape(string.Join(", ", t.Installments)), Markup.Escape(t.Why));
        }

        AnsiConsole.Write(tasks);
        var cases = new Table().Border(TableBorder.Rounded).Title($"Cases of {Markup.Escape(actor.Value)}")
            .AddColumns("Key", "Customer", "Due", "Residual", "Status", "Next action");
        foreach (var c in worklist.Cases.Take(50))
        {
            cases.AddRow(Markup.Escape(c.Key.Value), Markup.Escape(c.CustomerCode), LocalDatePattern.Iso.Format(c.Installment.DueDate), Format.Money(c.Installment.OpenResidual),
                c.Status.ToString(), c.NextActionDate is { } d ? LocalDatePattern.Iso.Format(d) : "-");
        }

        AnsiConsole.Write(cases);
        if (worklist.Cases.Count > 50)
        {
            AnsiConsole.MarkupLine($"[grey]… and {worklist.Cases.Count - 50} more cases.[/]");
        }

        return 0;
    }
}

/// <summary>Options of the agenda.</summary>
internal sealed class AgendaSettings : OperatorSettings
{
    [CommandOption("--days <N>")]
    [Description("How many days from --date (default 7).")]
    public int Days { get; init; } = 7;
}

/// <summary>An operator's agenda and workload per day (H4).</summary>
internal sealed class AgendaCommand : AsyncCommand<AgendaSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, AgendaSettings settings, CancellationToken cancellationToken)
    {
        await using var session = StoreSession.Open(settings);
        if (session is null)
        {
            return 2;
        }

        var actor = new OperatorId(settings.Operator);
        var period = new DateInterval(session.Date, session.Date.PlusDays(Math.Max(1, settings.Days) - 1));
        var agenda = await session.Engine.Desk.GetAgendaAsync(actor, session.Company, period, cancellationToken);
        var workload = await session.Engine.Desk.GetWorkloadAsync(actor, session.Company, period, cancellationToken);
        var table = new Table().Border(TableBorder.Rounded).Title($"Workload {LocalDatePattern.Iso.Format(period.Start)} – {LocalDatePattern.Iso.Format(period.End)}")
            .AddColumns("Date", "Operator", "Tasks", "Agenda", "Total");
        foreach (var w in workload.OrderBy(w => w.Date).ThenBy(w => w.Operator.Value, StringComparer.Ordinal))
        {
            table.AddRow(LocalDatePattern.Iso.Format(w.Date), Markup.Escape(w.Operator.Value), w.Tasks.ToString(CultureInfo.InvariantCulture), w.AgendaEntries.ToString(CultureInfo.InvariantCulture), w.Total.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        var entries = new Table().Border(TableBorder.Rounded).Title("Agenda").AddColumns("Date", "Entry");
        foreach (var o in agenda)
        {
            entries.AddRow(LocalDatePattern.Iso.Format(o.Date), Markup.Escape(o.Entry.Title));
        }

        AnsiConsole.Write(entries);
        return 0;
    }
}

/// <summary>A case with its customer, status and full history.</summary>
internal sealed class CaseCommand : CaseFileCommand
{
    protected override void Show(Operators.CaseFile file)
    {
        var c = file.Case;
        var i = c.Installment;
        AnsiConsole.Write(new Panel(new Markup(
            $"[bold]{Markup.Escape(file.Customer?.Name ?? c.CustomerCode)}[/] ({Markup.Escape(c.CustomerCode)})\n" +
            $"Document {Markup.Escape(i.Document.Number)} of {LocalDatePattern.Iso.Format(i.Document.Date)}, installment {i.Number}, {i.PaymentType}\n" +
            $"Due {LocalDatePattern.Iso.Format(i.DueDate)} · original {Format.Money(i.OriginalAmount)} · residual {Format.Money(i.OpenResidual)}\n" +
            $"Status [bold]{c.Status}[/] in procedure {Markup.Escape(file.Procedure.Name)}, next action {(c.NextActionDate is { } d ? LocalDatePattern.Iso.Format(d) : "-")}\n" +
            $"Responsible {Markup.Escape(string.Join(", ", file.Responsibles))}"))
            .Header($"Case {Markup.Escape(c.Key.Value)}"));
        var history = new Table().Border(TableBorder.Rounded).Title("History").AddColumns("#", "Date", "By", "Event", "Status", "Why");
        foreach (var e in file.History)
        {
            history.AddRow(e.CaseVersion.ToString(CultureInfo.InvariantCulture), LocalDatePattern.Iso.Format(e.BusinessDate), Markup.Escape(e.Actor.Value), Markup.Escape(e.Kind),
                e.From == e.To ? $"{e.To}" : $"{e.From} → {e.To}", Markup.Escape(e.Reason));
        }

        AnsiConsole.Write(history);
    }
}

/// <summary>Why each action on a case was proposed: the steps taken with their reasons and what comes next (X5).</summary>
internal sealed class WhyCommand : CaseFileCommand
{
    protected override void Show(Operators.CaseFile file)
    {
        var steps = file.Procedure.Steps;
        AnsiConsole.MarkupLine($"[bold]{Markup.Escape(file.Case.Key.Value)}[/] follows [bold]{Markup.Escape(file.Procedure.Name)}[/] ({steps.Count} steps), anchored on {LocalDatePattern.Iso.Format(file.Case.AnchorDate)}.");
        foreach (var e in file.History.Where(e => e.Kind is not "LedgerRefreshed"))
        {
            AnsiConsole.MarkupLine($"• {LocalDatePattern.Iso.Format(e.BusinessDate)} [yellow]{Markup.Escape(e.Kind)}[/]: {Markup.Escape(e.Reason)}");
        }

        var done = file.Case.Steps.Where(s => s.Cycle == file.Case.Cycle).Select(s => s.StepIndex).DefaultIfEmpty(-1).Max();
        if (file.Case.IsOpen && done + 1 < steps.Count)
        {
            var next = steps[done + 1];
            AnsiConsole.MarkupLine($"Next: step {done + 2} '{Markup.Escape(next.Name)}' ({next.Action}, {Markup.Escape(next.Timing.ToString() ?? "")}) on {(file.Case.NextActionDate is { } d ? LocalDatePattern.Iso.Format(d) : "a date the next run decides")}.");
        }
        else
        {
            AnsiConsole.MarkupLine(file.Case.IsOpen ? "Every step of the procedure has been taken." : $"The case is closed ({file.Case.ClosedBecause}).");
        }
    }
}

/// <summary>A command that shows one case file, read as the supervisor.</summary>
internal abstract class CaseFileCommand : AsyncCommand<CaseSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, CaseSettings settings, CancellationToken cancellationToken)
    {
        await using var session = StoreSession.Open(settings);
        if (session is null)
        {
            return 2;
        }

        var file = await CaseFiles.ReadAsync(session, settings.Key, cancellationToken);
        if (file is null)
        {
            return 2;
        }

        Show(file);
        return 0;
    }

    protected abstract void Show(Operators.CaseFile file);
}

/// <summary>Reads a case file as the supervisor, with a clear message when the key is unknown.</summary>
internal static class CaseFiles
{
    public static async Task<Operators.CaseFile?> ReadAsync(StoreSession session, string key, CancellationToken cancellationToken)
    {
        try
        {
            return await session.Engine.Desk.GetCaseFileAsync(SampleHost.Sara, session.Company, new InstallmentKey(key), cancellationToken);
        }
        catch (KeyNotFoundException)
        {
            AnsiConsole.MarkupLine($"[red]No case '{Markup.Escape(key)}'.[/] Keys are shown by [bold]worklist[/] and [bold]aging --by installment[/].");
            return null;
        }
    }
}

/// <summary>Italian formats for the terminal.</summary>
internal static class Format
{
    private static readonly CultureInfo It = CultureInfo.GetCultureInfo("it-IT");

    public static string Money(Money money) => $"{money.Amount.ToString("N2", It)} {money.Currency}";
}
