using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Spectre.Console;

namespace CreditRecovery.Samples.Console.Commands;

/// <summary>The engine over the sample's store, for commands that read what a run stored.</summary>
internal sealed class StoreSession : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private StoreSession(ServiceProvider services, CompanyId company, LocalDate date)
    {
        _services = services;
        Company = company;
        Date = date;
        Engine = services.GetRequiredService<CreditRecoveryEngine>();
    }

    public CreditRecoveryEngine Engine { get; }

    public CompanyId Company { get; }

    public LocalDate Date { get; }

    /// <summary>Opens the store of the last run, or says how to make one.</summary>
    public static StoreSession? Open(StoreSettings settings)
    {
        var paths = settings.Paths;
        if (paths.LastRun() is not { } last || !File.Exists(paths.Database))
        {
            AnsiConsole.MarkupLine($"[red]Nothing has run in {Markup.Escape(paths.RunFolder)} yet.[/] Run the demo first: [bold]dotnet run --project samples/CreditRecovery.Samples.Console[/]");
            return null;
        }

        var date = SampleSettings.ParseDate(settings.Date) ?? last.Date;
        var clock = new BusinessDayClock(date);
        return new StoreSession(SampleHost.Build(paths, last.Company, clock, mexal: null), new CompanyId(last.Company), date);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}

/// <summary>The sample's clock for reading commands: 18:00 in Rome on the business date looked at.</summary>
internal sealed class BusinessDayClock(LocalDate date) : IClock
{
    private readonly Instant _now = date.At(new LocalTime(18, 0)).InZoneLeniently(DateTimeZoneProviders.Tzdb["Europe/Rome"]).ToInstant();

    public Instant GetCurrentInstant() => _now;
}
