using Microsoft.Extensions.Logging;
using NodaTime;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.DependencyInjection;

/// <summary>The engine reports its runs, conflicts and rejected records to the host's logging.</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task Alignment_and_run_summaries_and_rejected_records_are_logged()
    {
        var h = new EngineHarness();
        h.Ledger.Put(Customer("C1")).Put(Installment("A", "C1", new LocalDate(2026, 3, 1), 100m)).Put(Installment("BAD", "C1", new LocalDate(2026, 3, 1), 100m, residual: 200m));
        var sink = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(sink).SetMinimumLevel(LogLevel.Debug));
        var engine = new CreditRecoveryEngineBuilder()
            .Configure(o =>
            {
                foreach (var p in h.Engine.Options.Procedures)
                {
                    o.Procedures.Add(p);
                }

                o.Companies.Add(h.Engine.Options.Companies[0]);
            })
            .UseStore(h.Store).UseLedger(h.Ledger).UseClock(h.Clock).UseLoggerFactory(factory)
            .Build();

        await engine.RunDayAsync(Company, new LocalDate(2026, 3, 20));

        Assert.Contains(sink.Lines, l => l.StartsWith("Warning|", StringComparison.Ordinal) && l.Contains("record BAD, field OpenResidual", StringComparison.Ordinal));
        Assert.Contains(sink.Lines, l => l.StartsWith("Information|", StringComparison.Ordinal) && l.Contains("Ledger alignment of company ACME", StringComparison.Ordinal) && l.Contains("1 rejected", StringComparison.Ordinal));
        Assert.Contains(sink.Lines, l => l.StartsWith("Information|", StringComparison.Ordinal) && l.Contains("Daily run of company ACME", StringComparison.Ordinal) && l.Contains("1 messages", StringComparison.Ordinal));
    }

    private sealed class CapturingLoggerProvider : ILoggerProvider
    {
        public List<string> Lines { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Capturing(Lines);

        public void Dispose()
        {
        }

        private sealed class Capturing(List<string> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (lines)
                {
                    lines.Add($"{logLevel}|{formatter(state, exception)}");
                }
            }
        }
    }
}
