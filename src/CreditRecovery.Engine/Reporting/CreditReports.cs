using System.Runtime.CompilerServices;
using CreditRecovery.Cases;
using CreditRecovery.Interest;
using CreditRecovery.Operators;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Reporting;

/// <summary>
/// Credit analysis and reports (H2, G10, G11, H4, H7, X8): aging with drill-down, credit reports by total and by
/// installment, parking areas and hand-overs, planned actions and workload, effectiveness, and the late-payment interest
/// claimable per customer. Every query takes the acting operator and shows only the customers that operator may see
/// (M10b): the scope goes down to the store's SQL, it is not filtered afterwards.
/// </summary>
/// <remarks>
/// Aging and the credit report by total are one set-based query in the store (<see cref="ICreditAnalyticsStore"/>).
/// Reports that need the case's steps (effectiveness) or the installment's details stream the cases in scope once.
/// </remarks>
public sealed class CreditReports
{
    private static readonly StepOutcome[] RanOutcomes = [StepOutcome.MessageQueued, StepOutcome.CompletedByOperator, StepOutcome.CaseMoved];
    private readonly IRecoveryStore _store;
    private readonly IClock _clock;
    private readonly CompanyDirectory _companies;
    private readonly OperatorDesk _desk;

    internal CreditReports(IRecoveryStore store, IClock clock, CompanyDirectory companies, OperatorDesk desk)
    {
        _store = store;
        _clock = clock;
        _companies = companies;
        _desk = desk;
    }

    private ICreditAnalyticsStore Analytics => _store as ICreditAnalyticsStore
        ?? throw new NotSupportedException($"The store {_store.GetType().Name} does not implement ICreditAnalyticsStore, which reports need; use the SQLite or PostgreSQL store.");

    /// <summary>Today in the company's zone.</summary>
    /// <param name="company">The company.</param>
    public LocalDate Today(CompanyId company) => _clock.GetCurrentInstant().InZone(_companies.Get(company).Zone).Date;

    /// <summary>
    /// The aging of the open cases as of a date (H2). Ages are counted from each installment's due date to the as-of date
    /// on the open residual as it stands now (the store keeps the latest ledger snapshot, not past residuals). The rows of
    /// a currency add up exactly to the sum of the open residuals in scope.
    /// </summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="request">Date, grouping and buckets; default: today, by customer, the default buckets.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="AccessDeniedException">The actor is not an active operator of the company.</exception>
    public async ValueTask<AgingReport> GetAgingAsync(OperatorId actor, CompanyId company, AgingRequest? request = null, CancellationToken cancellationToken = default)
    {
        request ??= new AgingRequest();
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var asOf = request.AsOf ?? Today(company);
        var query = new AgingQuery { AsOf = asOf, GroupBy = request.GroupBy, Buckets = request.Buckets, Scope = scope.ToCustomerScope() };
        var rows = new Dictionary<(string Currency, string Key), (string? Label, decimal[] Amounts, int[] Counts)>();
        await foreach (var cell in Analytics.ReadAgingAsync(company, query, cancellationToken).ConfigureAwait(false))
        {
            if (!rows.TryGetValue((cell.Currency, cell.GroupKey), out var row))
            {
                row = (cell.GroupLabel, new decimal[request.Buckets.Count], new int[request.Buckets.Count]);
                rows[(cell.Currency, cell.GroupKey)] = row;
            }

            row.Amounts[cell.Bucket] += cell.Residual;
            row.Counts[cell.Bucket] += cell.Installments;
        }

        var list = rows
            .OrderBy(kv => kv.Key.Currency, StringComparer.Ordinal)
            .ThenBy(kv => kv.Key.Key, StringComparer.Ordinal)
            .Select(kv => new AgingRow(kv.Key.Key, kv.Value.Label, kv.Key.Currency, kv.Value.Amounts, kv.Value.Counts))
            .ToList();
        return new AgingReport(company, asOf, request.GroupBy, request.Buckets, list);
    }

    /// <summary>The credit report by total (G11): per customer and currency, open, not yet due and overdue.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="asOf">The date; default today.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<IReadOnlyList<CustomerCreditLine>> GetCreditByCustomerAsync(OperatorId actor, CompanyId company, LocalDate? asOf = null, CancellationToken cancellationToken = default)
    {
        var buckets = AgingBuckets.Create(0);
        var aging = await GetAgingAsync(actor, company, new AgingRequest { AsOf = asOf, GroupBy = AgingDimension.Customer, Buckets = buckets }, cancellationToken).ConfigureAwait(false);
        return aging.Rows
            .Select(r => new CustomerCreditLine(r.GroupKey, r.GroupLabel, r.Currency, r.Total, r.Amounts[0], r.Amounts[1], r.Installments))
            .OrderBy(l => l.Currency, StringComparer.Ordinal)
            .ThenByDescending(l => l.OpenResidual)
            .ThenBy(l => l.CustomerCode, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>The credit report by installment (G11), streamed: every open installment in scope, by customer then key.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="asOf">The date the days overdue count to; default today.</param>
    /// <param name="customerCodes">Only these customers; <see langword="null"/> for all in scope.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async IAsyncEnumerable<InstallmentCreditLine> StreamCreditByInstallmentAsync(
        OperatorId actor,
        CompanyId company,
        LocalDate? asOf = null,
        IReadOnlyCollection<string>? customerCodes = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var date = asOf ?? Today(company);
        var filter = new ReportCaseFilter { Scope = scope.ToCustomerScope(), OpenOnly = true, CustomerCodes = customerCodes };
        await foreach (var c in Analytics.ReadReportCasesAsync(company, filter, cancellationToken).ConfigureAwait(false))
        {
            var days = AgingBuckets.DaysOverdue(c.Installment.DueDate, date);
            yield return new InstallmentCreditLine(c, days, AgingBuckets.Default.Label(AgingBuckets.Default.IndexOf(days)));
        }
    }

    /// <summary>Drill-down of one customer: documents → installments (open cases) → each case's history.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="customerCode">The customer.</param>
    /// <param name="asOf">The date the days overdue count to; default today.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="AccessDeniedException">The actor may not see the customer.</exception>
    public async ValueTask<CustomerDrillDown> GetCustomerDrillDownAsync(OperatorId actor, CompanyId company, string customerCode, LocalDate? asOf = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(customerCode);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        scope.DemandCustomer(customerCode);
        var date = asOf ?? Today(company);
        var cases = await _store.ReadCasesAsync(company, new CaseFilter { CustomerCodes = [customerCode], OpenOnly = true }, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var installments = new List<InstallmentDrillDown>();
        foreach (var c in cases)
        {
            var history = await _store.ReadHistoryAsync(company, c.Key, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
            installments.Add(new InstallmentDrillDown(c, AgingBuckets.DaysOverdue(c.Installment.DueDate, date), history));
        }

        var documents = installments
            .GroupBy(i => (i.Case.Installment.Document.Kind, i.Case.Installment.Document.Number, i.Case.Installment.Document.Date))
            .OrderBy(g => g.Key.Date).ThenBy(g => g.Key.Number, StringComparer.Ordinal)
            .Select(g => new DocumentDrillDown(g.First().Case.Installment.Document, g.OrderBy(i => i.Case.Installment.Number).ThenBy(i => i.Case.Key.Value, StringComparer.Ordinal).ToList()))
            .ToList();
        var responsibles = new List<OperatorId>();
        await foreach (var a in _store.ReadAssignmentsAsync(company, [customerCode], cancellationToken).ConfigureAwait(false))
        {
            responsibles.AddRange(a.Responsibles);
        }

        var customer = await _store.GetCustomerAsync(company, customerCode, cancellationToken).ConfigureAwait(false);
        return new CustomerDrillDown(customerCode, customer, responsibles, date, documents);
    }

    /// <summary>The content of each parking area and of the cases handed to each lawyer or agency (G10, H8).</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<IReadOnlyList<ParkingGroup>> GetParkingAreasAsync(OperatorId actor, CompanyId company, CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var filter = new ReportCaseFilter { Scope = scope.ToCustomerScope(), Statuses = [CaseStatus.Parked, CaseStatus.HandedOver] };
        var cases = await Analytics.ReadReportCasesAsync(company, filter, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var parked = Enum.GetValues<ParkingArea>()
            .Select(area => new ParkingGroup($"Parked: {area}", area, null, cases.Where(c => c.Status == CaseStatus.Parked && c.ParkedIn == area).ToList()));
        var handed = cases.Where(c => c.Status == CaseStatus.HandedOver)
            .GroupBy(c => (c.HandedOverTo?.Kind ?? HandOverKind.Lawyer, c.HandedOverTo?.Name ?? ""))
            .OrderBy(g => g.Key.Item1).ThenBy(g => g.Key.Item2, StringComparer.Ordinal)
            .Select(g => new ParkingGroup(
                $"{(g.Key.Item1 == HandOverKind.Lawyer ? "Lawyer" : "Collection agency")}: {g.Key.Item2}",
                null,
                g.First().HandedOverTo,
                g.ToList()));
        return [.. parked, .. handed];
    }

    /// <summary>
    /// The planned actions of a period (H7), per day: the open cases whose next action date falls on it, the open operator
    /// tasks due on it by kind, and the agenda occurrences.
    /// </summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="period">The dates.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<IReadOnlyList<PlannedDay>> GetPlannedActionsAsync(OperatorId actor, CompanyId company, DateInterval period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var days = new SortedDictionary<LocalDate, (int Cases, Dictionary<string, decimal> Residuals, Dictionary<OperatorTaskKind, int> Tasks, int Agenda)>();
        (int Cases, Dictionary<string, decimal> Residuals, Dictionary<OperatorTaskKind, int> Tasks, int Agenda) Day(LocalDate d) =>
            days.TryGetValue(d, out var v) ? v : days[d] = (0, new Dictionary<string, decimal>(StringComparer.Ordinal), [], 0);

        var filter = new ReportCaseFilter { Scope = scope.ToCustomerScope(), OpenOnly = true, NextActionFrom = period.Start, NextActionTo = period.End };
        await foreach (var c in Analytics.ReadReportCasesAsync(company, filter, cancellationToken).ConfigureAwait(false))
        {
            var day = Day(c.NextActionDate!.Value);
            var currency = c.Installment.OpenResidual.Currency ?? "";
            day.Residuals[currency] = day.Residuals.GetValueOrDefault(currency) + c.Installment.OpenResidual.Amount;
            days[c.NextActionDate.Value] = day with { Cases = day.Cases + 1 };
        }

        var tasks = new TaskFilter { Status = OperatorTaskStatus.Open, DueFrom = period.Start, DueTo = period.End };
        await foreach (var t in _store.ReadTasksAsync(company, tasks, cancellationToken).ConfigureAwait(false))
        {
            if (scope.CanSee(t))
            {
                var day = Day(t.DueOn);
                day.Tasks[t.Kind] = day.Tasks.GetValueOrDefault(t.Kind) + 1;
            }
        }

        foreach (var occurrence in await _desk.GetAgendaAsync(actor, company, period, cancellationToken).ConfigureAwait(false))
        {
            var day = Day(occurrence.Date);
            days[occurrence.Date] = day with { Agenda = day.Agenda + 1 };
        }

        return days.Select(kv => new PlannedDay(kv.Key, kv.Value.Cases, kv.Value.Residuals, kv.Value.Tasks, kv.Value.Agenda)).ToList();
    }

    /// <summary>The agenda's daily workload per operator (H4): the operator desk's own figures, in scope.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="period">The dates.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public ValueTask<IReadOnlyList<DailyWorkload>> GetWorkloadAsync(OperatorId actor, CompanyId company, DateInterval period, CancellationToken cancellationToken = default) =>
        _desk.GetWorkloadAsync(actor, company, period, cancellationToken);

    /// <summary>
    /// Effectiveness (X8) over a period, derived from the cases' recorded steps and closures.
    /// </summary>
    /// <remarks>
    /// <para>
    /// <b>Per step</b>: an execution is a step that ran on an installment (message queued, completed by an operator, case
    /// moved) with its business date in the period. It counts as paid when the case closed as paid no later than
    /// <paramref name="withinDays"/> days after it and it was the last step that ran on the case up to the payment, so a
    /// payment is credited to one step only. The money is the installment's amount (VAT included).
    /// </para>
    /// <para>
    /// <b>Trend</b>, at each month end in the period and at its end: open receivables (cases opened by then and not
    /// closed by then: the current residual of cases still open, the installment's amount for cases closed later);
    /// overdue (those past their due date); collected (overdue installments closed as paid in that month); recovery rate
    /// = collected / (collected + overdue); DSO = open receivables / installments of documents dated in the 90 days up to
    /// the date × 90.
    /// </para>
    /// </remarks>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="period">The period.</param>
    /// <param name="withinDays">The window after a step, in days (default 30).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<EffectivenessReport> GetEffectivenessAsync(OperatorId actor, CompanyId company, DateInterval period, int withinDays = 30, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentOutOfRangeException.ThrowIfNegative(withinDays);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var points = TrendDates(period);
        var steps = new Dictionary<(string, string, string), (int Runs, int Paid, decimal Amount)>();
        var trend = new Dictionary<(LocalDate, string), (decimal Open, decimal Overdue, decimal Collected, decimal Sales)>();
        await foreach (var c in Analytics.ReadReportCasesAsync(company, new ReportCaseFilter { Scope = scope.ToCustomerScope() }, cancellationToken).ConfigureAwait(false))
        {
            var currency = c.Installment.OriginalAmount.Currency ?? "";
            var paidOn = c.Status == CaseStatus.Closed && c.ClosedBecause == ClosureReason.Paid ? c.ClosedOn : null;
            var ran = c.Steps.Where(s => RanOutcomes.Contains(s.Outcome)).OrderBy(s => s.ExecutedOn).ToList();
            var credited = paidOn is { } p ? ran.LastOrDefault(s => s.ExecutedOn <= p) : null;
            foreach (var s in ran.Where(s => period.Contains(s.ExecutedOn)))
            {
                var k = (s.ProcedureId, s.StepId, currency);
                var v = steps.GetValueOrDefault(k);
                var paid = ReferenceEquals(s, credited) && paidOn!.Value <= s.ExecutedOn.PlusDays(withinDays);
                steps[k] = (v.Runs + 1, v.Paid + (paid ? 1 : 0), v.Amount + (paid ? c.Installment.OriginalAmount.Amount : 0m));
            }

            foreach (var date in points)
            {
                var open = c.OpenedOn <= date && (c.ClosedOn is null || c.ClosedOn > date);
                var amount = c.IsOpen ? c.Installment.OpenResidual.Amount : c.Installment.OriginalAmount.Amount;
                var monthStart = new LocalDate(date.Year, date.Month, 1);
                var collected = paidOn is { } pd && pd >= monthStart && pd <= date && pd > c.Installment.DueDate;
                var sale = c.Installment.Document.Date > date.PlusDays(-90) && c.Installment.Document.Date <= date;
                if (!open && !collected && !sale)
                {
                    continue;
                }

                var v = trend.GetValueOrDefault((date, currency));
                trend[(date, currency)] = (
                    v.Open + (open ? amount : 0m),
                    v.Overdue + (open && c.Installment.DueDate < date ? amount : 0m),
                    v.Collected + (collected ? c.Installment.OriginalAmount.Amount : 0m),
                    v.Sales + (sale ? c.Installment.OriginalAmount.Amount : 0m));
            }
        }

        var stepList = steps
            .OrderBy(kv => kv.Key.Item1, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item2, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item3, StringComparer.Ordinal)
            .Select(kv => new StepEffectiveness(kv.Key.Item1, kv.Key.Item2, kv.Key.Item3, kv.Value.Runs, kv.Value.Paid, kv.Value.Amount))
            .ToList();
        var trendList = trend
            .OrderBy(kv => kv.Key.Item2, StringComparer.Ordinal).ThenBy(kv => kv.Key.Item1)
            .Select(kv =>
            {
                var (open, overdue, collected, sales) = kv.Value;
                decimal? rate = collected + overdue == 0m ? null : Math.Round(collected / (collected + overdue), 4);
                decimal? dso = sales == 0m ? null : Math.Round(open / sales * 90m, 1);
                return new TrendPoint(kv.Key.Item1, kv.Key.Item2, open, overdue, collected, rate, dso);
            })
            .ToList();
        return new EffectivenessReport(period, withinDays, stepList, trendList);
    }

    /// <summary>
    /// The statutory late-payment interest and compensation claimable per customer as of a date (issue 9), computed with
    /// <see cref="LatePaymentInterestCalculator"/> on the overdue open installments in scope.
    /// </summary>
    /// <remarks>
    /// The store keeps each installment's current residual, not the dates of earlier partial payments, so interest runs on
    /// the open residual from the day after the due date: a conservative figure (it never claims interest on a part
    /// already paid). Credit notes claim nothing. A customer whose figure cannot be computed (e.g. a half-year missing from
    /// the rate table) gets a line with <see cref="CustomerInterestLine.Error"/> and the others go on.
    /// </remarks>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="asOf">The last day of interest; default today.</param>
    /// <param name="policy">Options per customer or case; <see langword="null"/> for the company's configured policy (<see cref="CompanySettings.LatePaymentInterest"/>), the one its formal demands claim with.</param>
    /// <param name="calculator">The calculator; <see langword="null"/> for one on the shipped rate table.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<IReadOnlyList<CustomerInterestLine>> GetClaimableInterestAsync(
        OperatorId actor,
        CompanyId company,
        LocalDate? asOf = null,
        LatePaymentInterestPolicy? policy = null,
        LatePaymentInterestCalculator? calculator = null,
        CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var date = asOf ?? Today(company);
        calculator ??= new LatePaymentInterestCalculator();
        policy ??= _companies.Get(company).Settings.LatePaymentInterest;
        var filter = new ReportCaseFilter { Scope = scope.ToCustomerScope(), OpenOnly = true, DueOnOrBefore = date.PlusDays(-1) };
        var lines = new List<CustomerInterestLine>();
        var batch = new List<Installment>();
        string? current = null;
        await foreach (var c in Analytics.ReadReportCasesAsync(company, filter, cancellationToken).ConfigureAwait(false))
        {
            if (current is not null && !string.Equals(current, c.CustomerCode, StringComparison.Ordinal))
            {
                lines.AddRange(Claim(calculator, current, batch, date, policy));
                batch.Clear();
            }

            current = c.CustomerCode;
            var i = c.Installment;
            if (i.OpenResidual.Amount > 0m && i.Document.Kind != DocumentKind.CreditNote)
            {
                batch.Add(i);
            }
        }

        if (current is not null)
        {
            lines.AddRange(Claim(calculator, current, batch, date, policy));
        }

        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        await foreach (var customer in _store.ReadCustomersAsync(company, lines.Select(l => l.CustomerCode).Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false))
        {
            names[customer.Code] = customer.Name;
        }

        return lines.Select(l => l with { CustomerName = names.GetValueOrDefault(l.CustomerCode) }).ToList();
    }

    private static IEnumerable<CustomerInterestLine> Claim(LatePaymentInterestCalculator calculator, string customer, List<Installment> installments, LocalDate asOf, LatePaymentInterestPolicy? policy)
    {
        foreach (var group in installments.GroupBy(i => i.OpenResidual.Currency ?? "", StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var residual = group.Sum(i => i.OpenResidual.Amount);
            CustomerInterestLine line;
            try
            {
                var claim = calculator.CalculateOpenClaim(group, asOf, policy);
                line = new CustomerInterestLine(customer, null, group.Key, residual, group.Count(), claim.TotalInterest.Amount, claim.TotalCompensation.Amount);
            }
            catch (Exception ex) when (ex is MissingRateException or ArgumentException)
            {
                line = new CustomerInterestLine(customer, null, group.Key, residual, group.Count(), 0m, 0m, ex.Message);
            }

            yield return line;
        }
    }

    private static List<LocalDate> TrendDates(DateInterval period)
    {
        var dates = new List<LocalDate>();
        var monthEnd = new LocalDate(period.Start.Year, period.Start.Month, 1).PlusMonths(1).PlusDays(-1);
        while (monthEnd < period.End)
        {
            dates.Add(monthEnd);
            monthEnd = monthEnd.PlusDays(1).PlusMonths(1).PlusDays(-1);
        }

        dates.Add(period.End);
        return dates;
    }

    private ValueTask<AccessScope> ScopeAsync(CompanyId company, OperatorId actor, CancellationToken cancellationToken)
    {
        _companies.Get(company);
        return AccessScope.LoadAsync(_store, company, actor, cancellationToken);
    }
}
