using CreditRecovery.Ports;
using CreditRecovery.Procedures;

namespace CreditRecovery.Procedures;

/// <summary>
/// Chooses the procedure of an installment: installment assignment, then customer, then customer category, then the
/// company default (G3). Built once per unit of work from the stored assignments.
/// </summary>
internal sealed class ProcedureResolver
{
    private readonly CompanyContext _context;
    private readonly Dictionary<(ProcedureScope, string, ProcedurePurpose), string> _assignments;

    private ProcedureResolver(CompanyContext context, Dictionary<(ProcedureScope, string, ProcedurePurpose), string> assignments)
    {
        _context = context;
        _assignments = assignments;
    }

    public static async ValueTask<ProcedureResolver> LoadAsync(CompanyContext context, IRecoveryStore store, CancellationToken cancellationToken)
    {
        var assignments = new Dictionary<(ProcedureScope, string, ProcedurePurpose), string>();
        await foreach (var a in store.ReadProcedureAssignmentsAsync(context.Company, cancellationToken).ConfigureAwait(false))
        {
            assignments[(a.Scope, a.ScopeKey, a.Purpose)] = a.ProcedureId;
        }

        return new ProcedureResolver(context, assignments);
    }

    /// <summary>Resolves the procedure and says which rule chose it.</summary>
    public (RecoveryProcedure Procedure, string Rule) Resolve(Installment installment, Customer? customer, ProcedurePurpose purpose)
    {
        if (_assignments.TryGetValue((ProcedureScope.Installment, installment.Key.Value, purpose), out var id))
        {
            return (_context.Procedure(id), $"assigned to installment {installment.Key}");
        }

        if (_assignments.TryGetValue((ProcedureScope.Customer, installment.CustomerCode, purpose), out id))
        {
            return (_context.Procedure(id), $"assigned to customer {installment.CustomerCode}");
        }

        if (customer?.Category is { } category)
        {
            if (_assignments.TryGetValue((ProcedureScope.CustomerCategory, category, purpose), out id))
            {
                return (_context.Procedure(id), $"assigned to customer category '{category}'");
            }

            if (purpose == ProcedurePurpose.Ordinary && _context.Settings.CategoryProcedures.TryGetValue(category, out id))
            {
                return (_context.Procedure(id), $"customer category '{category}' (company settings)");
            }
        }

        if (_assignments.TryGetValue((ProcedureScope.Company, "", purpose), out id))
        {
            return (_context.Procedure(id), "company assignment");
        }

        if (purpose == ProcedurePurpose.UnpaidReceipt && _context.Settings.UnpaidReceiptProcedureId is { Length: > 0 } unpaid)
        {
            return (_context.Procedure(unpaid), "company default for unpaid receipts");
        }

        return (_context.Procedure(_context.Settings.DefaultProcedureId), "company default");
    }
}
