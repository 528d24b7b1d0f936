using CreditRecovery.Ports;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NodaTime;

namespace CreditRecovery;

/// <summary>The adapters an engine works with: what DI or the builder found.</summary>
internal sealed record EnginePorts(IRecoveryStore Store, IClock Clock)
{
    public ILedgerSource? Ledger { get; init; }

    public ITemplateRenderer? Templates { get; init; }

    public IReadOnlyList<IMessageChannel> Channels { get; init; } = [];

    public IDocumentArchive? DocumentArchive { get; init; }

    public IInboundMailSource? InboundMail { get; init; }

    public ILoggerFactory LoggerFactory { get; init; } = NullLoggerFactory.Instance;
}
