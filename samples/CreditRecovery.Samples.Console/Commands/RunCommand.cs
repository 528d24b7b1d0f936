using System.ComponentModel;
using CreditRecovery.Running;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;
using Spectre.Console.Cli;

namespace CreditRecovery.Samples.Console.Commands;

/// <summary>Connection settings of a real Mexal; each can also come from an environment variable.</summary>
internal sealed class RunSettings : SampleSettings
{
    [CommandOption("--date <DATE>")]
    [Description("The business date (default today in Rome).")]
    public string? Date { get; init; }

    [CommandOption("--dry-run")]
    [Description("Decide and show, write nothing, send nothing.")]
    public bool DryRun { get; init; }

    [CommandOption("--mexal-url <URL>")]
    [Description("Mexal WebAPI address, e.g. https://server:9004/webapi/ (env MEXAL_URL).")]
    public string? Url { get; init; } = Environment.GetEnvironmentVariable("MEXAL_URL");

    [CommandOption("--mexal-user <USER>")]
    [Description("WebAPI user (env MEXAL_USER).")]
    public string? User { get; init; } = Environment.GetEnvironmentVariable("MEXAL_USER");

    [CommandOption("--mexal-password <PASSWORD>")]
    [Description("WebAPI password (env MEXAL_PASSWORD; prefer the variable).")]
    public string? Password { get; init; } = Environment.GetEnvironmentVariable("MEXAL_PASSWORD");

    [CommandOption("--mexal-company <CODE>")]
    [Description("Company code, Azienda (env MEXAL_COMPANY).")]
    public string? Company { get; init; } = Environment.GetEnvironmentVariable("MEXAL_COMPANY");

    [CommandOption("--mexal-year <YEAR>")]
    [Description("Accounting year, Anno (env MEXAL_YEAR).")]
    public int? Year { get; init; } = int.TryParse(Environment.GetEnvironmentVariable("MEXAL_YEAR"), out var y) ? y : null;

    [CommandOption("--mexal-domain <DOMAIN>")]
    [Description("Cloud domain, Dominio (env MEXAL_DOMAIN).")]
    public string? Domain { get; init; } = Environment.GetEnvironmentVariable("MEXAL_DOMAIN");

    [CommandOption("--accept-untrusted-certificate")]
    [Description("Accept the server's self-signed certificate (give --certificate-thumbprint too).")]
    public bool AcceptUntrustedCertificate { get; init; }

    [CommandOption("--certificate-thumbprint <SHA1>")]
    [Description("The self-signed certificate's thumbprint.")]
    public string? CertificateThumbprint { get; init; }

    public override ValidationResult Validate()
    {
        var missing = new[] { ("--mexal-url", Url), ("--mexal-user", User), ("--mexal-password", Password), ("--mexal-company", Company), ("--mexal-year", Year?.ToString(System.Globalization.CultureInfo.InvariantCulture)) }
            .Where(x => string.IsNullOrWhiteSpace(x.Item2)).Select(x => x.Item1).ToList();
        if (missing.Count > 0)
        {
            return ValidationResult.Error($"A real Mexal needs {string.Join(", ", missing)} (or MEXAL_URL, MEXAL_USER, MEXAL_PASSWORD, MEXAL_COMPANY, MEXAL_YEAR). Without a Mexal, run the demo: no command at all.");
        }

        return !Uri.TryCreate(Url, UriKind.Absolute, out _) ? ValidationResult.Error($"--mexal-url '{Url}' is not an absolute URL.") : CheckDate(Date, "--date");
    }
}

/// <summary>One business date against a real Mexal: sync, daily run, dispatch to the pickup folder and letters.</summary>
internal sealed class RunCommand : AsyncCommand<RunSettings>
{
    public override async Task<int> ExecuteAsync(CommandContext context, RunSettings settings, CancellationToken cancellationToken)
    {
        var paths = settings.Paths;
        var connection = new MexalConnection(new Uri(settings.Url!), settings.User!, settings.Password!, settings.Company!, settings.Year!.Value, settings.Domain, settings.AcceptUntrustedCertificate, settings.CertificateThumbprint);
        await using var services = SampleHost.Build(paths, connection.Company, SystemClock.Instance, connection);
        var engine = services.GetRequiredService<CreditRecoveryEngine>();
        var company = new CompanyId(connection.Company);
        await SampleHost.EnsureOfficeAsync(engine, company, cancellationToken);
        var date = SampleSettings.ParseDate(settings.Date);
        var (ledger, run) = await engine.RunDayAsync(company, date, settings.DryRun ? RunOptions.Dry : RunOptions.Default, cancellationToken);
        AnsiConsole.MarkupLine($"Mexal company {Markup.Escape(connection.Company)}, {LocalDatePattern.Iso.Format(run.BusinessDate)}{(settings.DryRun ? " (dry run)" : "")}: "
            + $"{ledger.InstallmentsRead} installments read, {ledger.CasesOpened} cases opened, {ledger.CasesPaid} paid, {ledger.Rejected.Count} rejected; "
            + $"{run.Messages.Count} messages and {run.Tasks.Count} tasks decided, {run.Holds.Count} held.");
        foreach (var rejected in ledger.Rejected)
        {
            AnsiConsole.MarkupLine($"  [yellow]quarantined[/] {Markup.Escape(rejected.ToString() ?? "")}");
        }

        if (!settings.DryRun)
        {
            var dispatch = await engine.Dispatcher.DispatchAsync(company, cancellationToken: cancellationToken);
            AnsiConsole.MarkupLine($"Dispatch: {dispatch.Sent} sent, {dispatch.Retrying} to retry, {dispatch.Failed} failed, {dispatch.Cancelled} cancelled.");
            paths.SaveLastRun(connection.Company, run.BusinessDate);
        }

        return run.Errors.Count == 0 ? 0 : 1;
    }
}
