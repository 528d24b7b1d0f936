using System.ComponentModel;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CreditRecovery.Samples.Console.Commands;

/// <summary>Options every command shares.</summary>
internal class SampleSettings : CommandSettings
{
    [CommandOption("--run-folder <FOLDER>")]
    [Description("Where the SQLite store, pickup folder, letters and reports go (default .run).")]
    public string RunFolder { get; init; } = ".run";

    public SamplePaths Paths => new(RunFolder);

    internal static ValidationResult CheckDate(string? text, string option) =>
        text is null || LocalDatePattern.Iso.Parse(text).Success
            ? ValidationResult.Success()
            : ValidationResult.Error($"{option} '{text}' is not a date in the form yyyy-MM-dd (e.g. 2026-06-15).");

    internal static LocalDate? ParseDate(string? text) => text is null ? null : LocalDatePattern.Iso.Parse(text).Value;
}

/// <summary>Options of the commands that read what an earlier run stored.</summary>
internal class StoreSettings : SampleSettings
{
    [CommandOption("--date <DATE>")]
    [Description("The business date to look at (default: the last date the sample ran).")]
    public string? Date { get; init; }

    public override ValidationResult Validate() => CheckDate(Date, "--date");
}

/// <summary>An operator's view.</summary>
internal class OperatorSettings : StoreSettings
{
    [CommandOption("--operator <ID>")]
    [Description("The operator (anna, bruno, or the supervisor sara). Default anna.")]
    public string Operator { get; init; } = "anna";
}

/// <summary>One case.</summary>
internal sealed class CaseSettings : StoreSettings
{
    [CommandArgument(0, "<KEY>")]
    [Description("The case's installment key, as `worklist` or `aging --by installment` shows it.")]
    public string Key { get; init; } = "";
}
