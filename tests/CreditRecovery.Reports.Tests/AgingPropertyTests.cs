using CreditRecovery.Ports;
using CreditRecovery.Testing.Reporting;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CreditRecovery.Reports.Tests;

/// <summary>
/// For any generated book and any buckets, the aging's cells add up exactly to the open residuals per currency, and
/// every open installment falls in exactly one bucket: the one its days overdue say.
/// </summary>
public sealed class AgingPropertyTests
{
    private static readonly CompanyId Company = new("ACME");
    private static readonly LocalDate AsOf = new(2026, 3, 31);

    [Property(MaxTest = 60)]
    public Property Buckets_reconcile_and_hold_each_installment_once_in_memory((int Days, int Cents, bool Usd, byte Status)[] rows, int[] bounds) =>
        Check("memory", rows, bounds);

    [Property(MaxTest = 40)]
    public Property Buckets_reconcile_and_hold_each_installment_once_on_sqlite((int Days, int Cents, bool Usd, byte Status)[] rows, int[] bounds) =>
        Check("sqlite", rows, bounds);

    private static Property Check(string kind, (int Days, int Cents, bool Usd, byte Status)[] rows, int[] bounds)
    {
        rows ??= [];
        var buckets = AgingBuckets.Create([.. (bounds ?? []).Select(b => b % 400).Append(0).Distinct().Order()]);
        // One customer per installment: each installment is its own group, so "exactly one bucket" is visible per cell.
        var book = ReportBook.Build(Company, AsOf, rows.Select((r, n) => new BookInstallment(n, r.Days % 1000, r.Cents / 100m, r.Usd ? 1 : 0, r.Status)).ToList());
        var store = Stores.Create(kind);
        try
        {
            store.CommitAsync(book).AsTask().GetAwaiter().GetResult();
            var analytics = (ICreditAnalyticsStore)store;
            var byCustomer = analytics.ReadAgingAsync(Company, new AgingQuery { AsOf = AsOf, GroupBy = AgingDimension.Customer, Buckets = buckets }).ToListAsync().AsTask().GetAwaiter().GetResult();
            var byCompany = analytics.ReadAgingAsync(Company, new AgingQuery { AsOf = AsOf, GroupBy = AgingDimension.Company, Buckets = buckets }).ToListAsync().AsTask().GetAwaiter().GetResult();
            var open = book.Cases.Select(w => w.Case).Where(c => c.IsOpen).ToList();

            var reconciles = open.GroupBy(c => c.Installment.OpenResidual.Currency).All(g =>
                byCompany.Where(c => c.Currency == g.Key).Sum(c => c.Residual) == g.Sum(c => c.Installment.OpenResidual.Amount));
            var counted = byCompany.Sum(c => c.Installments) == open.Count;
            var once = open.All(c =>
            {
                var cells = byCustomer.Where(x => x.GroupKey == c.CustomerCode).ToList();
                return cells.Count == 1 && cells[0].Installments == 1 && cells[0].Residual == c.Installment.OpenResidual.Amount &&
                       cells[0].Bucket == buckets.IndexOf(c.Installment.DueDate, AsOf);
            });
            var noClosed = byCustomer.Count == open.Count;
            return reconciles.Label("bucket totals equal the open residuals per currency")
                .And(counted.Label("the buckets count every open installment"))
                .And(once.Label("each open installment is in exactly one bucket, the right one"))
                .And(noClosed.Label("closed cases are not aged"));
        }
        finally
        {
            Stores.DisposeAsync(store).AsTask().GetAwaiter().GetResult();
        }
    }

    [Theory]
    [InlineData(-1, 0)]
    [InlineData(0, 0)]
    [InlineData(1, 1)]
    [InlineData(30, 1)]
    [InlineData(31, 2)]
    [InlineData(60, 2)]
    [InlineData(61, 3)]
    [InlineData(90, 3)]
    [InlineData(91, 4)]
    [InlineData(180, 4)]
    [InlineData(181, 5)]
    public void Default_buckets_place_each_boundary_day_on_the_right_side(int daysOverdue, int bucket)
    {
        Assert.Equal(bucket, AgingBuckets.Default.IndexOf(daysOverdue));
        Assert.Equal(bucket, AgingBuckets.Default.IndexOf(AsOf.PlusDays(-daysOverdue), AsOf));
    }

    [Fact]
    public void Bucket_labels_and_bad_bounds()
    {
        Assert.Equal(["Not yet due", "1-30", "31-60", "61-90", "91-180", "> 180"], Enumerable.Range(0, 6).Select(AgingBuckets.Default.Label));
        var error = Assert.Throws<ArgumentException>(() => AgingBuckets.Create(0, 30, 30));
        Assert.Contains("increase strictly", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => AgingBuckets.Create());
    }
}
