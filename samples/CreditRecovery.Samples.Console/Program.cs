// The CreditRecovery sample host: a Mexal partner's console. With no configuration it starts a demo Mexal WebAPI server
// on loopback and simulates a month of recovery; with Mexal connection settings it runs a day against a real Mexal.
// Usage: dotnet run --project samples/CreditRecovery.Samples.Console [-- <command> [options]]   (--help lists them)
using CreditRecovery.Samples.Console.Commands;
using Spectre.Console.Cli;

var app = new CommandApp<DemoCommand>();
app.Configure(c =>
{
    c.SetApplicationName("creditrecovery-sample");
    c.AddCommand<DemoCommand>("demo").WithDescription("Start the demo Mexal server and simulate a period of days (the default command).");
    c.AddCommand<RunCommand>("run").WithDescription("Run one business date against a real Mexal (URL, user, password, company, year).");
    c.AddCommand<WorklistCommand>("worklist").WithDescription("An operator's worklist: open tasks and cases.");
    c.AddCommand<AgendaCommand>("agenda").WithDescription("An operator's agenda and daily workload.");
    c.AddCommand<CaseCommand>("case").WithDescription("A case with its history.");
    c.AddCommand<WhyCommand>("why").WithDescription("Why each action on a case was proposed.");
    c.AddCommand<AgingCommand>("aging").WithDescription("The aging report (terminal, CSV and HTML).");
    c.AddExample("demo", "--from", "2026-06-01", "--days", "30");
    c.AddExample("worklist", "--operator", "anna");
    c.AddExample("aging", "--html");
});
return await app.RunAsync(args);
