using CreditRecovery.Ports;

namespace CreditRecovery.Storage.Sqlite;

/// <summary>Checks a change set before it is written: every row of its company, with its identity set.</summary>
internal static class ChangeSetValidator
{
    /// <summary>Throws when a row belongs to another company or lacks an identity.</summary>
    /// <param name="changes">The change set.</param>
    /// <exception cref="ArgumentException">A row is not acceptable.</exception>
    public static void Validate(RecoveryChangeSet changes)
    {
        var company = changes.Company;
        if (string.IsNullOrEmpty(company.Value))
        {
            throw new ArgumentException("The change set names no company.", nameof(changes));
        }

        foreach (var customer in changes.Customers)
        {
            Check(company, Required(customer, "customer").Company, "customer", customer.Code);
            RequireText(customer.Code, "customer", "Code");
        }

        foreach (var write in changes.Cases)
        {
            var value = Required(Required(write, "case write").Case, "case write's case");
            Check(company, value.Company, "case", value.Key.Value);
            RequireText(value.Key.Value, "case", "Key");
            RequireText(value.CustomerCode, "case", "CustomerCode");
        }

        foreach (var entry in changes.History)
        {
            Check(company, Required(entry, "history event").Company, "history event of case", entry.CaseKey.Value);
            RequireText(entry.CaseKey.Value, "history event", "CaseKey");
        }

        foreach (var message in changes.Outbox)
        {
            Check(company, Required(message, "outbox message").Company, "outbox message", message.Id);
            RequireText(message.Id, "outbox message", "Id");
            RequireText(message.CustomerCode, "outbox message", "CustomerCode");
        }

        foreach (var task in changes.Tasks)
        {
            Check(company, Required(task, "task").Company, "task", task.Id);
            RequireText(task.Id, "task", "Id");
            RequireText(task.CustomerCode, "task", "CustomerCode");
        }

        foreach (var activity in changes.Activities)
        {
            Check(company, Required(activity, "activity").Company, "activity", activity.Id);
            RequireText(activity.Id, "activity", "Id");
            RequireText(activity.CustomerCode, "activity", "CustomerCode");
        }

        foreach (var entry in changes.Agenda)
        {
            Check(company, Required(entry, "agenda entry").Company, "agenda entry", entry.Id);
            RequireText(entry.Id, "agenda entry", "Id");
            RequireText(entry.Owner.Value, "agenda entry", "Owner");
        }

        foreach (var op in changes.Operators)
        {
            RequireText(Required(op, "operator").Id.Value, "operator", "Id");
            if (op.Companies is null || !op.Companies.Contains(company))
            {
                throw new ArgumentException($"Operator {op.Id} does not work for company {company}: a change set may only write operators of its own company.", nameof(changes));
            }

            foreach (var member in op.Companies)
            {
                RequireText(member.Value, "operator " + op.Id, "Companies");
            }
        }

        foreach (var assignment in changes.Assignments)
        {
            Check(company, Required(assignment, "customer assignment").Company, "customer assignment", assignment.CustomerCode);
            RequireText(assignment.CustomerCode, "customer assignment", "CustomerCode");
        }

        foreach (var assignment in changes.ProcedureAssignments)
        {
            Check(company, Required(assignment, "procedure assignment").Company, "procedure assignment", assignment.ScopeKey);
            if (assignment.ScopeKey is null)
            {
                throw new ArgumentException("A procedure assignment has no ScopeKey (use an empty string for the company default).", nameof(changes));
            }
        }

        foreach (var record in changes.Quarantine)
        {
            Check(company, Required(record, "quarantined record").Company, "quarantined record of source", record.Source);
            RequireText(record.Source, "quarantined record", "Source");
        }

        foreach (var cursor in changes.Cursors)
        {
            Check(company, Required(cursor, "cursor").Company, "cursor of source", cursor.Source);
            RequireText(cursor.Source, "cursor", "Source");
            if (cursor.Cursor is null)
            {
                throw new ArgumentException($"The cursor of source {cursor.Source} is null.", nameof(changes));
            }
        }
    }

    private static T Required<T>(T? value, string what)
        where T : class =>
        value ?? throw new ArgumentException($"The change set holds a null {what}.", "changes");

    private static void Check(CompanyId expected, CompanyId actual, string what, string? id)
    {
        if (actual != expected)
        {
            throw new ArgumentException($"The {what} '{id}' belongs to company {actual}, not to the change set's company {expected}.", "changes");
        }
    }

    private static void RequireText(string? value, string what, string field)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new ArgumentException($"A {what} has no {field}.", "changes");
        }
    }
}
