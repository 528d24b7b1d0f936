using CreditRecovery.Cases;
using CreditRecovery.Ports;

namespace CreditRecovery.Testing;

/// <content>The reporting port, answered with LINQ over the snapshot: the reference the SQL stores are compared with.</content>
public sealed partial class InMemoryRecoveryStore
{
    /// <inheritdoc />
    public IAsyncEnumerable<AgingCell> ReadAgingAsync(CompanyId company, AgingQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return Snapshot(
            () =>
            {
                var cases = _cases.Values.Where(c => c.Company == company && c.Status != CaseStatus.Closed && InScope(company, c.CustomerCode, query.Scope));
                return cases
                    .Select(c => (Group: Group(company, c, query.GroupBy), Bucket: query.Buckets.IndexOf(c.Installment.DueDate, query.AsOf), c.Installment.OpenResidual))
                    .GroupBy(x => (x.Group.Key, x.Group.Label, x.Bucket, Currency: x.OpenResidual.Currency ?? ""))
                    .Select(g => new AgingCell(g.Key.Key, g.Key.Label, g.Key.Bucket, g.Key.Currency, g.Sum(x => x.OpenResidual.Amount), g.Count()))
                    .ToList();
            },
            cancellationToken);
    }

    /// <inheritdoc />
    public IAsyncEnumerable<RecoveryCase> ReadReportCasesAsync(CompanyId company, ReportCaseFilter filter, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(filter);
        return Snapshot(
            () => _cases.Values
                .Where(c => c.Company == company && InScope(company, c.CustomerCode, filter.Scope))
                .Where(c => !filter.OpenOnly || c.Status != CaseStatus.Closed)
                .Where(c => filter.Statuses is null || filter.Statuses.Contains(c.Status))
                .Where(c => filter.CustomerCodes is null || filter.CustomerCodes.Contains(c.CustomerCode, StringComparer.Ordinal))
                .Where(c => filter.NextActionFrom is null || (c.NextActionDate is { } n && n >= filter.NextActionFrom.Value))
                .Where(c => filter.NextActionTo is null || (c.NextActionDate is { } n && n <= filter.NextActionTo.Value))
                .Where(c => filter.DueOnOrBefore is null || c.Installment.DueDate <= filter.DueOnOrBefore.Value)
                .OrderBy(c => c.CustomerCode, StringComparer.Ordinal)
                .ThenBy(c => c.Key.Value, StringComparer.Ordinal)
                .ToList(),
            cancellationToken);
    }

    private bool InScope(CompanyId company, string customerCode, CustomerScope? scope) =>
        scope is null || scope.Includes(_assignments.TryGetValue((company, customerCode), out var a) ? a.Responsibles : null);

    private (string Key, string? Label) Group(CompanyId company, RecoveryCase c, AgingDimension dimension)
    {
        Customer? Customer() => _customers.GetValueOrDefault((company, c.CustomerCode));
        return dimension switch
        {
            AgingDimension.Company => (company.Value, null),
            AgingDimension.Customer => (c.CustomerCode, Customer()?.Name),
            AgingDimension.Operator => (_assignments.TryGetValue((company, c.CustomerCode), out var a) && a.Responsibles.Count > 0 ? a.Responsibles[0].Value : "", null),
            AgingDimension.Agent => (Customer()?.Agent ?? "", null),
            AgingDimension.SalesArea => (Customer()?.SalesArea ?? "", null),
            AgingDimension.PaymentType => (c.Installment.PaymentType.ToString(), null),
            _ => throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Unknown aging dimension."),
        };
    }
}
