using System.Globalization;
using System.Runtime.CompilerServices;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;

namespace CreditRecovery.Engine.Tests.Delivery;

/// <summary>A channel that records what it is handed and answers as a test tells it (success by default).</summary>
internal sealed class RecordingChannel(DeliveryChannel channel) : IMessageChannel
{
    public DeliveryChannel Channel { get; } = channel;

    public List<OutgoingMessage> Accepted { get; } = [];

    public List<OutgoingMessage> Calls { get; } = [];

    public Func<OutgoingMessage, DeliveryResult>? Answer { get; set; }

    public ValueTask<DeliveryResult> SendAsync(OutgoingMessage message, CancellationToken cancellationToken = default)
    {
        Calls.Add(message);
        var result = Answer?.Invoke(message) ?? DeliveryResult.Success("<" + message.Message.Id + ">");
        if (result.Accepted)
        {
            Accepted.Add(message);
        }

        return ValueTask.FromResult(result);
    }
}

/// <summary>Renders the model as plain lines, so tests can read what a template would have seen.</summary>
internal sealed class ModelTemplateRenderer : ITemplateRenderer
{
    public List<MessageModel> Models { get; } = [];

    public bool HasTemplate(string templateId) => templateId != "missing";

    public ValueTask<RenderedMessage> RenderAsync(string templateId, MessageModel model, CancellationToken cancellationToken = default)
    {
        if (templateId == "broken")
        {
            throw new InvalidOperationException("line 3, column 7: unexpected end of template");
        }

        Models.Add(model);
        var c = CultureInfo.InvariantCulture;
        var lines = model.Lines.Select(l => $"{l.DocumentNumber} {l.DueDate:yyyy-MM-dd} {l.Residual.Amount.ToString("0.00", c)}");
        var body = $"{model.Customer.Name}\n{string.Join("\n", lines)}\nTOTAL {model.TotalResidual.Amount.ToString("0.00", c)}"
            + (model.Interest is { } i ? $"\nINTEREST {i.TotalInterest.Amount.ToString("0.00", c)} COMPENSATION {i.TotalCompensation.Amount.ToString("0.00", c)}" : "")
            + (model.OperatorText is { } t ? "\n" + t : "");
        return ValueTask.FromResult(new RenderedMessage($"{templateId}: {model.StepName}", body));
    }
}

/// <summary>A mailbox held in memory: what is acknowledged is not read again.</summary>
internal sealed class ListInboundMailSource : IInboundMailSource
{
    public List<InboundMail> Mails { get; } = [];

    public HashSet<string> Acknowledged { get; } = [];

    public async IAsyncEnumerable<InboundMail> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var mail in Mails.ToList())
        {
            await Task.Yield();
            if (!Acknowledged.Contains(mail.Id))
            {
                yield return mail;
            }
        }
    }

    public ValueTask AcknowledgeAsync(InboundMail mail, CancellationToken cancellationToken = default)
    {
        Acknowledged.Add(mail.Id);
        return ValueTask.CompletedTask;
    }
}
