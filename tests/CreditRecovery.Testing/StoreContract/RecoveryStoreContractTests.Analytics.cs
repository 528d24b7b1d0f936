using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Testing.Reporting;
using CreditRecovery.Work;
using NodaTime;
using Xunit;
using static CreditRecovery.Testing.StoreContract.ContractSamples;

namespace CreditRecovery.Testing.StoreContract;

/// <content>
/// The reporting port (<see cref="ICreditAnalyticsStore"/>): every store gives the aging the oracle computes from the
/// book itself, for every grouping and scope, so the stores agree with each other; bucket boundaries on both sides.
/// </content>
public abstract partial class RecoveryStoreContractTests
{
    private static readonly LocalDate AsOf = new(2025, 6, 30);

    private ICreditAnalyticsStore Analytics =>
        Store as ICreditAnalyticsStore ?? throw new InvalidOperationException($"{Store.GetType().Name} does not implement ICreditAnalyticsStore.");

    public static TheoryData<AgingDimension> Dimensions() => new(Enum.GetValues<AgingDimension>());

    [Theory]
    [MemberData(nameof(Dimensions))]
    public async Task Aging_equals_the_oracle_for_every_grouping_with_and_without_a_scope(AgingDimension dimension)
    {
        var book = ReportBook.Build(Acme, AsOf, ReportBook.Random(seed: 7, count: 400, customers: 40));
        await Store.CommitAsync(book);
        await Store.CommitAsync(ReportBook.Build(Beta, AsOf, ReportBook.Random(seed: 8, count: 50, customers: 5)));

        var scopes = new CustomerScope?[]
        {
            null,
            new([ReportBook.Operators[0]], IncludeUnassigned: false),
            new([ReportBook.Operators[1], ReportBook.Operators[2]], IncludeUnassigned: true),
            new([], IncludeUnassigned: false),
        };
        foreach (var scope in scopes)
        {
            var query = new AgingQuery { AsOf = AsOf, GroupBy = dimension, Scope = scope };
            var expected = ReportBook.Sorted(ReportBook.Oracle(book, query));
            var actual = ReportBook.Sorted(await ReadAsync(Analytics.ReadAgingAsync(Acme, query)));
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public async Task Aging_totals_reconcile_exactly_with_the_open_residuals_also_beyond_four_decimals()
    {
        var rows = new List<BookInstallment>
        {
            new(0, 10, 0.00001m), new(0, 10, 0.00002m), new(1, 10, 1234567.89123m), new(1, 10, -0.5m), new(2, 40, 99999999.99m), new(2, 40, 0.01m),
        };
        var book = ReportBook.Build(Acme, AsOf, rows);
        await Store.CommitAsync(book);
        var cells = await ReadAsync(Analytics.ReadAgingAsync(Acme, new AgingQuery { AsOf = AsOf, GroupBy = AgingDimension.Company }));
        var open = (await ReadAsync(Store.ReadCasesAsync(Acme, CaseFilter.Open))).Sum(c => c.Installment.OpenResidual.Amount);
        Assert.Equal(open, cells.Sum(c => c.Residual));
        Assert.Equal(rows.Count, cells.Sum(c => c.Installments));
    }

    [Fact]
    public async Task Aging_buckets_are_exact_on_both_sides_of_every_boundary()
    {
        // Days overdue → bucket under the default bounds 0, 30, 60, 90, 180 (0 = not yet due, 5 = over 180).
        var expected = new Dictionary<int, int>
        {
            [-1] = 0, [0] = 0, [1] = 1, [30] = 1, [31] = 2, [60] = 2, [61] = 3, [90] = 3, [91] = 4, [180] = 4, [181] = 5, [3650] = 5,
        };
        var rows = expected.Keys.Select((days, n) => new BookInstallment(n, days, 100m + n)).ToList();
        await Store.CommitAsync(ReportBook.Build(Acme, AsOf, rows));

        var cells = await ReadAsync(Analytics.ReadAgingAsync(Acme, new AgingQuery { AsOf = AsOf, GroupBy = AgingDimension.Customer }));
        Assert.Equal(rows.Count, cells.Count);
        for (var n = 0; n < rows.Count; n++)
        {
            var cell = Assert.Single(cells, c => c.GroupKey == ReportBook.CustomerCode(n));
            Assert.True(expected[rows[n].DaysOverdue] == cell.Bucket, $"{rows[n].DaysOverdue} days overdue fell in bucket {cell.Bucket}, not {expected[rows[n].DaysOverdue]}");
            Assert.Equal(rows[n].Residual, cell.Residual);
            Assert.Equal(AgingBuckets.Default.IndexOf(rows[n].DaysOverdue), cell.Bucket);
        }
    }

    [Fact]
    public async Task Report_cases_honour_scope_status_dates_and_a_reassignment()
    {
        var book = ReportBook.Build(Acme, AsOf, ReportBook.Random(seed: 11, count: 120, customers: 12));
        await Store.CommitAsync(book);
        var responsibles = book.Assignments.ToDictionary(a => a.CustomerCode, a => a.Responsibles, StringComparer.Ordinal);
        var op1 = new CustomerScope([ReportBook.Operators[0]], false);
        var filter = new ReportCaseFilter { Scope = op1, OpenOnly = true, DueOnOrBefore = AsOf, NextActionFrom = AsOf.PlusDays(2), NextActionTo = AsOf.PlusDays(7) };
        var expected = book.Cases.Select(w => w.Case)
            .Where(c => c.Status != CaseStatus.Closed && c.Installment.DueDate <= AsOf && c.NextActionDate >= AsOf.PlusDays(2) && c.NextActionDate <= AsOf.PlusDays(7))
            .Where(c => op1.Includes(responsibles.GetValueOrDefault(c.CustomerCode)))
            .OrderBy(c => c.CustomerCode, StringComparer.Ordinal).ThenBy(c => c.Key.Value, StringComparer.Ordinal)
            .Select(c => c.Key).ToList();
        Assert.NotEmpty(expected);
        Assert.Equal(expected, (await ReadAsync(Analytics.ReadReportCasesAsync(Acme, filter))).Select(c => c.Key).ToList());

        var parked = await ReadAsync(Analytics.ReadReportCasesAsync(Acme, new ReportCaseFilter { Statuses = [CaseStatus.Parked, CaseStatus.HandedOver] }));
        Assert.Equal(book.Cases.Count(w => w.Case.Status is CaseStatus.Parked or CaseStatus.HandedOver), parked.Count);
        Assert.Empty(await ReadAsync(Analytics.ReadReportCasesAsync(Acme, new ReportCaseFilter { Statuses = [] })));

        // Moving a customer to another operator moves its cases out of the old operator's scope at once.
        var moved = book.Assignments.First(a => a.Responsibles[0] == ReportBook.Operators[0]).CustomerCode;
        await CommitAsync(Acme, c => c.Assignments.Add(new CustomerAssignment(Acme, moved, [ReportBook.Operators[2]])));
        var after = await ReadAsync(Analytics.ReadReportCasesAsync(Acme, new ReportCaseFilter { Scope = op1 }));
        Assert.DoesNotContain(after, c => c.CustomerCode == moved);
        var unassignedNow = await ReadAsync(Analytics.ReadAgingAsync(Acme, new AgingQuery { AsOf = AsOf, GroupBy = AgingDimension.Operator, Scope = new CustomerScope([ReportBook.Operators[2]], false) }));
        Assert.Contains(unassignedNow, c => c.GroupKey == ReportBook.Operators[2].Value);
    }
}
