using CreditRecovery.Cases;
using CreditRecovery.Interest;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Reporting;
using CreditRecovery.Testing.Reporting;
using NodaTime;
using static CreditRecovery.Reports.Tests.ReportEngine;

namespace CreditRecovery.Reports.Tests;

/// <summary>The engine's reports: authorisation (an operator sees only his customers), and the reports' definitions.</summary>
public sealed class CreditReportsTests
{
    public static TheoryData<string> Kinds() => new(Stores.Kinds);

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_operator_sees_only_his_customers_a_supervisor_his_team_and_the_unassigned_an_administrator_all(string kind)
    {
        var book = ReportBook.Build(Company, AsOf, ReportBook.Random(seed: 3, count: 200, customers: 24));
        await using var harness = await CreateAsync(kind, book);
        var reports = harness.Engine.Reports;
        var responsibles = book.Assignments.ToDictionary(a => a.CustomerCode, a => a.Responsibles, StringComparer.Ordinal);
        var openCustomers = book.Cases.Where(w => w.Case.IsOpen).Select(w => w.Case.CustomerCode).ToHashSet(StringComparer.Ordinal);
        HashSet<string> Visible(Func<IReadOnlyList<OperatorId>?, bool> rule) =>
            openCustomers.Where(c => rule(responsibles.GetValueOrDefault(c))).ToHashSet(StringComparer.Ordinal);

        var expected = new Dictionary<OperatorId, HashSet<string>>
        {
            [Op1] = Visible(r => r is not null && r.Contains(Op1)),
            [Supervisor] = Visible(r => r is null || r.Count == 0 || r.Contains(Op2) || r.Contains(Supervisor)),
            [Admin] = openCustomers,
        };
        foreach (var (actor, customers) in expected)
        {
            Assert.NotEmpty(customers);
            var aging = await reports.GetAgingAsync(actor, Company, new AgingRequest { AsOf = AsOf });
            Assert.Equal(customers.Order(StringComparer.Ordinal), aging.Rows.Select(r => r.GroupKey).Distinct().Order(StringComparer.Ordinal));
            var lines = await reports.StreamCreditByInstallmentAsync(actor, Company, AsOf).ToListAsync();
            Assert.True(lines.All(l => customers.Contains(l.Case.CustomerCode)), $"{actor} got an installment of a customer he may not see");
            Assert.Equal(book.Cases.Count(w => w.Case.IsOpen && customers.Contains(w.Case.CustomerCode)), lines.Count);
        }

        var foreign = openCustomers.First(c => !expected[Op1].Contains(c));
        await Assert.ThrowsAsync<AccessDeniedException>(() => reports.GetCustomerDrillDownAsync(Op1, Company, foreign).AsTask());
        await Assert.ThrowsAsync<AccessDeniedException>(() => reports.GetAgingAsync(new OperatorId("nobody"), Company).AsTask());
        var own = await reports.GetCustomerDrillDownAsync(Op1, Company, expected[Op1].First(), AsOf);
        Assert.NotEmpty(own.Documents);
        Assert.Contains(Op1, own.Responsibles);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Credit_by_customer_and_every_grouping_reconcile_with_the_open_residuals(string kind)
    {
        var book = ReportBook.Build(Company, AsOf, ReportBook.Random(seed: 5, count: 150, customers: 15));
        await using var harness = await CreateAsync(kind, book);
        var open = book.Cases.Select(w => w.Case).Where(c => c.IsOpen).ToList();
        var byCustomer = await harness.Engine.Reports.GetCreditByCustomerAsync(Admin, Company, AsOf);
        foreach (var currency in open.Select(c => c.Installment.OpenResidual.Currency).Distinct())
        {
            var sum = open.Where(c => c.Installment.OpenResidual.Currency == currency).Sum(c => c.Installment.OpenResidual.Amount);
            Assert.Equal(sum, byCustomer.Where(l => l.Currency == currency).Sum(l => l.OpenResidual));
            Assert.All(byCustomer, l => Assert.Equal(l.OpenResidual, l.NotYetDue + l.Overdue));
            foreach (var dimension in Enum.GetValues<AgingDimension>())
            {
                var aging = await harness.Engine.Reports.GetAgingAsync(Admin, Company, new AgingRequest { AsOf = AsOf, GroupBy = dimension });
                Assert.Equal(sum, aging.Total(currency).Total);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Parking_areas_and_planned_actions_list_what_the_book_holds(string kind)
    {
        var book = ReportBook.Build(Company, AsOf, ReportBook.Random(seed: 9, count: 120, customers: 10));
        await using var harness = await CreateAsync(kind, book);
        var cases = book.Cases.Select(w => w.Case).ToList();

        var groups = await harness.Engine.Reports.GetParkingAreasAsync(Admin, Company);
        foreach (var area in Enum.GetValues<ParkingArea>())
        {
            var group = Assert.Single(groups, g => g.Area == area);
            Assert.Equal(
                cases.Where(c => c.Status == CaseStatus.Parked && c.ParkedIn == area).Select(c => c.Key.Value).Order(StringComparer.Ordinal),
                group.Cases.Select(c => c.Key.Value).Order(StringComparer.Ordinal));
        }

        Assert.Equal(cases.Count(c => c.Status == CaseStatus.HandedOver), groups.Where(g => g.HandedOverTo is not null).Sum(g => g.Cases.Count));

        var period = new DateInterval(AsOf.PlusDays(1), AsOf.PlusDays(5));
        var days = await harness.Engine.Reports.GetPlannedActionsAsync(Admin, Company, period);
        foreach (var date in period)
        {
            var expected = cases.Count(c => c.IsOpen && c.NextActionDate == date);
            Assert.Equal(expected, days.SingleOrDefault(d => d.Date == date)?.CasesToReview ?? 0);
        }

        var workload = await harness.Engine.Reports.GetWorkloadAsync(Admin, Company, period);
        Assert.Equal(await harness.Engine.Desk.GetWorkloadAsync(Admin, Company, period), workload);
    }

    [Fact]
    public async Task Effectiveness_credits_a_payment_to_the_last_step_before_it_within_the_window()
    {
        var d = new LocalDate(2026, 2, 2);
        var book = ReportBook.Build(Company, AsOf, [new(0, 60, 100m, Status: 5), new(1, 60, 200m, Status: 5), new(2, 60, 400m, Status: 5), new(3, 60, 800m)]);
        StepExecution Step(string id, LocalDate on) => new(1, "standard", id == "dunning-1" ? 0 : 1, id, on, on, StepOutcome.MessageQueued);
        RecoveryCase With(int n, LocalDate? paid, params StepExecution[] steps)
        {
            var c = book.Cases[n].Case;
            return c with { Steps = steps, ClosedOn = paid, OpenedOn = d.PlusDays(-40), Status = paid is null ? CaseStatus.InProcedure : CaseStatus.Closed, ClosedBecause = paid is null ? null : ClosureReason.Paid };
        }

        var written = new[]
        {
            With(0, d.PlusDays(5), Step("dunning-1", d)),                               // paid 5 days after dunning-1
            With(1, d.PlusDays(20), Step("dunning-1", d), Step("dunning-2", d.PlusDays(15))), // paid after dunning-2: credited to it only
            With(2, d.PlusDays(40), Step("dunning-1", d)),                              // paid too late for a 30-day window
            With(3, null, Step("dunning-1", d)),                                        // not paid
        };
        for (var i = 0; i < written.Length; i++)
        {
            book.Cases[i] = new CaseWrite(written[i], 0);
        }

        await using var harness = await CreateAsync("sqlite", book);
        var report = await harness.Engine.Reports.GetEffectivenessAsync(Admin, Company, new DateInterval(new LocalDate(2026, 1, 1), AsOf), withinDays: 30);
        var first = Assert.Single(report.Steps, s => s.StepId == "dunning-1");
        var second = Assert.Single(report.Steps, s => s.StepId == "dunning-2");
        Assert.Equal((4, 1, 100m), (first.Executions, first.PaidInstallments, first.PaidAmount));
        Assert.Equal((1, 1, 200m), (second.Executions, second.PaidInstallments, second.PaidAmount));
        Assert.Equal(3, report.Trend.Count); // January, February, and the period's end (31 March)
        var february = Assert.Single(report.Trend, p => p.Date == new LocalDate(2026, 2, 28));
        Assert.Equal(100m + 200m, february.Collected); // cases 0 and 1 were paid in February (overdue when paid); case 2 in March
        Assert.Equal(400m, Assert.Single(report.Trend, p => p.Date == AsOf).Collected);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Claimable_interest_per_customer_is_the_calculators_on_the_overdue_residuals(string kind)
    {
        var book = ReportBook.Build(Company, AsOf, [new(0, 100, 1000m), new(0, 40, 250.50m), new(0, -5, 999m), new(1, 10, 300m), new(2, 400, -80m)]);
        await using var harness = await CreateAsync(kind, book);
        var lines = await harness.Engine.Reports.GetClaimableInterestAsync(Admin, Company, AsOf);

        var calculator = new LatePaymentInterestCalculator();
        foreach (var customer in new[] { 0, 1 })
        {
            var code = ReportBook.CustomerCode(customer);
            var overdue = book.Cases.Select(w => w.Case.Installment).Where(i => i.CustomerCode == code && i.DueDate < AsOf).ToList();
            var claim = calculator.CalculateClaim(overdue, AsOf);
            var line = Assert.Single(lines, l => l.CustomerCode == code);
            Assert.Equal(claim.TotalInterest.Amount, line.Interest);
            Assert.Equal(claim.TotalCompensation.Amount, line.Compensation);
            Assert.True(line.Interest > 0m);
            Assert.Equal(overdue.Sum(i => i.OpenResidual.Amount), line.OverdueResidual);
            Assert.Null(line.Error);
        }

        // A customer with only a credit note has nothing to claim; a date beyond the rate table is an error on the line, not a crash.
        Assert.DoesNotContain(lines, l => l.CustomerCode == ReportBook.CustomerCode(2));
        var future = await harness.Engine.Reports.GetClaimableInterestAsync(Admin, Company, new LocalDate(2099, 1, 1));
        Assert.All(future.Where(l => l.Installments > 0), l => Assert.NotNull(l.Error));
    }

    [Fact]
    public async Task Claimable_interest_uses_the_companys_policy_the_one_its_formal_demands_claim_with()
    {
        var book = ReportBook.Build(Company, AsOf, [new(0, 100, 1000m)]);
        await using var statutory = await CreateAsync("memory", book);
        await using var lastKnown = await CreateAsync("memory", ReportBook.Build(Company, AsOf, [new(0, 100, 1000m)]),
            c => c.LatePaymentInterest = new LatePaymentInterestPolicy { Default = new LatePaymentInterestOptions { UseLastKnownRate = true } });
        var beyondTable = new LocalDate(2099, 1, 1);

        var strict = Assert.Single(await statutory.Engine.Reports.GetClaimableInterestAsync(Admin, Company, beyondTable));
        var configured = Assert.Single(await lastKnown.Engine.Reports.GetClaimableInterestAsync(Admin, Company, beyondTable));

        Assert.NotNull(strict.Error);   // the statutory default refuses a half-year missing from the table
        Assert.Null(configured.Error);  // the company said: use the last known rate
        Assert.True(configured.Interest > 0m);
    }
}
