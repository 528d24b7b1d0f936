using CreditRecovery.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CreditRecovery;

/// <summary>
/// Builds a <see cref="CreditRecoveryEngine"/> without dependency injection, for ERP hosts that have no Generic Host.
/// Options are validated by <see cref="Build"/> exactly as <c>ValidateOnStart</c> would.
/// </summary>
public sealed class CreditRecoveryEngineBuilder
{
    private readonly CreditRecoveryOptions _options = new();
    private IRecoveryStore? _store;
    private ILedgerSource? _ledger;
    private ITemplateRenderer? _templates;
    private IClock? _clock;
    private readonly List<IMessageChannel> _channels = [];
    private IDocumentArchive? _archive;
    private IInboundMailSource? _inbound;
    private ILoggerFactory? _loggerFactory;

    /// <summary>Configures the options.</summary>
    /// <param name="configure">The configuration.</param>
    public CreditRecoveryEngineBuilder Configure(Action<CreditRecoveryOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        configure(_options);
        return this;
    }

    /// <summary>Sets the store (required).</summary>
    /// <param name="store">The store.</param>
    public CreditRecoveryEngineBuilder UseStore(IRecoveryStore store)
    {
        _store = store ?? throw new ArgumentNullException(nameof(store));
        return this;
    }

    /// <summary>Sets the ERP ledger source.</summary>
    /// <param name="ledger">The ledger source.</param>
    public CreditRecoveryEngineBuilder UseLedger(ILedgerSource ledger)
    {
        _ledger = ledger ?? throw new ArgumentNullException(nameof(ledger));
        return this;
    }

    /// <summary>Sets the template renderer, so procedures' template ids are checked at start.</summary>
    /// <param name="templates">The renderer.</param>
    public CreditRecoveryEngineBuilder UseTemplates(ITemplateRenderer templates)
    {
        _templates = templates ?? throw new ArgumentNullException(nameof(templates));
        return this;
    }

    /// <summary>Adds a delivery channel (e-mail, PEC, fax, SMS, letter); a later channel of the same kind replaces an earlier one.</summary>
    /// <param name="channel">The channel.</param>
    public CreditRecoveryEngineBuilder UseChannel(IMessageChannel channel)
    {
        _channels.Add(channel ?? throw new ArgumentNullException(nameof(channel)));
        return this;
    }

    /// <summary>Sets where copies of documents are found, to attach them to messages.</summary>
    /// <param name="archive">The archive.</param>
    public CreditRecoveryEngineBuilder UseDocumentArchive(IDocumentArchive archive)
    {
        _archive = archive ?? throw new ArgumentNullException(nameof(archive));
        return this;
    }

    /// <summary>Sets the mailbox PEC receipts and replies are read from.</summary>
    /// <param name="inbound">The mailbox.</param>
    public CreditRecoveryEngineBuilder UseInboundMail(IInboundMailSource inbound)
    {
        _inbound = inbound ?? throw new ArgumentNullException(nameof(inbound));
        return this;
    }

    /// <summary>Sets the clock (default: the system clock).</summary>
    /// <param name="clock">The clock.</param>
    public CreditRecoveryEngineBuilder UseClock(IClock clock)
    {
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        return this;
    }

    /// <summary>Sets where the engine logs (default: nowhere).</summary>
    /// <param name="loggerFactory">The logger factory.</param>
    public CreditRecoveryEngineBuilder UseLoggerFactory(ILoggerFactory loggerFactory)
    {
        _loggerFactory = loggerFactory ?? throw new ArgumentNullException(nameof(loggerFactory));
        return this;
    }

    /// <summary>Validates the options and builds the engine.</summary>
    /// <exception cref="OptionsValidationException">The options are invalid; every problem is listed.</exception>
    /// <exception cref="InvalidOperationException">No store was set.</exception>
    public CreditRecoveryEngine Build()
    {
        var store = _store ?? throw new InvalidOperationException("A store is required: call UseStore(...).");
        var result = new CreditRecoveryOptionsValidator(new TemplateOnlyServiceProvider(_templates)).Validate(Options.DefaultName, _options);
        if (result.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(CreditRecoveryOptions), result.Failures);
        }

        return new CreditRecoveryEngine(_options.Snapshot(), new EnginePorts(store, _clock ?? SystemClockProvider.Clock)
        {
            Ledger = _ledger,
            Templates = _templates,
            Channels = [.. _channels],
            DocumentArchive = _archive,
            InboundMail = _inbound,
            LoggerFactory = _loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance,
        });
    }

    private sealed class TemplateOnlyServiceProvider(ITemplateRenderer? templates) : IServiceProvider
    {
        public object? GetService(Type serviceType) => serviceType == typeof(ITemplateRenderer) ? templates : null;
    }
}
