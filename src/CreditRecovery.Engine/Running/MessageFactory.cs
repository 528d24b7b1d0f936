using System.Globalization;
using System.Text;
using CreditRecovery.Cases;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Running;

/// <summary>Builds outbox messages and their deterministic ids; shared by the daily run and operator confirmations.</summary>
internal static class MessageFactory
{
    public static string Id(CompanyId company, string customerCode, params string[] parts) =>
        string.Join('/', new[] { company.Value, customerCode }.Concat(parts));

    public static string MessageId(CompanyId company, string customerCode, string procedureId, string stepId, DeliveryChannel channel, LocalDate date) =>
        Id(company, customerCode, "msg", procedureId, stepId, channel.ToString(), LocalDatePattern.Iso.Format(date));

    public static MessageLine Line(RecoveryCase c, LocalDate date)
    {
        var i = c.Installment;
        return new MessageLine(i.Key, i.Document.Number, i.Document.Date, i.Number, i.DueDate, i.OriginalAmount, i.OpenResidual,
            Period.Between(i.DueDate, date, PeriodUnits.Days).Days, i.PaymentType, i.UnpaidReceiptDate);
    }

    public static OutboxMessage Build(
        CompanyContext context,
        Customer customer,
        RecoveryProcedure procedure,
        ProcedureStep step,
        IReadOnlyList<(RecoveryCase Case, string Why)> lines,
        LocalDate date,
        Instant now)
    {
        var channel = step.Action.ToChannel() ?? throw new InvalidOperationException($"Step '{step.Id}' is not a communication.");
        var cc = step.CopyToManager && context.Settings.ManagerEmail is { Length: > 0 } manager ? new[] { manager } : [];
        var why = new StringBuilder();
        why.Append(CultureInfo.InvariantCulture, $"{lines.Count} installment(s) at step '{step.Name}' of procedure '{procedure.Name}':");
        foreach (var (_, lineWhy) in lines)
        {
            why.Append("\n- ").Append(lineWhy);
        }

        return new OutboxMessage
        {
            Id = MessageId(context.Company, customer.Code, procedure.Id, step.Id, channel, date),
            Company = context.Company,
            CustomerCode = customer.Code,
            Channel = channel,
            TemplateId = step.TemplateId ?? step.Id,
            ProcedureId = procedure.Id,
            StepId = step.Id,
            StepName = step.Name,
            BusinessDate = date,
            CreatedAt = now,
            Recipient = Recipients.For(customer, channel) ?? throw new InvalidOperationException($"Customer {customer.Code} has no {channel} address."),
            Cc = cc,
            Lines = lines.Select(l => Line(l.Case, date)).ToList(),
            Why = why.ToString(),
        };
    }
}
