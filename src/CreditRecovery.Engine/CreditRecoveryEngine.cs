using CreditRecovery.Ledger;
using CreditRecovery.Operators;
using CreditRecovery.Ports;
using CreditRecovery.Reporting;
using CreditRecovery.Running;
using CreditRecovery.Workflow;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CreditRecovery;

/// <summary>
/// The engine's entry point: ledger alignment, the daily run, and the operator desk, for the configured companies.
/// Get it from DI (<c>services.AddCreditRecovery(...)</c>) or, without a host, from <see cref="CreditRecoveryEngineBuilder"/>.
/// </summary>
public sealed class CreditRecoveryEngine
{
    private readonly CompanyDirectory _companies;

    internal CreditRecoveryEngine(CreditRecoveryOptions options, IRecoveryStore store, ILedgerSource? ledger, IClock clock, ILoggerFactory? loggerFactory = null)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        _companies = new CompanyDirectory(options);
        Options = options;
        Store = store;
        Runner = new RecoveryRunner(store, clock, _companies, options, loggerFactory.CreateLogger<RecoveryRunner>());
        Desk = new OperatorDesk(store, clock, _companies);
        Reports = new CreditReports(store, clock, _companies, Desk);
        Ledger = ledger is null ? null : new LedgerReconciler(ledger, store, clock, _companies, options, loggerFactory.CreateLogger<LedgerReconciler>());
    }

    /// <summary>The options the engine runs with.</summary>
    public CreditRecoveryOptions Options { get; }

    /// <summary>The store.</summary>
    public IRecoveryStore Store { get; }

    /// <summary>Ledger alignment; <see langword="null"/> when no ledger source is registered.</summary>
    public LedgerReconciler? Ledger { get; }

    /// <summary>The daily run.</summary>
    public RecoveryRunner Runner { get; }

    /// <summary>What operators and supervisors do.</summary>
    public OperatorDesk Desk { get; }

    /// <summary>Credit analysis and reports (aging, credit reports, parking areas, planned actions, effectiveness, claimable interest).</summary>
    public CreditReports Reports { get; }

    /// <summary>The configured companies.</summary>
    public IEnumerable<CompanyId> Companies => _companies.Companies;

    /// <summary>
    /// A whole day for a company, in the order that keeps it correct: align with the ledger first (so an installment paid
    /// yesterday closes before anything else happens), then run the business date.
    /// </summary>
    /// <param name="company">The company.</param>
    /// <param name="businessDate">The business date; default today in the company's zone.</param>
    /// <param name="options">Run options (dry run).</param>
    /// <param name="cancellationToken">Cancels the day.</param>
    /// <exception cref="InvalidOperationException">No ledger source is registered.</exception>
    public async ValueTask<(LedgerSyncReport Ledger, RunReport Run)> RunDayAsync(CompanyId company, LocalDate? businessDate = null, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        var ledger = Ledger ?? throw new InvalidOperationException("No ILedgerSource is registered: add an ERP adapter.");
        var date = businessDate ?? Runner.Today(company);
        var sync = await ledger.SynchronizeAsync(company, LedgerReadMode.Auto, date, cancellationToken).ConfigureAwait(false);
        var run = await Runner.RunAsync(company, date, options, cancellationToken).ConfigureAwait(false);
        return (sync, run);
    }

    /// <summary>The recovery state machine as a Mermaid diagram.</summary>
    public static string StateMachineDiagram() => new RecoveryStateMachine().ToMermaid();
}
