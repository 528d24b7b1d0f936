using System.Collections.Concurrent;
using CreditRecovery.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CreditRecovery.Adapters.Mexal.Tests;

public sealed class OptionsTests
{
    private const string Secret = "S3greta!Mexal";

    [Fact]
    public void AddMexalLedger_registers_the_source_as_the_ledger()
    {
        using var provider = Services(o => Valid(o)).BuildServiceProvider();
        var source = provider.GetRequiredService<ILedgerSource>();
        Assert.IsType<MexalLedgerSource>(source);
        Assert.Equal("mexal", source.Name);
        Assert.True(source.SupportsChanges);
    }

    [Fact]
    public void Missing_and_out_of_range_options_fail_validation_with_clear_messages_and_never_show_the_password()
    {
        using var provider = Services(o =>
        {
            o.BaseAddress = new Uri("http://mexal.example:9004/webapi/");
            o.Password = Secret;
            o.MaxConcurrentCalls = 6;
            o.Year = 26;
            o.PaymentStatusCodes = new Dictionary<string, MexalPaymentStatus> { ["X"] = MexalPaymentStatus.Presented };
        }).BuildServiceProvider();

        var ex = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MexalLedgerOptions>>().Value);
        Assert.Contains(ex.Failures, f => f.Contains("User is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Company (the Mexal Azienda code) is required", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("plain http on a non-loopback host", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("MaxConcurrentCalls must be between 1 and 5", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("Year 26", StringComparison.Ordinal));
        Assert.Contains(ex.Failures, f => f.Contains("one to Paid", StringComparison.Ordinal));
        Assert.All(ex.Failures, f => Assert.DoesNotContain(Secret, f, StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_is_wired_to_start()
    {
        using var provider = Services(o => o.User = "webapi").BuildServiceProvider();
        Assert.Throws<OptionsValidationException>(provider.GetRequiredService<IStartupValidator>().Validate);
    }

    [Fact]
    public void The_source_needs_a_clock()
    {
        var services = new ServiceCollection().AddMexalLedger(o => Valid(o));
        using var provider = services.BuildServiceProvider();
        var ex = Assert.Throws<InvalidOperationException>(provider.GetRequiredService<ILedgerSource>);
        Assert.Contains("IClock", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_headers_follow_the_published_format()
    {
        Assert.Equal("Passepartout d2ViYXBpOnNlZ3JldG8=", MexalWebApiClient.BuildAuthorization("webapi", "segreto", null));
        Assert.Equal("Passepartout d2ViYXBpOnNlZ3JldG8= Dominio=ACME", MexalWebApiClient.BuildAuthorization("webapi", "segreto", "ACME"));
        Assert.Equal("Azienda=DEM Anno=2026", MexalWebApiClient.BuildCoordinates("DEM", null, 2026));
        Assert.Equal("Azienda=DEM SottoAzienda=2 Anno=2026", MexalWebApiClient.BuildCoordinates("DEM", "2", 2026));
    }

    [Fact]
    public async Task Logs_never_show_the_password_or_the_authorization_header()
    {
        await using var server = await MexalDemo.StartAsync(customers: 20);
        var logs = new ConcurrentQueue<string>();
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(MexalDemo.ClockAt(server.CurrentDate));
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ListLoggerProvider(logs)));
        services.AddMexalLedger(o =>
        {
            o.BaseAddress = server.BaseAddress;
            o.User = server.User;
            o.Password = server.Password;
            o.Company = server.Company;
            o.Year = server.Year;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(5);
        });
        using var provider = services.BuildServiceProvider();
        server.Faults.ServiceUnavailableStorm(2);
        await MexalDemo.ReadAllAsync(provider.GetRequiredService<ILedgerSource>().ReadSnapshotAsync(server.Company()));
        server.Faults.RefuseCredentials = true;
        await Assert.ThrowsAsync<MexalAuthenticationException>(() => MexalDemo.ReadAllAsync(provider.GetRequiredService<ILedgerSource>().ReadSnapshotAsync(server.Company())));

        var token = MexalWebApiClient.BuildAuthorization(server.User, server.Password, null)["Passepartout ".Length..];
        Assert.Contains(logs, l => l.Contains("retry", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("refused", StringComparison.Ordinal));
        Assert.All(logs, l => Assert.DoesNotContain(server.Password, l, StringComparison.Ordinal));
        Assert.All(logs, l => Assert.DoesNotContain(token, l, StringComparison.Ordinal));
    }

    private static ServiceCollection Services(Action<MexalLedgerOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IClock>(MexalDemo.ClockAt(new LocalDate(2026, 6, 1)));
        services.AddMexalLedger(configure);
        return services;
    }

    private static MexalLedgerOptions Valid(MexalLedgerOptions o)
    {
        o.BaseAddress = new Uri("https://mexal.example:9004/webapi/");
        o.User = "webapi";
        o.Password = Secret;
        o.Company = "DEM";
        o.Year = 2026;
        return o;
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> lines) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(lines);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ConcurrentQueue<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(formatter(state, exception) + " " + exception);
        }
    }
}
