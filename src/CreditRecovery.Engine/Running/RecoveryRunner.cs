using System.Globalization;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Scheduling;
using CreditRecovery.Work;
using CreditRecovery.Workflow;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Running;

/// <summary>
/// The daily run (G5, X3, X5, X6): for a business date, in one pass over the cases that have something due, it moves
/// cases on time triggers, runs the procedure steps that fell due, queues one message per customer, step and channel
/// listing all its installments at that step, and creates operator tasks assigned by rule.
/// </summary>
/// <remarks>
/// <para>Idempotent: every step a case runs is recorded on the case, and the case, its history, its messages and tasks
/// commit together per customer, checked against the version read. Running the same date twice adds nothing; two
/// workers racing on a customer conflict and the loser re-reads.</para>
/// <para>Catch-up: step dates are computed from the case's anchors, not from the day of the run, so a run for date D
/// after missed days runs every step that fell due, in order, once each. Pre-due reminders whose due date has passed are
/// recorded as expired instead of being sent late.</para>
/// </remarks>
public sealed class RecoveryRunner
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;
    private readonly IRecoveryStore _store;
    private readonly IClock _clock;
    private readonly CompanyDirectory _companies;
    private readonly CreditRecoveryOptions _options;
    private readonly ILogger _logger;

    internal RecoveryRunner(IRecoveryStore store, IClock clock, CompanyDirectory companies, CreditRecoveryOptions options, ILogger logger)
    {
        _logger = logger;
        _store = store;
        _clock = clock;
        _companies = companies;
        _options = options;
    }

    /// <summary>Today's date in the company's time zone, from the injected clock.</summary>
    /// <param name="company">The company.</param>
    public LocalDate Today(CompanyId company) => _clock.GetCurrentInstant().InZone(_companies.Get(company).Zone).Date;

    /// <summary>Runs (or, with <see cref="RunOptions.DryRun"/>, plans) a business date for a company.</summary>
    /// <param name="company">The company.</param>
    /// <param name="businessDate">The business date.</param>
    /// <param name="options">Run options.</param>
    /// <param name="cancellationToken">Cancels the run between customers; what was committed stays.</param>
    public async ValueTask<RunReport> RunAsync(CompanyId company, LocalDate businessDate, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= RunOptions.Default;
        var context = _companies.Get(company);
        var workload = new Dictionary<OperatorId, int>();
        await foreach (var task in _store.ReadTasksAsync(company, new TaskFilter { Status = OperatorTaskStatus.Open }, cancellationToken).ConfigureAwait(false))
        {
            if (task.AssignedTo is { } op)
            {
                workload[op] = workload.GetValueOrDefault(op) + 1;
            }
        }

        var run = new DayRun(this, context, businessDate, options.DryRun, new TaskAssigner(context.Settings, workload));
        var filter = new CaseFilter { OpenOnly = true, NextActionOnOrBefore = businessDate };
        if (options.WorkerId is { } workerId && !options.DryRun)
        {
            await RunPartitionsAsync(run, company, businessDate, filter, workerId, options, cancellationToken).ConfigureAwait(false);
            return Complete(run, company, businessDate);
        }

        // Due cases arrive ordered by customer: each customer's cases form one unit of work. First a short read lists the
        // day's customers (keys only); then customers are worked a window at a time: the window's cases, master data and
        // assignments are read with one query each, and no read stays open across the commits (on SQLite a long read
        // keeps the write-ahead log from being checkpointed, and it grows by every commit of the run).
        foreach (var codes in (await DueCustomersAsync(company, filter, cancellationToken).ConfigureAwait(false)).Chunk(CustomerWindowSize))
        {
            await RunWindowAsync(run, company, filter, codes, null, cancellationToken).ConfigureAwait(false);
        }

        return Complete(run, company, businessDate);
    }

    /// <summary>How many customers a run works with one read of their cases, master data and assignments.</summary>
    internal const int CustomerWindowSize = 128;

    private async ValueTask<List<string>> DueCustomersAsync(CompanyId company, CaseFilter filter, CancellationToken cancellationToken)
    {
        var codes = new List<string>();
        await foreach (var r in _store.ReadCaseRefsAsync(company, filter, cancellationToken).ConfigureAwait(false))
        {
            if (codes.Count == 0 || !string.Equals(codes[^1], r.CustomerCode, StringComparison.Ordinal))
            {
                codes.Add(r.CustomerCode);
            }
        }

        return codes;
    }

    /// <summary>
    /// Runs a window of customers: reads their due cases now (so what another worker or an operator did meanwhile is
    /// seen), their master data and assignments, and processes them customer by customer.
    /// </summary>
    /// <returns><see langword="false"/> when <paramref name="beforeCustomer"/> said to stop.</returns>
    private async ValueTask<bool> RunWindowAsync(DayRun run, CompanyId company, CaseFilter filter, string[] codes, Func<ValueTask<bool>>? beforeCustomer, CancellationToken cancellationToken)
    {
        var window = new List<List<RecoveryCase>>(codes.Length);
        await foreach (var c in _store.ReadCasesAsync(company, filter with { CustomerCodes = codes }, cancellationToken).ConfigureAwait(false))
        {
            if (window.Count == 0 || !string.Equals(window[^1][0].CustomerCode, c.CustomerCode, StringComparison.Ordinal))
            {
                window.Add([]);
            }

            window[^1].Add(c);
        }

        await run.PrefetchAsync(codes, cancellationToken).ConfigureAwait(false);
        foreach (var cases in window)
        {
            if (beforeCustomer is not null && !await beforeCustomer().ConfigureAwait(false))
            {
                return false;
            }

            await run.ProcessCustomerAsync(cases, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>
    /// The partition of a customer among <paramref name="partitions"/>: FNV-1a (32 bits) over the UTF-8 bytes of its
    /// code, modulo the count. Stable across processes and releases, unlike <see cref="string.GetHashCode()"/>.
    /// </summary>
    /// <param name="customerCode">The customer code.</param>
    /// <param name="partitions">How many partitions; positive.</param>
    public static int PartitionOf(string customerCode, int partitions)
    {
        ArgumentNullException.ThrowIfNull(customerCode);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(partitions);
        var hash = 2166136261u;
        Span<byte> buffer = stackalloc byte[256];
        var bytes = System.Text.Encoding.UTF8.GetMaxByteCount(customerCode.Length) <= buffer.Length
            ? buffer[..System.Text.Encoding.UTF8.GetBytes(customerCode, buffer)]
            : System.Text.Encoding.UTF8.GetBytes(customerCode);
        foreach (var b in bytes)
        {
            hash = unchecked((hash ^ b) * 16777619u);
        }

        return (int)(hash % (uint)partitions);
    }

    /// <summary>The lease resource of a run's partition: <c>run/yyyy-MM-dd/partition</c>.</summary>
    /// <param name="businessDate">The business date.</param>
    /// <param name="partition">The partition.</param>
    public static string PartitionResource(LocalDate businessDate, int partition) =>
        string.Create(CultureInfo.InvariantCulture, $"run/{Iso.Format(businessDate)}/{partition}");

    private RunReport Complete(DayRun run, CompanyId company, LocalDate businessDate)
    {
        var report = run.Report();
        Log.RunCompleted(_logger, company, businessDate, report.DryRun ? " (dry run)" : "", report.CasesExamined, report.CasesChanged, report.Messages.Count, report.Tasks.Count, report.Holds.Count, report.Errors.Count);
        return report;
    }

    private async ValueTask RunPartitionsAsync(DayRun run, CompanyId company, LocalDate businessDate, CaseFilter filter, string workerId, RunOptions options, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.Partitions, nameof(options));
        if (options.LeaseDuration <= Duration.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.LeaseDuration, "The lease duration must be positive.");
        }

        // List the day's customers once (keys only), by partition, each partition's customers in order; a partition's
        // cases are read a window of customers at a time when it is leased.
        var partitions = new SortedDictionary<int, List<string>>();
        foreach (var code in await DueCustomersAsync(company, filter, cancellationToken).ConfigureAwait(false))
        {
            var partition = PartitionOf(code, options.Partitions);
            if (!partitions.TryGetValue(partition, out var customers))
            {
                customers = [];
                partitions[partition] = customers;
            }

            customers.Add(code);
        }

        // Renew a lease when half of it has passed, so a long partition is not taken over while it is worked on.
        var renewAfter = options.LeaseDuration / 2;
        foreach (var (partition, customers) in partitions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var resource = PartitionResource(businessDate, partition);
            var leasedAt = _clock.GetCurrentInstant();
            if (!await _store.TryAcquireLeaseAsync(company, resource, workerId, leasedAt, options.LeaseDuration, cancellationToken).ConfigureAwait(false))
            {
                Log.PartitionSkipped(_logger, company, businessDate, workerId, partition);
                run.PartitionsSkipped.Add(partition);
                continue;
            }

            run.PartitionsProcessed.Add(partition);
            async ValueTask<bool> KeepLease()
            {
                var now = _clock.GetCurrentInstant();
                if (now - leasedAt < renewAfter)
                {
                    return true;
                }

                // When our lease expired and another worker took the partition over, the rest is left to it.
                if (!await _store.TryAcquireLeaseAsync(company, resource, workerId, now, options.LeaseDuration, cancellationToken).ConfigureAwait(false))
                {
                    return false;
                }

                leasedAt = now;
                return true;
            }

            foreach (var codes in customers.Chunk(CustomerWindowSize))
            {
                if (!await RunWindowAsync(run, company, filter, codes, KeepLease, cancellationToken).ConfigureAwait(false))
                {
                    break;
                }
            }

            // A finished partition keeps its lease until it expires: workers starting later skip it.
        }
    }

    private sealed class DayRun(RecoveryRunner owner, CompanyContext context, LocalDate date, bool dryRun, TaskAssigner assigner)
    {
        private readonly RecoveryStateMachine _machine = new();
        private readonly List<OutboxMessage> _messages = [];
        private readonly List<OperatorTask> _tasks = [];
        private readonly List<CaseHold> _holds = [];
        private readonly List<RunError> _errors = [];
        private readonly Instant _now = owner._clock.GetCurrentInstant();
        private readonly HashSet<string> _prefetched = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Customer> _customers = new(StringComparer.Ordinal);
        private readonly Dictionary<string, CustomerAssignment> _assignments = new(StringComparer.Ordinal);
        private ProcedureResolver? _resolver;
        private int _examined;
        private int _changed;

        public List<int> PartitionsProcessed { get; } = [];

        public List<int> PartitionsSkipped { get; } = [];

        public RunReport Report() => new()
        {
            PartitionsProcessed = PartitionsProcessed,
            PartitionsSkipped = PartitionsSkipped,
            Company = context.Company,
            BusinessDate = date,
            DryRun = dryRun,
            Messages = _messages,
            Tasks = _tasks,
            Holds = _holds,
            CasesExamined = _examined,
            CasesChanged = _changed,
            Errors = _errors,
        };

        /// <summary>Reads the master data and assignments of a window of customers with one query each.</summary>
        public async ValueTask PrefetchAsync(IReadOnlyCollection<string> customerCodes, CancellationToken cancellationToken)
        {
            _prefetched.Clear();
            _customers.Clear();
            _assignments.Clear();
            await foreach (var customer in owner._store.ReadCustomersAsync(context.Company, customerCodes, cancellationToken).ConfigureAwait(false))
            {
                _customers[customer.Code] = customer;
            }

            await foreach (var assignment in owner._store.ReadAssignmentsAsync(context.Company, customerCodes, cancellationToken).ConfigureAwait(false))
            {
                _assignments[assignment.CustomerCode] = assignment;
            }

            _prefetched.UnionWith(customerCodes);
        }

        public async ValueTask ProcessCustomerAsync(List<RecoveryCase> cases, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var customerCode = cases[0].CustomerCode;
            for (var attempt = 0; ; attempt++)
            {
                var work = await PlanCustomerAsync(customerCode, cases, cancellationToken).ConfigureAwait(false);
                if (dryRun || work.Changes.IsEmpty)
                {
                    Publish(work);
                    return;
                }

                try
                {
                    await owner._store.CommitAsync(work.Changes, cancellationToken).ConfigureAwait(false);
                    Publish(work);
                    return;
                }
                catch (ConcurrencyConflictException) when (attempt < owner._options.ConflictRetries)
                {
                    Log.ConflictRetry(owner._logger, context.Company, customerCode, attempt + 1);

                    // Someone else (another worker, an operator) changed one of these cases: read them again and re-plan.
                    // Steps they already ran are on the case now and will not run twice.
                    var fresh = new List<RecoveryCase>();
                    var filter = new CaseFilter { Keys = cases.Select(c => c.Key).ToList(), OpenOnly = true };
                    await foreach (var c in owner._store.ReadCasesAsync(context.Company, filter, cancellationToken).ConfigureAwait(false))
                    {
                        fresh.Add(c);
                    }

                    cases = fresh;
                    if (cases.Count == 0)
                    {
                        return;
                    }
                }
                catch (ConcurrencyConflictException ex)
                {
                    Log.CustomerFailed(owner._logger, context.Company, customerCode, ex.Message);
                    _errors.Add(new RunError(customerCode, ex.Message));
                    return;
                }
            }
        }

        private async ValueTask<CustomerWork> PlanCustomerAsync(string customerCode, List<RecoveryCase> cases, CancellationToken cancellationToken)
        {
            _resolver ??= await ProcedureResolver.LoadAsync(context, owner._store, cancellationToken).ConfigureAwait(false);
            Customer? customer;
            CustomerAssignment? assignment = null;
            if (_prefetched.Remove(customerCode))
            {
                // Read with its window (PrefetchAsync); a retry after a conflict reads it again below.
                _customers.Remove(customerCode, out customer);
                _assignments.Remove(customerCode, out assignment);
            }
            else
            {
                customer = await owner._store.GetCustomerAsync(context.Company, customerCode, cancellationToken).ConfigureAwait(false);
                await foreach (var a in owner._store.ReadAssignmentsAsync(context.Company, [customerCode], cancellationToken).ConfigureAwait(false))
                {
                    assignment = a;
                }
            }

            var work = new CustomerWork(context, customerCode, customer, assignment, date, _now);
            foreach (var c in cases)
            {
                _examined++;
                var change = CaseChange.Edit(c, _machine, _now, date);
                ProcessCase(change, customer, work);
                var next = NextActionDate(change.Current, customer);
                if (change.Current.NextActionDate != next)
                {
                    change.Update(x => x with { NextActionDate = next });
                }

                work.Cases.Add(change);
            }

            work.Build(assigner);
            return work;
        }

        private void ProcessCase(CaseChange change, Customer? customer, CustomerWork work)
        {
            var system = OperatorId.System;
            var c = change.Current;

            // 1. Time triggers.
            if (c.Status is CaseStatus.NotDue or CaseStatus.Reminded && date > c.Installment.DueDate && !c.Installment.IsUnpaidReceipt)
            {
                change.Fire(RecoveryTrigger.DueDatePassed, system, $"due date {Iso.Format(c.Installment.DueDate)} passed; residual {c.Installment.OpenResidual}");
            }

            if (change.Current.Status == CaseStatus.Promised && change.Current.Arrangement is { } arrangement)
            {
                CheckArrangement(change, arrangement, work);
            }

            if (change.Current.Status == CaseStatus.Suspended && change.Current.SuspendedUntil is { } until && date > until)
            {
                change.Fire(RecoveryTrigger.ExtensionEnded, system, $"extension until {Iso.Format(until)} ended",
                    x => x with { SuspendedUntil = null, ResumedOn = date }, CaseChange.ResumeStatus(change.Current, date));
            }

            if (change.Current.Status is not (CaseStatus.NotDue or CaseStatus.Reminded or CaseStatus.Overdue or CaseStatus.InProcedure))
            {
                return;
            }

            // 2. Holds that stop every step.
            var procedure = context.Procedure(change.Current.ProcedureId);
            var hold = customer is null
                ? $"customer {c.CustomerCode} is not in the ledger's master data"
                : customer.Flags.HasFlag(CustomerFlags.DoNotDun)
                    ? $"customer {customer.Code} is flagged DO-NOT-DUN"
                    : context.ExclusionReason(customer, c.CustomerCode);
            if (hold is null && change.Current.Installment.OpenResidual.Amount <= procedure.Tolerance)
            {
                hold = string.Create(CultureInfo.InvariantCulture, $"residual {change.Current.Installment.OpenResidual} is within the procedure's tolerance ({procedure.Tolerance:0.00})");
            }

            // 3. Steps that fell due, in order, each once.
            while (true)
            {
                var current = change.Current;
                if (current.Status is not (CaseStatus.NotDue or CaseStatus.Reminded or CaseStatus.Overdue or CaseStatus.InProcedure))
                {
                    return;
                }

                var next = StepScheduler.NextStep(current, procedure, context.Calendar, customer);
                if (next is not { } due)
                {
                    return;
                }

                if (due.ScheduledOn > date)
                {
                    if (due.DeferredByExtension && due.NominalDate <= date)
                    {
                        work.Holds.Add(new CaseHold(current.Key, current.CustomerCode,
                            $"step '{due.Step.Name}' deferred: customer extension (proroga) until {Iso.Format(customer!.ExtensionUntil!.Value)}"));
                    }

                    return;
                }

                if (hold is not null)
                {
                    work.Holds.Add(new CaseHold(current.Key, current.CustomerCode, $"step '{due.Step.Name}' held: {hold}"));
                    return;
                }

                var step = due.Step;
                if (StepScheduler.IsExpired(due, current, date))
                {
                    RecordSkip(change, due, StepOutcome.Expired, $"step '{step.Name}' expired: due date {Iso.Format(current.Installment.DueDate)} already passed");
                    continue;
                }

                if (ConditionFailure(step.Conditions, current, customer!) is { } unmet)
                {
                    RecordSkip(change, due, StepOutcome.SkippedByCondition, $"step '{step.Name}' skipped: {unmet}");
                    continue;
                }

                var why = Why(procedure, due, current);
                if (step.IsCommunication && !step.RequiresConfirmation)
                {
                    if (customer!.Flags.HasFlag(CustomerFlags.Blocked))
                    {
                        work.Holds.Add(new CaseHold(current.Key, current.CustomerCode, $"step '{step.Name}' held: customer {customer.Code} is BLOCKED (automatic messages held)"));
                        return;
                    }

                    var channel = step.Action.ToChannel()!.Value;
                    if (Recipients.For(customer, channel) is null)
                    {
                        work.RequestMissingContact(current, channel, step);
                        work.Holds.Add(new CaseHold(current.Key, current.CustomerCode, $"step '{step.Name}' held: customer {customer.Code} has no {channel} address"));
                        return;
                    }

                    var messageId = work.QueueMessage(procedure, due, current, why);
                    change.Fire(RecoveryTrigger.StepExecuted, OperatorId.System, $"{why} → message {messageId}",
                        x => x with { Steps = [.. x.Steps, Execution(x, due, StepOutcome.MessageQueued, messageId)], ResumedOn = null });
                    continue;
                }

                if (step.Action is StepAction.Park or StepAction.HandOver && !step.RequiresConfirmation)
                {
                    MoveCase(change, step, due, why);
                    return;
                }

                // Work for an operator: a call, a visit, a confirmation.
                var taskId = work.RequestTask(procedure, due, current, why);
                change.Fire(RecoveryTrigger.StepAwaitsOperator, OperatorId.System, $"{why} → task {taskId}",
                    x => x with { PendingStepIndex = due.Index });
                return;
            }
        }

        private void MoveCase(CaseChange change, ProcedureStep step, DueStep due, string why)
        {
            if (step.Action == StepAction.Park)
            {
                change.Fire(RecoveryTrigger.Park, OperatorId.System, $"{why} → parked in {step.ParkingArea}",
                    x => x with { ParkedIn = step.ParkingArea, Steps = [.. x.Steps, Execution(x, due, StepOutcome.CaseMoved, step.ParkingArea.ToString())] });
            }
            else
            {
                change.Fire(RecoveryTrigger.HandOver, OperatorId.System, $"{why} → handed to {step.HandOverTo?.Name}",
                    x => x with { HandedOverTo = step.HandOverTo, Steps = [.. x.Steps, Execution(x, due, StepOutcome.CaseMoved, step.HandOverTo?.Name)] });
            }
        }

        private void CheckArrangement(CaseChange change, PaymentArrangement arrangement, CustomerWork work)
        {
            var residual = change.Current.Installment.OpenResidual;
            var grace = context.Settings.PromiseGraceDays;
            foreach (var payment in arrangement.Payments.OrderBy(p => p.Date))
            {
                var checkDate = payment.Date.PlusDays(grace + 1);
                if (checkDate > date)
                {
                    return; // Not yet time to check this one.
                }

                var allowedResidual = arrangement.ResidualWhenAgreed - arrangement.DueBy(payment.Date);
                if (residual > allowedResidual)
                {
                    var reason = $"{(arrangement.IsPlan ? "payment plan" : "promise to pay")} broken: {payment.Amount} was due by {Iso.Format(payment.Date)}, residual is {residual} (at most {allowedResidual} expected)";
                    change.Fire(RecoveryTrigger.PromiseBroken, OperatorId.System, reason,
                        x => x with { Arrangement = null, ResumedOn = date }, CaseChange.ResumeStatus(change.Current, date));
                    work.RequestBrokenPromise(change.Current, arrangement, reason);
                    return;
                }
            }

            // Every agreed payment was kept; what is left (if anything) goes back to the procedure.
            change.Fire(RecoveryTrigger.PromiseFulfilled, OperatorId.System, $"every agreed payment was kept; residual {residual} goes back to the procedure",
                x => x with { Arrangement = null, ResumedOn = date }, CaseChange.ResumeStatus(change.Current, date));
        }

        private void RecordSkip(CaseChange change, DueStep due, StepOutcome outcome, string reason) =>
            change.Record(outcome == StepOutcome.Expired ? "StepExpired" : "StepSkipped", OperatorId.System, reason,
                x => x with { Steps = [.. x.Steps, Execution(x, due, outcome, null, reason)] });

        private StepExecution Execution(RecoveryCase c, DueStep due, StepOutcome outcome, string? reference, string? note = null) =>
            new(c.Cycle, c.ProcedureId, due.Index, due.Step.Id, due.ScheduledOn, date, outcome, reference, note);

        private static string? ConditionFailure(StepConditions conditions, RecoveryCase c, Customer customer)
        {
            if (conditions.MinimumResidual is { } min && c.Installment.OpenResidual.Amount < min)
            {
                return string.Create(CultureInfo.InvariantCulture, $"residual {c.Installment.OpenResidual} is below the step's minimum {min:0.00}");
            }

            if (conditions.PaymentTypes is { Count: > 0 } types && !types.Contains(c.Installment.PaymentType))
            {
                return $"payment type {c.Installment.PaymentType} is not one of {string.Join(", ", types)}";
            }

            if (conditions.CustomerCategories is { Count: > 0 } categories && (customer.Category is null || !categories.Contains(customer.Category)))
            {
                return $"customer category '{customer.Category}' is not one of {string.Join(", ", categories)}";
            }

            return null;
        }

        private string Why(RecoveryProcedure procedure, DueStep due, RecoveryCase c)
        {
            var anchor = c.Installment.IsUnpaidReceipt && c.AnchorDate != c.Installment.DueDate
                ? $"unpaid receipt {Iso.Format(c.AnchorDate)}"
                : $"due {Iso.Format(c.Installment.DueDate)}";
            return $"step {due.Index + 1} '{due.Step.Name}' of procedure '{procedure.Name}' ({due.Step.Timing}): installment {c.Key} {anchor}, scheduled {Iso.Format(due.ScheduledOn)}, residual {c.Installment.OpenResidual} of {c.Installment.OriginalAmount}";
        }

        private LocalDate? NextActionDate(RecoveryCase c, Customer? customer)
        {
            switch (c.Status)
            {
                case CaseStatus.Promised when c.Arrangement is { } a:
                    var grace = context.Settings.PromiseGraceDays;
                    return a.Payments.Select(p => p.Date.PlusDays(grace + 1)).Where(d => d > date).DefaultIfEmpty(date.PlusDays(1)).Min();
                case CaseStatus.Suspended when c.SuspendedUntil is { } until:
                    return until.PlusDays(1);
                case CaseStatus.NotDue or CaseStatus.Reminded or CaseStatus.Overdue or CaseStatus.InProcedure:
                    var step = StepScheduler.NextStep(c, context.Procedure(c.ProcedureId), context.Calendar, customer)?.ScheduledOn;
                    if (c.Status is CaseStatus.NotDue or CaseStatus.Reminded && !c.Installment.IsUnpaidReceipt)
                    {
                        var overdue = c.Installment.DueDate.PlusDays(1);
                        return step is { } s && s < overdue ? s : overdue;
                    }

                    return step;
                default:
                    return null;
            }
        }

        public void Publish(CustomerWork work)
        {
            _messages.AddRange(work.Changes.Outbox);
            _tasks.AddRange(work.Changes.Tasks);
            _holds.AddRange(work.Holds);
            _changed += work.Changes.Cases.Count;
        }
    }

    /// <summary>One customer's unit of work in a run: its cases, and the messages and tasks they produce together.</summary>
    private sealed class CustomerWork(CompanyContext context, string customerCode, Customer? customer, CustomerAssignment? assignment, LocalDate date, Instant now)
    {
        private readonly Dictionary<(string ProcedureId, int StepIndex, DeliveryChannel Channel), (RecoveryProcedure Procedure, DueStep Step, List<(RecoveryCase Case, string Why)> Lines)> _buckets = [];
        private readonly Dictionary<string, (RecoveryProcedure? Procedure, DueStep? Step, OperatorTaskKind Kind, string Title, List<(RecoveryCase Case, string Why)> Lines, AssigneeRule Rule)> _taskRequests = new(StringComparer.Ordinal);

        public List<CaseChange> Cases { get; } = [];

        public List<CaseHold> Holds { get; } = [];

        public RecoveryChangeSet Changes { get; } = new(context.Company);

        public string QueueMessage(RecoveryProcedure procedure, DueStep due, RecoveryCase c, string why)
        {
            var channel = due.Step.Action.ToChannel()!.Value;
            var key = (procedure.Id, due.Index, channel);
            if (!_buckets.TryGetValue(key, out var bucket))
            {
                bucket = (procedure, due, []);
                _buckets[key] = bucket;
            }

            bucket.Lines.Add((c, why));
            return MessageId(procedure.Id, due.Step.Id, channel);
        }

        public string RequestTask(RecoveryProcedure procedure, DueStep due, RecoveryCase c, string why)
        {
            var kind = due.Step.Action switch
            {
                StepAction.PhoneCall => OperatorTaskKind.PhoneCall,
                StepAction.Visit => OperatorTaskKind.Visit,
                StepAction.CustomTask => OperatorTaskKind.Custom,
                StepAction.Park or StepAction.HandOver => OperatorTaskKind.ConfirmCaseMove,
                _ => OperatorTaskKind.ConfirmCommunication,
            };
            var id = Id("task", procedure.Id, due.Step.Id, Iso.Format(date));
            var title = kind == OperatorTaskKind.ConfirmCommunication ? $"Confirm '{due.Step.Name}'" : due.Step.Name;
            AddTaskLine(id, procedure, due, kind, title, due.Step.Assignee, c, why);
            return id;
        }

        public void RequestMissingContact(RecoveryCase c, DeliveryChannel channel, ProcedureStep step)
        {
            var id = Id("missing-contact", channel.ToString());
            AddTaskLine(id, null, null, OperatorTaskKind.MissingContact, $"Add the customer's {channel} address", AssigneeRule.CustomerResponsible, c,
                $"step '{step.Name}' needs the customer's {channel} address, which the master data lacks; the step waits until it is added");
        }

        public void RequestBrokenPromise(RecoveryCase c, PaymentArrangement arrangement, string why)
        {
            var id = Id("broken-promise", Iso.Format(date));
            AddTaskLine(id, null, null, OperatorTaskKind.BrokenPromise, arrangement.IsPlan ? "Payment plan not kept" : "Promise to pay not kept",
                AssigneeRule.Fixed(arrangement.AgreedBy), c, why);
        }

        public void Build(TaskAssigner assigner)
        {
            foreach (var change in Cases.Where(x => x.HasChanges))
            {
                var (write, events) = change.ToWrite();
                Changes.Cases.Add(write);
                Changes.History.AddRange(events);
            }

            foreach (var (procedure, due, lines) in _buckets.Values)
            {
                Changes.Outbox.Add(MessageFactory.Build(context, customer!, procedure, due.Step, lines, date, now));
            }

            foreach (var (id, request) in _taskRequests)
            {
                var (assignee, rule) = assigner.Assign(request.Rule, customer, assignment);
                var why = string.Join("\n", request.Lines.Select(l => "- " + l.Why).Prepend($"{request.Title} for customer {customerCode}; assigned by rule: {rule}"));
                Changes.Tasks.Add(new OperatorTask
                {
                    Id = id,
                    Company = context.Company,
                    CustomerCode = customerCode,
                    Kind = request.Kind,
                    Title = request.Title,
                    AssignedTo = assignee,
                    DueOn = date,
                    Installments = request.Lines.Select(l => l.Case.Key).ToList(),
                    ProcedureId = request.Procedure?.Id,
                    StepIndex = request.Step?.Index,
                    Cycle = request.Step is null ? null : request.Lines[0].Case.Cycle,
                    Why = why,
                    CreatedAt = now,
                });
            }
        }

        private void AddTaskLine(string id, RecoveryProcedure? procedure, DueStep? due, OperatorTaskKind kind, string title, AssigneeRule rule, RecoveryCase c, string why)
        {
            if (!_taskRequests.TryGetValue(id, out var request))
            {
                request = (procedure, due, kind, title, [], rule);
                _taskRequests[id] = request;
            }

            request.Lines.Add((c, why));
        }

        private string MessageId(string procedureId, string stepId, DeliveryChannel channel) =>
            MessageFactory.MessageId(context.Company, customerCode, procedureId, stepId, channel, date);

        private string Id(params string[] parts) => MessageFactory.Id(context.Company, customerCode, parts);
    }
}
