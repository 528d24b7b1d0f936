using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Testing.Reporting;

/// <summary>One generated installment of a <see cref="ReportBook"/>.</summary>
/// <param name="Customer">The customer's index.</param>
/// <param name="DaysOverdue">Days from the due date to the book's as-of date (negative: not yet due).</param>
/// <param name="Residual">The open residual.</param>
/// <param name="Currency">The currency's index in <see cref="ReportBook.Currencies"/>.</param>
/// <param name="Status">The status's index in <see cref="ReportBook.Statuses"/>.</param>
/// <param name="PaymentType">The payment type.</param>
public sealed record BookInstallment(int Customer, int DaysOverdue, decimal Residual, int Currency = 0, int Status = 0, PaymentType PaymentType = PaymentType.BankTransfer);

/// <summary>
/// A book of customers, assignments and cases for report tests, and the aging it must give, computed straight from the
/// change set (an oracle independent of every store).
/// </summary>
public static class ReportBook
{
    /// <summary>The operators customers are assigned to: customer i goes to <c>Operators[i % 4]</c>, index 3 meaning unassigned.</summary>
    public static readonly OperatorId[] Operators = [new("op1"), new("op2"), new("op3")];

    /// <summary>The currencies.</summary>
    public static readonly string[] Currencies = ["EUR", "USD", "CHF"];

    /// <summary>The statuses (Closed cases must not count).</summary>
    public static readonly CaseStatus[] Statuses = [CaseStatus.Overdue, CaseStatus.NotDue, CaseStatus.InProcedure, CaseStatus.Parked, CaseStatus.HandedOver, CaseStatus.Closed, CaseStatus.Promised];

    /// <summary>The customer code of an index.</summary>
    /// <param name="index">The index.</param>
    public static string CustomerCode(int index) => $"C{index:D5}";

    /// <summary>Builds the change set of a book.</summary>
    /// <param name="company">The company.</param>
    /// <param name="asOf">The as-of date the days overdue count to.</param>
    /// <param name="installments">The installments.</param>
    public static RecoveryChangeSet Build(CompanyId company, LocalDate asOf, IReadOnlyList<BookInstallment> installments)
    {
        ArgumentNullException.ThrowIfNull(installments);
        var changes = new RecoveryChangeSet(company);
        foreach (var index in installments.Select(i => i.Customer).Distinct().Order())
        {
            var code = CustomerCode(index);
            changes.Customers.Add(new Customer
            {
                Company = company,
                Code = code,
                Name = $"Cliente {index} \"S.r.l.\" <àè€> & co; =SUM(A1)",
                Agent = index % 5 == 0 ? null : $"AG{index % 3}",
                SalesArea = index % 4 == 0 ? null : $"Z{index % 2}",
                Category = "B2B",
            });
            if (index % 4 != 3)
            {
                changes.Assignments.Add(new CustomerAssignment(company, code, index % 7 == 0 ? [Operators[index % 4], Operators[(index + 1) % 3]] : [Operators[index % 4]]));
            }
        }

        for (var n = 0; n < installments.Count; n++)
        {
            var i = installments[n];
            var status = Statuses[i.Status % Statuses.Length];
            var currency = Currencies[i.Currency % Currencies.Length];
            var due = asOf.PlusDays(-i.DaysOverdue);
            var key = $"K{n:D6}";
            var installment = new Installment
            {
                Company = company,
                Key = new InstallmentKey(key),
                CustomerCode = CustomerCode(i.Customer),
                Document = new DocumentReference(i.Residual < 0 ? DocumentKind.CreditNote : DocumentKind.Invoice, $"FT/{n}", due.PlusDays(-30)),
                Number = 1,
                DueDate = due,
                OriginalAmount = new Money(i.Residual, currency),
                OpenResidual = new Money(status == CaseStatus.Closed ? 0m : i.Residual, currency),
                PaymentType = i.PaymentType,
            };
            changes.Cases.Add(new CaseWrite(
                new RecoveryCase
                {
                    Company = company,
                    Key = installment.Key,
                    CustomerCode = installment.CustomerCode,
                    Installment = installment,
                    Status = status,
                    ProcedureId = "standard",
                    AnchorDate = due,
                    OpenedOn = due.PlusDays(-30),
                    NextActionDate = status == CaseStatus.Closed ? null : asOf.PlusDays(n % 10),
                    ClosedOn = status == CaseStatus.Closed ? asOf : null,
                    ClosedBecause = status == CaseStatus.Closed ? ClosureReason.Paid : null,
                    ParkedIn = status == CaseStatus.Parked ? (Procedures.ParkingArea)(n % 4) : null,
                    HandedOverTo = status == CaseStatus.HandedOver ? new Procedures.HandOverTarget(Procedures.HandOverKind.Lawyer, $"Studio {n % 2}") : null,
                    Version = 1,
                },
                0));
        }

        return changes;
    }

    /// <summary>The aging a store must give for a book, computed from the change set alone.</summary>
    /// <param name="changes">The book.</param>
    /// <param name="query">The query.</param>
    public static IReadOnlyList<AgingCell> Oracle(RecoveryChangeSet changes, AgingQuery query)
    {
        ArgumentNullException.ThrowIfNull(changes);
        ArgumentNullException.ThrowIfNull(query);
        var customers = changes.Customers.ToDictionary(c => c.Code, StringComparer.Ordinal);
        var responsibles = changes.Assignments.ToDictionary(a => a.CustomerCode, a => a.Responsibles, StringComparer.Ordinal);
        return changes.Cases.Select(w => w.Case)
            .Where(c => c.Status != CaseStatus.Closed)
            .Where(c => query.Scope is null || query.Scope.Includes(responsibles.GetValueOrDefault(c.CustomerCode)))
            .Select(c =>
            {
                var customer = customers.GetValueOrDefault(c.CustomerCode);
                (string Key, string? Label) group = query.GroupBy switch
                {
                    AgingDimension.Company => (changes.Company.Value, null),
                    AgingDimension.Customer => (c.CustomerCode, customer?.Name),
                    AgingDimension.Operator => (responsibles.TryGetValue(c.CustomerCode, out var r) && r.Count > 0 ? r[0].Value : "", null),
                    AgingDimension.Agent => (customer?.Agent ?? "", null),
                    AgingDimension.SalesArea => (customer?.SalesArea ?? "", null),
                    _ => (c.Installment.PaymentType.ToString(), null),
                };
                var days = Period.Between(c.Installment.DueDate, query.AsOf, PeriodUnits.Days).Days;
                var bucket = query.Buckets.UpperBounds.Count(b => days > b);
                return (group, bucket, c.Installment.OpenResidual);
            })
            .GroupBy(x => (x.group.Key, x.group.Label, x.bucket, x.OpenResidual.Currency))
            .Select(g => new AgingCell(g.Key.Key, g.Key.Label, g.Key.bucket, g.Key.Currency, g.Sum(x => x.OpenResidual.Amount), g.Count()))
            .ToList();
    }

    /// <summary>Cells in a canonical order, for comparison.</summary>
    /// <param name="cells">The cells.</param>
    public static List<AgingCell> Sorted(IEnumerable<AgingCell> cells) =>
        cells.OrderBy(c => c.GroupKey, StringComparer.Ordinal).ThenBy(c => c.Bucket).ThenBy(c => c.Currency, StringComparer.Ordinal).ToList();

    /// <summary>A pseudo-random book (deterministic for a seed), with amounts of 2 and of 5 decimals, credit notes, several currencies and statuses.</summary>
    /// <param name="seed">The seed.</param>
    /// <param name="count">How many installments.</param>
    /// <param name="customers">How many customers.</param>
    public static List<BookInstallment> Random(int seed, int count, int customers)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(n => new BookInstallment(
            random.Next(customers),
            random.Next(-60, 400),
            n % 17 == 0 ? -random.Next(1, 100_000) / 100m : n % 11 == 0 ? random.Next(1, 10_000_000) / 100_000m : random.Next(1, 10_000_000) / 100m,
            random.Next(10) == 0 ? 1 : 0,
            random.Next(Statuses.Length),
            (PaymentType)random.Next(8))).ToList();
    }
}
