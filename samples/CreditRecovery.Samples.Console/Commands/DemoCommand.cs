using System.ComponentModel;
using System.Globalization;
using CreditRecovery.Cases;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CreditRecovery.Samples.Console.Commands;

/// <summary>Options of the demo.</summary>
internal sealed class DemoSettings : SampleSettings
{
    [CommandOption("--from <DATE>")]
    [Description("First simulated day (default 2026-06-01, the demo ERP's first day).")]
    public string From { get; init; } = "2026-06-01";

    [CommandOption("--days <N>")]
    [Description("How many calendar days to simulate (default 30; weekends are skipped).")]
    public int Days { get; init; } = 30;

    public override ValidationResult Validate() =>
        Days is < 1 or > 366 ? ValidationResult.Error("--days must be between 1 and 366.") : CheckDate(From, "--from");
}

/// <summary>The README's main job: the demo Mexal company simulated day by day, then a summary consistent with the store.</summary>
internal sealed class DemoCommand : AsyncCommand<DemoSettings>
{
    private static readonly CultureInfo It = CultureInfo.GetCultureInfo("it-IT");

    public override async Task<int> ExecuteAsync(CommandContext context, DemoSettings settings, CancellationToken cancellationToken)
    {
        var from = SampleSettings.ParseDate(settings.From)!.Value;
        var paths = settings.Paths;
        AnsiConsole.MarkupLine($"[bold]CreditRecovery sample host[/] — demo Mexal company on a loopback WebAPI server, {settings.Days} days from {LocalDatePattern.Iso.Format(from)}");
        AnsiConsole.MarkupLine($"Store [blue]{Markup.Escape(paths.Database)}[/], e-mail/PEC pickup folder [blue]{Markup.Escape(paths.Pickup)}[/], letters [blue]{Markup.Escape(paths.Letters)}[/]");
        AnsiConsole.WriteLine();

        DemoOutcome? outcome = null;
        var table = new Table().Border(TableBorder.Rounded).Title("Day by day")
            .AddColumns("Date", "ERP", "Read", "Opened", "Paid", "Unpaid", "Msgs", "Tasks", "Sent", "Calls", "Held");
        await AnsiConsole.Progress()
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async progress =>
            {
                var task = progress.AddTask("Simulating", maxValue: settings.Days);
                outcome = await new DemoSimulation(paths).RunAsync(from, settings.Days, day =>
                {
                    task.Value = Period.Between(from, day.Date, PeriodUnits.Days).Days + 1;
                    task.Description = $"Simulating {LocalDatePattern.Iso.Format(day.Date)}";
                    table.AddRow(
                        LocalDatePattern.Iso.Format(day.Date),
                        day.ErpEvents.ToString(It),
                        day.Ledger.InstallmentsRead.ToString(It),
                        day.Ledger.CasesOpened.ToString(It),
                        day.Ledger.CasesPaid.ToString(It),
                        day.Ledger.UnpaidReceipts.ToString(It),
                        day.Run.Messages.Count.ToString(It),
                        day.Run.Tasks.Count.ToString(It),
                        day.Dispatch.Failed == 0 ? day.Dispatch.Sent.ToString(It) : $"{day.Dispatch.Sent.ToString(It)} ([red]{day.Dispatch.Failed.ToString(It)} failed[/])",
                        day.CallsMade.ToString(It),
                        day.Run.Holds.Count.ToString(It));
                }, cancellationToken);
                task.Value = settings.Days;
            });

        AnsiConsole.Write(table);
        Print(outcome!, paths);
        return outcome!.Summary.IsConsistent && outcome.Days.All(d => d.Run.Errors.Count == 0) ? 0 : 1;
    }

    /// <summary>The summary: cases, messages by channel, tasks per operator, files written — read from the store.</summary>
    internal static void Print(DemoOutcome outcome, SamplePaths paths)
    {
        var s = outcome.Summary;
        AnsiConsole.WriteLine();
        var cases = new Table().Border(TableBorder.Rounded).Title("Cases in the store").AddColumns("Status", "Cases");
        foreach (var (status, count) in s.CasesByStatus.OrderBy(x => x.Key))
        {
            cases.AddRow(status.ToString(), count.ToString(It));
        }

        cases.AddRow("[bold]opened in all[/]", $"[bold]{s.CasesOpened.ToString(It)}[/]");
        var messages = new Table().Border(TableBorder.Rounded).Title("Messages by channel").AddColumns("Channel", "Status", "Messages");
        foreach (var ((channel, status), count) in s.MessagesByChannel.OrderBy(x => x.Key.Channel).ThenBy(x => x.Key.Status))
        {
            messages.AddRow(channel.ToString(), status.ToString(), count.ToString(It));
        }

        var tasks = new Table().Border(TableBorder.Rounded).Title("Open tasks per operator").AddColumns("Operator", "Tasks");
        foreach (var (op, count) in s.OpenTasksByOperator.OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            tasks.AddRow(op, count.ToString(It));
        }

        AnsiConsole.Write(new Columns(cases, messages, tasks));
        var (mail, letters) = s.SentInStore;
        AnsiConsole.MarkupLine($"Files: [blue]{s.PickupFiles}[/] .eml in the pickup folder for {mail} e-mail/PEC/fax messages sent, [blue]{s.LetterFiles}[/] PDF letters for {letters} letters sent; {s.QuarantinedRecords} ERP record(s) quarantined for review.");
        AnsiConsole.MarkupLine(s.IsConsistent
            ? "[green]Consistent:[/] every message the store marks as sent is a file in the pickup or letters folder, and no file is extra."
            : "[red]Inconsistent:[/] the files written do not match the messages the store marks as sent.");
        AnsiConsole.WriteLine();
        AnsiConsole.MarkupLine("Next: [bold]worklist --operator anna[/], [bold]agenda[/], [bold]case <key>[/], [bold]why <key>[/], [bold]aging --html[/] (add them after [grey]dotnet run --project samples/CreditRecovery.Samples.Console --[/]).");
    }
}
