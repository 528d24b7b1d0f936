using System.Globalization;
using CreditRecovery.Cases;
using NodaTime;

namespace CreditRecovery.Ports;

/// <summary>
/// The reporting side of a store (H2, G10, G11): set-based queries over the open book that a store answers without
/// reading every record, so that aging over a million installments takes seconds. Stores that implement
/// <see cref="IRecoveryStore"/> implement this too; the engine's <c>CreditReports</c> service applies the acting
/// operator's authorisation through <see cref="CustomerScope"/>.
/// </summary>
/// <remarks>
/// <para>Every query names the company and never returns another company's rows.</para>
/// <para>
/// Amounts are summed exactly (decimal, never floating point), per currency: the cells of an aging reconcile to the
/// cent with the sum of the open residuals of the cases they cover.
/// </para>
/// </remarks>
public interface ICreditAnalyticsStore
{
    /// <summary>
    /// The open residuals of the company's open cases (status other than closed), summed per group, aging bucket and
    /// currency. Groups with nothing in them are not returned. The order of the cells is unspecified.
    /// </summary>
    /// <param name="company">The company.</param>
    /// <param name="query">The date, the grouping, the buckets and the customers in scope.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    IAsyncEnumerable<AgingCell> ReadAgingAsync(CompanyId company, AgingQuery query, CancellationToken cancellationToken = default);

    /// <summary>Reads the cases matching a report filter, ordered by customer code then installment key, as a stream.</summary>
    /// <param name="company">The company.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    IAsyncEnumerable<RecoveryCase> ReadReportCasesAsync(CompanyId company, ReportCaseFilter filter, CancellationToken cancellationToken = default);
}

/// <summary>
/// The customers a query may see (M10b): those with at least one of <see cref="Responsibles"/> among their assigned
/// operators and, when <see cref="IncludeUnassigned"/>, those assigned to nobody. A query without a scope sees every
/// customer of the company.
/// </summary>
/// <param name="Responsibles">The operators whose customers are visible (an operator, or a supervisor and their team).</param>
/// <param name="IncludeUnassigned">Whether customers with no responsible operator are visible too.</param>
public sealed record CustomerScope(IReadOnlyCollection<OperatorId> Responsibles, bool IncludeUnassigned)
{
    /// <summary>Whether a customer with the given responsibles is visible.</summary>
    /// <param name="responsibles">The customer's responsible operators (none when unassigned).</param>
    public bool Includes(IReadOnlyCollection<OperatorId>? responsibles) =>
        responsibles is null || responsibles.Count == 0 ? IncludeUnassigned : responsibles.Any(Responsibles.Contains);
}

/// <summary>What an aging groups by (H2).</summary>
public enum AgingDimension
{
    /// <summary>One group: the whole company.</summary>
    Company,

    /// <summary>Per customer (label: the customer's name).</summary>
    Customer,

    /// <summary>Per main responsible operator (the first of the customer's assignment); empty key when unassigned.</summary>
    Operator,

    /// <summary>Per sales agent (*agente*) of the customer; empty key when none.</summary>
    Agent,

    /// <summary>Per sales area (*zona*) of the customer; empty key when none.</summary>
    SalesArea,

    /// <summary>Per payment type (*tipo pagamento*) of the installment.</summary>
    PaymentType,
}

/// <summary>
/// Aging buckets, given by their upper bounds in days overdue (days from the due date to the as-of date; zero or less
/// means not yet due). The default <c>0, 30, 60, 90, 180</c> gives: not yet due, 1–30, 31–60, 61–90, 91–180, over 180.
/// Every whole number of days falls in exactly one bucket: bucket <c>i</c> holds <c>bound[i-1] &lt; days ≤ bound[i]</c>,
/// the first has no lower bound and the last (over the last bound) no upper bound.
/// </summary>
public sealed record AgingBuckets
{
    private AgingBuckets(IReadOnlyList<int> upperBounds) => UpperBounds = upperBounds;

    /// <summary>Not yet due, 1–30, 31–60, 61–90, 91–180, over 180 days.</summary>
    public static AgingBuckets Default { get; } = Create(0, 30, 60, 90, 180);

    /// <summary>The upper bounds (inclusive), strictly increasing.</summary>
    public IReadOnlyList<int> UpperBounds { get; }

    /// <summary>How many buckets: one more than the bounds.</summary>
    public int Count => UpperBounds.Count + 1;

    /// <summary>Creates buckets from their upper bounds.</summary>
    /// <param name="upperBounds">The bounds in days overdue, strictly increasing, at least one.</param>
    /// <exception cref="ArgumentException">No bound, or the bounds are not strictly increasing.</exception>
    public static AgingBuckets Create(params int[] upperBounds)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        if (upperBounds.Length == 0)
        {
            throw new ArgumentException("Aging buckets need at least one upper bound (e.g. 0 for 'not yet due').", nameof(upperBounds));
        }

        for (var i = 1; i < upperBounds.Length; i++)
        {
            if (upperBounds[i] <= upperBounds[i - 1])
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Aging bucket bounds must increase strictly: {upperBounds[i]} follows {upperBounds[i - 1]}."),
                    nameof(upperBounds));
            }
        }

        return new AgingBuckets(upperBounds.ToArray());
    }

    /// <summary>The bucket of an installment overdue by <paramref name="daysOverdue"/> days.</summary>
    /// <param name="daysOverdue">Days from the due date to the as-of date (negative: not yet due).</param>
    public int IndexOf(int daysOverdue)
    {
        for (var i = 0; i < UpperBounds.Count; i++)
        {
            if (daysOverdue <= UpperBounds[i])
            {
                return i;
            }
        }

        return UpperBounds.Count;
    }

    /// <summary>The bucket of an installment due on <paramref name="dueDate"/>, as of <paramref name="asOf"/>.</summary>
    /// <param name="dueDate">The due date.</param>
    /// <param name="asOf">The as-of date.</param>
    public int IndexOf(LocalDate dueDate, LocalDate asOf) => IndexOf(DaysOverdue(dueDate, asOf));

    /// <summary>
    /// The earliest due date that still falls at or below bound <paramref name="boundIndex"/> as of <paramref name="asOf"/>:
    /// an installment is in a bucket up to <paramref name="boundIndex"/> when its due date is on or after this date.
    /// Stores use it to bucket by comparing due dates, without date arithmetic per row.
    /// </summary>
    /// <param name="asOf">The as-of date.</param>
    /// <param name="boundIndex">The index of the bound.</param>
    public LocalDate EarliestDueDate(LocalDate asOf, int boundIndex) => asOf.PlusDays(-UpperBounds[boundIndex]);

    /// <summary>Days from <paramref name="dueDate"/> to <paramref name="asOf"/>.</summary>
    /// <param name="dueDate">The due date.</param>
    /// <param name="asOf">The as-of date.</param>
    public static int DaysOverdue(LocalDate dueDate, LocalDate asOf) => Period.Between(dueDate, asOf, PeriodUnits.Days).Days;

    /// <summary>A short English label: "Not yet due" (or "≤ n"), "1-30", "> 180".</summary>
    /// <param name="index">The bucket.</param>
    public string Label(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Count);
        if (index == 0)
        {
            return UpperBounds[0] == 0 ? "Not yet due" : string.Create(CultureInfo.InvariantCulture, $"<= {UpperBounds[0]}");
        }

        return index == UpperBounds.Count
            ? string.Create(CultureInfo.InvariantCulture, $"> {UpperBounds[^1]}")
            : string.Create(CultureInfo.InvariantCulture, $"{UpperBounds[index - 1] + 1}-{UpperBounds[index]}");
    }

    /// <summary>Whether the bucket holds only overdue installments (its lower bound is at least one day overdue).</summary>
    /// <param name="index">The bucket.</param>
    public bool IsOverdue(int index) => index > 0 && UpperBounds[index - 1] >= 0;

    /// <inheritdoc />
    public bool Equals(AgingBuckets? other) => other is not null && UpperBounds.SequenceEqual(other.UpperBounds);

    /// <inheritdoc />
    public override int GetHashCode() => UpperBounds.Aggregate(17, (h, b) => (h * 31) ^ b);
}

/// <summary>An aging request to a store.</summary>
public sealed record AgingQuery
{
    /// <summary>The date ages are measured to.</summary>
    public required LocalDate AsOf { get; init; }

    /// <summary>The grouping.</summary>
    public AgingDimension GroupBy { get; init; } = AgingDimension.Customer;

    /// <summary>The buckets.</summary>
    public AgingBuckets Buckets { get; init; } = AgingBuckets.Default;

    /// <summary>The customers in scope; <see langword="null"/> for all.</summary>
    public CustomerScope? Scope { get; init; }
}

/// <summary>One cell of an aging: a group, a bucket and a currency.</summary>
/// <param name="GroupKey">The group (customer code, operator, agent, area, payment type name, company code); empty for "none".</param>
/// <param name="GroupLabel">A display name for the group when there is one (the customer's name), else <see langword="null"/>.</param>
/// <param name="Bucket">The bucket's index in <see cref="AgingBuckets"/>.</param>
/// <param name="Currency">The ISO 4217 currency.</param>
/// <param name="Residual">The sum of the open residuals, exact.</param>
/// <param name="Installments">How many installments.</param>
public sealed record AgingCell(string GroupKey, string? GroupLabel, int Bucket, string Currency, decimal Residual, int Installments);

/// <summary>Which cases a report reads. Conditions combine with AND; an unset one does not filter.</summary>
public sealed record ReportCaseFilter
{
    /// <summary>The customers in scope; <see langword="null"/> for all.</summary>
    public CustomerScope? Scope { get; init; }

    /// <summary>Only open cases.</summary>
    public bool OpenOnly { get; init; }

    /// <summary>Only cases in these statuses.</summary>
    public IReadOnlyCollection<CaseStatus>? Statuses { get; init; }

    /// <summary>Only these customers.</summary>
    public IReadOnlyCollection<string>? CustomerCodes { get; init; }

    /// <summary>Only cases whose next action date is on or after this date.</summary>
    public LocalDate? NextActionFrom { get; init; }

    /// <summary>Only cases whose next action date is on or before this date.</summary>
    public LocalDate? NextActionTo { get; init; }

    /// <summary>Only installments due on or before this date.</summary>
    public LocalDate? DueOnOrBefore { get; init; }
}
