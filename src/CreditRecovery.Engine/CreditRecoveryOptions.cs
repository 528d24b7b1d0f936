using CreditRecovery.Calendar;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;

namespace CreditRecovery;

/// <summary>Configuration of the recovery engine: time zone, procedures and the companies it works for.</summary>
public sealed class CreditRecoveryOptions
{
    /// <summary>The IANA time zone business dates are taken in. Default <c>Europe/Rome</c>.</summary>
    public string TimeZoneId { get; set; } = "Europe/Rome";

    /// <summary>Every recovery procedure; companies and assignments refer to them by id.</summary>
    public IList<RecoveryProcedure> Procedures { get; } = [];

    /// <summary>The companies served.</summary>
    public IList<CompanySettings> Companies { get; } = [];

    /// <summary>How many installments one ledger-alignment commit holds. Default 500.</summary>
    public int LedgerBatchSize { get; set; } = 500;

    /// <summary>
    /// How many times a unit of work is retried after a concurrency conflict (another worker or operator wrote the same
    /// cases; the retry reads them again and finds that work done). Default 20, enough for several workers racing on one
    /// database.
    /// </summary>
    public int ConflictRetries { get; set; } = 20;

    /// <summary>How the outbox dispatcher retries and gives up.</summary>
    public DeliveryOptions Delivery { get; set; } = new();

    /// <summary>A copy with its own lists, so that later changes to this instance do not reach an engine built from it.</summary>
    internal CreditRecoveryOptions Snapshot()
    {
        var copy = new CreditRecoveryOptions
        {
            TimeZoneId = TimeZoneId,
            LedgerBatchSize = LedgerBatchSize,
            ConflictRetries = ConflictRetries,
            Delivery = Delivery with { },
        };
        foreach (var procedure in Procedures)
        {
            copy.Procedures.Add(procedure);
        }

        foreach (var company in Companies)
        {
            copy.Companies.Add(company);
        }

        return copy;
    }
}

/// <summary>One company's recovery settings.</summary>
public sealed class CompanySettings
{
    /// <summary>The company id (e.g. the ERP's company code).</summary>
    public string Id { get; set; } = "";

    /// <summary>How the company signs its messages.</summary>
    public CompanyProfile Profile { get; set; } = new() { Name = "" };

    /// <summary>The procedure for ordinary overdue installments when no assignment is more specific.</summary>
    public string DefaultProcedureId { get; set; } = "";

    /// <summary>The procedure for unpaid bank receipts (*RiBa insolute*) when no assignment is more specific; default: <see cref="DefaultProcedureId"/>.</summary>
    public string? UnpaidReceiptProcedureId { get; set; }

    /// <summary>Procedure by customer category (ordinary purpose), a convenience over stored assignments.</summary>
    public IDictionary<string, string> CategoryProcedures { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Customer categories excluded from recovery (M8).</summary>
    public ISet<string> ExcludedCategories { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Customers excluded from recovery (M8).</summary>
    public ISet<string> ExcludedCustomers { get; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Business calendar settings (patron saint, closures).</summary>
    public ItalianCalendarOptions Calendar { get; set; } = new();

    /// <summary>A calendar to use instead of the Italian one.</summary>
    public IBusinessCalendar? CustomCalendar { get; set; }

    /// <summary>The internal credit manager copied (Cc) on steps that ask for it (M2).</summary>
    public string? ManagerEmail { get; set; }

    /// <summary>Operator by agent code, for <see cref="AssigneeKind.Agent"/>.</summary>
    public IDictionary<string, OperatorId> AgentOperators { get; } = new Dictionary<string, OperatorId>(StringComparer.Ordinal);

    /// <summary>Operator by sales area, for <see cref="AssigneeKind.SalesArea"/>.</summary>
    public IDictionary<string, OperatorId> SalesAreaOperators { get; } = new Dictionary<string, OperatorId>(StringComparer.Ordinal);

    /// <summary>The operators round-robin assignment picks from, in order.</summary>
    public IList<OperatorId> OperatorPool { get; } = [];

    /// <summary>Default message language (BCP 47). Default <c>it</c>.</summary>
    public string DefaultLanguage { get; set; } = "it";

    /// <summary>Days after a promised date before the promise counts as broken (bank value dates). Default 2.</summary>
    public int PromiseGraceDays { get; set; } = 2;

    /// <summary>
    /// Late-payment interest settings (D.Lgs. 231/2002) for steps that claim it
    /// (<see cref="ProcedureStep.ClaimLatePaymentInterest"/>): statutory by default, per customer or case when set.
    /// </summary>
    public Interest.LatePaymentInterestPolicy LatePaymentInterest { get; set; } = new();
}

/// <summary>How the outbox dispatcher retries transient failures and when it gives up.</summary>
public sealed record DeliveryOptions
{
    /// <summary>Attempts before a message that keeps failing transiently is marked failed. Default 8.</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>The wait before the first retry; each later retry waits twice as long. Default 2 minutes.</summary>
    public NodaTime.Duration FirstRetryDelay { get; set; } = NodaTime.Duration.FromMinutes(2);

    /// <summary>The longest wait between two attempts. Default 4 hours.</summary>
    public NodaTime.Duration MaxRetryDelay { get; set; } = NodaTime.Duration.FromHours(4);

    /// <summary>How long a dispatcher holds a company's outbox before another worker may take it over. Default 10 minutes.</summary>
    public NodaTime.Duration LeaseDuration { get; set; } = NodaTime.Duration.FromMinutes(10);

    /// <summary>The retry delay after <paramref name="attempts"/> failed attempts: exponential, capped.</summary>
    /// <param name="attempts">Failed attempts so far (at least 1).</param>
    public NodaTime.Duration RetryDelay(int attempts)
    {
        var delay = FirstRetryDelay;
        for (var i = 1; i < attempts && delay < MaxRetryDelay; i++)
        {
            delay += delay;
        }

        return delay < MaxRetryDelay ? delay : MaxRetryDelay;
    }
}
