using System.Globalization;
using CreditRecovery.Ports;

namespace CreditRecovery.Procedures;

/// <summary>
/// Checks procedures when they are loaded, so a mistake is found at start rather than on the day a step should run:
/// duplicate ids, missing, unknown or broken templates (syntax errors, unknown variables), steps that can never fire or fire out of order, parking steps without
/// an area, and companies that name unknown procedures.
/// </summary>
public static class ProcedureValidator
{
    /// <summary>Returns every problem found, each naming the procedure and step; empty when all is well.</summary>
    /// <param name="options">The engine options.</param>
    /// <param name="templates">The template renderer, to check template ids; <see langword="null"/> skips that check.</param>
    public static IReadOnlyList<string> Validate(CreditRecoveryOptions options, ITemplateRenderer? templates = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var procedure in options.Procedures)
        {
            if (string.IsNullOrWhiteSpace(procedure.Id))
            {
                errors.Add($"procedure '{procedure.Name}': the id is empty");
            }
            else if (!ids.Add(procedure.Id))
            {
                errors.Add($"procedure '{procedure.Id}': the id is used twice");
            }

            errors.AddRange(Validate(procedure, templates));
        }

        var unpaidProcedures = new HashSet<string>(StringComparer.Ordinal);
        foreach (var company in options.Companies)
        {
            var where = $"company '{company.Id}'";
            if (string.IsNullOrWhiteSpace(company.Id))
            {
                errors.Add("a company has an empty id");
            }

            Require(company.DefaultProcedureId, $"{where}: default procedure");
            if (!string.IsNullOrEmpty(company.UnpaidReceiptProcedureId))
            {
                Require(company.UnpaidReceiptProcedureId, $"{where}: unpaid-receipt procedure");
                unpaidProcedures.Add(company.UnpaidReceiptProcedureId);
            }

            foreach (var (category, id) in company.CategoryProcedures)
            {
                Require(id, $"{where}: procedure of category '{category}'");
            }

            if (company.PromiseGraceDays < 0)
            {
                errors.Add($"{where}: PromiseGraceDays cannot be negative");
            }
        }

        foreach (var id in unpaidProcedures)
        {
            var procedure = options.Procedures.FirstOrDefault(p => p.Id == id);
            foreach (var step in procedure?.Steps.Where(s => s.Timing.Anchor == TimingAnchor.BeforeDueDate) ?? [])
            {
                errors.Add($"procedure '{id}', step '{step.Id}': it is an unpaid-receipt procedure, and a step before the due date can never fire after a receipt came back unpaid");
            }
        }

        return errors;

        void Require(string? id, string what)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                errors.Add($"{what} is not set");
            }
            else if (!ids.Contains(id) && options.Procedures.All(p => p.Id != id))
            {
                errors.Add($"{what} '{id}' is not a configured procedure");
            }
        }
    }

    /// <summary>Returns every problem of one procedure.</summary>
    /// <param name="procedure">The procedure.</param>
    /// <param name="templates">The template renderer, to check template ids; <see langword="null"/> skips that check.</param>
    public static IReadOnlyList<string> Validate(RecoveryProcedure procedure, ITemplateRenderer? templates = null)
    {
        ArgumentNullException.ThrowIfNull(procedure);
        var errors = new List<string>();
        var where = $"procedure '{procedure.Id}'";
        if (procedure.Steps is null || procedure.Steps.Count == 0)
        {
            errors.Add($"{where}: it has no steps");
            return errors;
        }

        if (procedure.Tolerance < 0)
        {
            errors.Add($"{where}: the tolerance cannot be negative");
        }

        var stepIds = new HashSet<string>(StringComparer.Ordinal);
        var seenAfterDue = false;
        int? lastAfterDueDays = null;
        for (var i = 0; i < procedure.Steps.Count; i++)
        {
            var step = procedure.Steps[i];
            var at = string.Create(CultureInfo.InvariantCulture, $"{where}, step {i + 1} '{step.Id}'");
            if (string.IsNullOrWhiteSpace(step.Id))
            {
                errors.Add($"{at}: the step id is empty");
            }
            else if (!stepIds.Add(step.Id))
            {
                errors.Add($"{at}: the step id is used twice");
            }

            if (step.Timing.Days < 0)
            {
                errors.Add($"{at}: days cannot be negative (use 'before the due date' instead)");
            }

            switch (step.Timing.Anchor)
            {
                case TimingAnchor.BeforeDueDate when seenAfterDue:
                    errors.Add($"{at}: a step before the due date comes after a step after it, so it can never fire");
                    break;
                case TimingAnchor.BeforeDueDate when step.Action != StepAction.PreDueReminder && step.Action.IsCommunication():
                    errors.Add($"{at}: a message before the due date must be a pre-due reminder, not {step.Action}");
                    break;
                case TimingAnchor.AfterDueDate:
                    if (lastAfterDueDays is { } previous && step.Timing.Days <= previous)
                    {
                        errors.Add(string.Create(CultureInfo.InvariantCulture, $"{at}: {step.Timing.Days} days after the due date is not later than the step before it ({previous} days): the order is wrong"));
                    }

                    lastAfterDueDays = step.Timing.Days;
                    seenAfterDue = true;
                    break;
                case TimingAnchor.AfterPreviousStep:
                    seenAfterDue = true;
                    break;
            }

            if (step.Action == StepAction.PreDueReminder && step.Timing.Anchor != TimingAnchor.BeforeDueDate)
            {
                errors.Add($"{at}: a pre-due reminder must be timed before the due date");
            }

            if (step.IsCommunication)
            {
                if (string.IsNullOrWhiteSpace(step.TemplateId))
                {
                    errors.Add($"{at}: a {step.Action} step needs a template");
                }
                else if (templates is not null && !templates.HasTemplate(step.TemplateId))
                {
                    errors.Add($"{at}: template '{step.TemplateId}' does not exist");
                }
                else if (templates is not null)
                {
                    errors.AddRange(templates.Validate(step.TemplateId).Select(p => $"{at}: template '{step.TemplateId}': {p}"));
                }
            }

            if (step.Action == StepAction.Park && step.ParkingArea is null)
            {
                errors.Add($"{at}: a parking step needs a parking area");
            }

            if (step.Action == StepAction.HandOver && (step.HandOverTo is null || string.IsNullOrWhiteSpace(step.HandOverTo.Name)))
            {
                errors.Add($"{at}: a hand-over step needs a lawyer or agency");
            }

            if (step.Action is StepAction.Park or StepAction.HandOver && i < procedure.Steps.Count - 1)
            {
                errors.Add($"{at}: the case leaves the procedure here, so the steps after it can never fire");
            }

            if (step.Assignee.Kind == AssigneeKind.Fixed && step.Assignee.OperatorId is null)
            {
                errors.Add($"{at}: a fixed assignee needs an operator");
            }

            if (step.Conditions.MinimumResidual is < 0)
            {
                errors.Add($"{at}: the minimum residual cannot be negative");
            }
        }

        return errors;
    }

    /// <summary>Throws when <see cref="Validate(CreditRecoveryOptions, ITemplateRenderer?)"/> finds problems.</summary>
    /// <param name="options">The engine options.</param>
    /// <param name="templates">The template renderer, if any.</param>
    /// <exception cref="ProcedureValidationException">Listing every problem.</exception>
    public static void ThrowIfInvalid(CreditRecoveryOptions options, ITemplateRenderer? templates = null)
    {
        var errors = Validate(options, templates);
        if (errors.Count > 0)
        {
            throw new ProcedureValidationException(errors);
        }
    }
}
