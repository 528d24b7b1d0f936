using System.Globalization;
using System.Text;

namespace CreditRecovery.Procedures;

/// <summary>Exports a procedure as a Mermaid flowchart, for documentation and review by the credit manager.</summary>
public static class ProcedureDiagram
{
    /// <summary>The procedure as a Mermaid <c>flowchart</c>.</summary>
    /// <param name="procedure">The procedure.</param>
    public static string ToMermaid(RecoveryProcedure procedure)
    {
        ArgumentNullException.ThrowIfNull(procedure);
        var sb = new StringBuilder();
        sb.Append("flowchart TD\n");
        sb.Append(CultureInfo.InvariantCulture, $"    start([\"{Escape(procedure.Name)}: installment open\"])\n");
        var previous = "start";
        for (var i = 0; i < procedure.Steps.Count; i++)
        {
            var step = procedure.Steps[i];
            var node = string.Create(CultureInfo.InvariantCulture, $"s{i + 1}");
            var mode = step.RequiresConfirmation ? "operator-confirmed" : step.Action.IsOperatorTask() ? "operator task" : "automatic";
            var detail = step.Action switch
            {
                StepAction.Park => $"park in {step.ParkingArea}",
                StepAction.HandOver => $"hand over to {step.HandOverTo?.Kind}: {step.HandOverTo?.Name}",
                _ when step.IsCommunication => $"{step.Action} · template {step.TemplateId}",
                _ => step.Action.ToString(),
            };
            sb.Append(CultureInfo.InvariantCulture, $"    {node}[\"{i + 1}. {Escape(step.Name)}<br/>{Escape(detail)}<br/><i>{mode}</i>\"]\n");
            sb.Append(CultureInfo.InvariantCulture, $"    {previous} -->|\"{Escape(step.Timing.ToString())}\"| {node}\n");
            previous = node;
        }

        sb.Append("    paid([\"paid: case closed\"])\n");
        sb.Append("    start -.->|ledger residual = 0| paid\n");
        return sb.ToString();
    }

    private static string Escape(string text) => text.Replace("\"", "#quot;", StringComparison.Ordinal);
}
