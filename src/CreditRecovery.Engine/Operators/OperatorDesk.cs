using System.Runtime.CompilerServices;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Running;
using CreditRecovery.Work;
using CreditRecovery.Workflow;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Operators;

/// <summary>
/// What operators and supervisors do (M7, G1, G9, H1, H3, H4, X4): worklists, case files, calls and agreements,
/// promises and payment plans, disputes, extensions, parking and hand-over, the agenda and its workload. Every query
/// and command takes the acting operator and refuses what that operator may not see or do (M10b).
/// </summary>
public sealed class OperatorDesk
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;
    private readonly IRecoveryStore _store;
    private readonly IClock _clock;
    private readonly CompanyDirectory _companies;

    internal OperatorDesk(IRecoveryStore store, IClock clock, CompanyDirectory companies)
    {
        _store = store;
        _clock = clock;
        _companies = companies;
    }

    // ---- Administration -------------------------------------------------------------------------------------------

    /// <summary>Adds or updates an operator. Administrators only (or <see cref="OperatorId.System"/> when setting up).</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="operator">The operator.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <exception cref="AccessDeniedException">The actor is not an administrator.</exception>
    public async ValueTask SaveOperatorAsync(OperatorId actor, CompanyId company, Operator @operator, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(@operator);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        scope.DemandRole(OperatorRole.Administrator, "manage operators");
        if (!@operator.Companies.Contains(company))
        {
            throw new ArgumentException($"Operator '{@operator.Id}' does not list company {company}.", nameof(@operator));
        }

        var changes = new RecoveryChangeSet(company);
        changes.Operators.Add(@operator);
        await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Assigns a customer to one or more responsible operators, main one first (H1, G1). Supervisors and administrators.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="customerCode">The customer.</param>
    /// <param name="responsibles">The responsible operators; empty to unassign.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public async ValueTask AssignCustomerAsync(OperatorId actor, CompanyId company, string customerCode, IReadOnlyList<OperatorId> responsibles, CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        scope.DemandRole(OperatorRole.Supervisor, "assign customers");
        scope.DemandCustomer(customerCode);
        var known = new HashSet<OperatorId>();
        await foreach (var op in _store.ReadOperatorsAsync(company, cancellationToken).ConfigureAwait(false))
        {
            if (op.Active)
            {
                known.Add(op.Id);
            }
        }

        if (responsibles.FirstOrDefault(r => !known.Contains(r)) is { Value: not null } unknown)
        {
            throw new ArgumentException($"'{unknown}' is not an active operator of company {company}.", nameof(responsibles));
        }

        var changes = new RecoveryChangeSet(company);
        changes.Assignments.Add(new CustomerAssignment(company, customerCode, responsibles.Distinct().ToList()));
        await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Assigns a procedure to an installment, a customer, a category or the company (G3). Administrators only. Open cases of an
    /// installment or customer assignment switch to the new procedure at once (from its first step not yet run); broader
    /// assignments apply to cases opened from now on.
    /// </summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="assignment">The assignment.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public async ValueTask AssignProcedureAsync(OperatorId actor, ProcedureAssignment assignment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(assignment);
        var company = assignment.Company;
        var context = _companies.Get(company);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        scope.DemandRole(OperatorRole.Administrator, "assign procedures");
        var procedure = context.Procedure(assignment.ProcedureId);
        var changes = new RecoveryChangeSet(company);
        changes.ProcedureAssignments.Add(assignment);

        CaseFilter? affected = assignment.Scope switch
        {
            ProcedureScope.Installment => new CaseFilter { Keys = [new InstallmentKey(assignment.ScopeKey)], OpenOnly = true },
            ProcedureScope.Customer => new CaseFilter { CustomerCodes = [assignment.ScopeKey], OpenOnly = true },
            _ => null,
        };
        if (affected is not null)
        {
            var (today, now) = Now(context);
            var machine = new RecoveryStateMachine();
            await foreach (var c in _store.ReadCasesAsync(company, affected, cancellationToken).ConfigureAwait(false))
            {
                var unpaidCycle = c.Installment.IsUnpaidReceipt && c.AnchorDate == c.Installment.UnpaidReceiptDate;
                if (c.ProcedureId == procedure.Id || unpaidCycle != (assignment.Purpose == ProcedurePurpose.UnpaidReceipt))
                {
                    continue;
                }

                var change = CaseChange.Edit(c, machine, now, today);
                change.Record("ProcedureChanged", actor, $"procedure '{c.ProcedureId}' → '{procedure.Id}' ({assignment.Scope} assignment)",
                    x => x with { ProcedureId = procedure.Id, NextActionDate = today });
                Add(changes, change);
            }
        }

        await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    // ---- Queries --------------------------------------------------------------------------------------------------

    /// <summary>The cases the actor may see, filtered.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="filter">The filter.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async IAsyncEnumerable<RecoveryCase> GetCasesAsync(OperatorId actor, CompanyId company, CaseFilter filter, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        await foreach (var c in _store.ReadCasesAsync(company, filter, cancellationToken).ConfigureAwait(false))
        {
            if (scope.CanSee(c.CustomerCode))
            {
                yield return c;
            }
        }
    }

    /// <summary>Everything about one case (G8).</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="key">The case.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    /// <exception cref="AccessDeniedException">The actor may not see the customer.</exception>
    /// <exception cref="KeyNotFoundException">No such case.</exception>
    public async ValueTask<CaseFile> GetCaseFileAsync(OperatorId actor, CompanyId company, InstallmentKey key, CancellationToken cancellationToken = default)
    {
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var c = await _store.GetCaseAsync(company, key, cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"No case {key} in company {company}.");
        scope.DemandCustomer(c.CustomerCode);
        var customerCases = await _store.ReadCasesAsync(company, new CaseFilter { CustomerCodes = [c.CustomerCode] }, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        var responsibles = new List<OperatorId>();
        await foreach (var a in _store.ReadAssignmentsAsync(company, [c.CustomerCode], cancellationToken).ConfigureAwait(false))
        {
            responsibles.AddRange(a.Responsibles);
        }

        return new CaseFile
        {
            Case = c,
            Customer = await _store.GetCustomerAsync(company, c.CustomerCode, cancellationToken).ConfigureAwait(false),
            CustomerCases = customerCases,
            Procedure = _companies.Get(company).Procedure(c.ProcedureId),
            History = await _store.ReadHistoryAsync(company, key, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false),
            Activities = await _store.ReadActivitiesAsync(company, c.CustomerCode, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false),
            OpenTasks = await _store.ReadTasksAsync(company, new TaskFilter { CustomerCodes = [c.CustomerCode], Status = OperatorTaskStatus.Open }, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false),
            Responsibles = responsibles,
        };
    }

    /// <summary>
    /// The actor's worklist (M7): open tasks assigned to them (a supervisor: to their team, plus unassigned ones) due up to
    /// <paramref name="until"/>, and the open cases of the customers they handle.
    /// </summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="until">Last due date of the tasks; default today.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<Worklist> GetWorklistAsync(OperatorId actor, CompanyId company, LocalDate? until = null, CancellationToken cancellationToken = default)
    {
        var context = _companies.Get(company);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var filter = new TaskFilter { Status = OperatorTaskStatus.Open, DueTo = until ?? Now(context).Today };
        var tasks = new List<OperatorTask>();
        await foreach (var t in _store.ReadTasksAsync(company, filter, cancellationToken).ConfigureAwait(false))
        {
            var mine = t.AssignedTo is { } to ? scope.Team.Contains(to) : scope.Role >= OperatorRole.Supervisor;
            if (mine || (scope.SeesAll && scope.Role == OperatorRole.Administrator && t.AssignedTo is null))
            {
                tasks.Add(t);
            }
        }

        var cases = await GetCasesAsync(actor, company, CaseFilter.Open, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        return new Worklist(actor, tasks, cases);
    }

    /// <summary>The agenda occurrences of the actor (a supervisor: their team) in a period (H3).</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="period">The dates.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<IReadOnlyList<AgendaOccurrence>> GetAgendaAsync(OperatorId actor, CompanyId company, DateInterval period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        IReadOnlyCollection<OperatorId>? owners = scope.SeesAll ? null : scope.Team;
        var result = new List<AgendaOccurrence>();
        await foreach (var entry in _store.ReadAgendaAsync(company, owners, period.End, cancellationToken).ConfigureAwait(false))
        {
            if (!entry.Cancelled)
            {
                result.AddRange(Occurrences(entry, period).Select(d => new AgendaOccurrence(entry, d)));
            }
        }

        return result.OrderBy(o => o.Date).ThenBy(o => o.Entry.Time ?? LocalTime.Midnight).ThenBy(o => o.Entry.Id, StringComparer.Ordinal).ToList();
    }

    /// <summary>The workload per operator and day (H4): open tasks due and agenda occurrences.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="period">The dates.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<IReadOnlyList<DailyWorkload>> GetWorkloadAsync(OperatorId actor, CompanyId company, DateInterval period, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(period);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var counts = new Dictionary<(OperatorId, LocalDate), (int Tasks, int Agenda)>();
        var filter = new TaskFilter { Status = OperatorTaskStatus.Open, DueFrom = period.Start, DueTo = period.End, AssignedTo = scope.SeesAll ? null : scope.Team };
        await foreach (var t in _store.ReadTasksAsync(company, filter, cancellationToken).ConfigureAwait(false))
        {
            if (t.AssignedTo is { } op)
            {
                var k = (op, t.DueOn);
                var v = counts.GetValueOrDefault(k);
                counts[k] = (v.Tasks + 1, v.Agenda);
            }
        }

        foreach (var occurrence in await GetAgendaAsync(actor, company, period, cancellationToken).ConfigureAwait(false))
        {
            var k = (occurrence.Entry.Owner, occurrence.Date);
            var v = counts.GetValueOrDefault(k);
            counts[k] = (v.Tasks, v.Agenda + 1);
        }

        return counts.Select(kv => new DailyWorkload(kv.Key.Item1, kv.Key.Item2, kv.Value.Tasks, kv.Value.Agenda))
            .OrderBy(w => w.Date).ThenBy(w => w.Operator.Value, StringComparer.Ordinal).ToList();
    }

    /// <summary>The dates on which an agenda entry occurs within a period, computed from its first date (no drift).</summary>
    /// <param name="entry">The entry.</param>
    /// <param name="period">The period.</param>
    public static IEnumerable<LocalDate> Occurrences(AgendaEntry entry, DateInterval period)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(period);
        if (entry.Recurrence is null || entry.Recurrence.Equals(Period.Zero))
        {
            if (period.Contains(entry.Date))
            {
                yield return entry.Date;
            }

            yield break;
        }

        var p = entry.Recurrence;
        for (var n = 0; n < 100_000; n++)
        {
            var date = entry.Date
                .PlusYears(p.Years * n)
                .PlusMonths(p.Months * n)
                .PlusWeeks(p.Weeks * n)
                .PlusDays(p.Days * n);
            if (date > period.End || (entry.RecurrenceEnd is { } end && date > end))
            {
                yield break;
            }

            if (date >= period.Start)
            {
                yield return date;
            }
        }
    }

    // ---- Commands -------------------------------------------------------------------------------------------------

    /// <summary>Adds or updates an agenda entry of the actor (a supervisor may plan for their team).</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public async ValueTask SaveAgendaEntryAsync(OperatorId actor, AgendaEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var scope = await ScopeAsync(entry.Company, actor, cancellationToken).ConfigureAwait(false);
        if (!scope.SeesAll && !scope.Team.Contains(entry.Owner))
        {
            throw new AccessDeniedException($"Operator '{actor}' may not plan work for '{entry.Owner}'.");
        }

        if (entry.CustomerCode is { } customer)
        {
            scope.DemandCustomer(customer);
        }

        var changes = new RecoveryChangeSet(entry.Company);
        changes.Agenda.Add(entry);
        await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a call, visit, note or agreement, optionally with a linked follow-up task (M4/M5, G9).</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="request">What to record.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public async ValueTask<Activity> RecordActivityAsync(OperatorId actor, CompanyId company, ActivityRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var context = _companies.Get(company);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        scope.DemandCustomer(request.CustomerCode);
        var (today, now) = Now(context);
        var id = MessageFactory.Id(company, request.CustomerCode, "activity", Guid.NewGuid().ToString("N"));
        var changes = new RecoveryChangeSet(company);
        string? followUpId = null;
        if (request.FollowUpOn is { } followUp)
        {
            followUpId = id + "/follow-up";
            changes.Tasks.Add(new OperatorTask
            {
                Id = followUpId,
                Company = company,
                CustomerCode = request.CustomerCode,
                Kind = OperatorTaskKind.FollowUp,
                Title = request.FollowUpTitle ?? $"Follow up: {request.Kind}",
                AssignedTo = actor,
                DueOn = followUp,
                Installments = request.Installments,
                Why = $"follow-up of a {request.Kind} recorded by {actor} on {Iso.Format(today)}: {request.Outcome}",
                CreatedAt = now,
            });
        }

        var activity = new Activity
        {
            Id = id,
            Company = company,
            CustomerCode = request.CustomerCode,
            Installments = request.Installments,
            Kind = request.Kind,
            At = now,
            By = actor,
            Outcome = request.Outcome,
            Notes = request.Notes,
            FollowUpTaskId = followUpId,
        };
        changes.Activities.Add(activity);
        await AddCaseEventsAsync(changes, context, request.Installments, request.CustomerCode, actor, $"Activity{request.Kind}",
            $"{request.Kind} recorded by {actor}: {request.Outcome}", cancellationToken).ConfigureAwait(false);
        await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
        return activity;
    }

    /// <summary>
    /// Sends one text, with attachments, to a selection of customers by e-mail (H5): one outbox message per customer,
    /// rendered with the <c>mass-email</c> template (or the one given) and sent by the dispatcher like any other, and an
    /// activity in each customer's history. The same request twice on the same day queues nothing new.
    /// </summary>
    /// <param name="actor">The acting operator; each customer must be in their scope.</param>
    /// <param name="company">The company.</param>
    /// <param name="request">The text, attachments and customers.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <returns>Per customer, the queued message or why none was queued (e.g. no e-mail address).</returns>
    public async ValueTask<IReadOnlyList<MassEmailResult>> SendMassEmailAsync(OperatorId actor, CompanyId company, MassEmailRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Subject);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.Text);
        if (request.CustomerCodes.Count == 0)
        {
            throw new ArgumentException("No customer selected.", nameof(request));
        }

        var context = _companies.Get(company);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        foreach (var code in request.CustomerCodes)
        {
            scope.DemandCustomer(code);
        }

        foreach (var file in request.AttachmentFiles.Where(f => !File.Exists(f)))
        {
            throw new FileNotFoundException($"Attachment '{file}' does not exist.", file);
        }

        var (today, now) = Now(context);
        var fingerprint = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
            System.Text.Encoding.UTF8.GetBytes(request.Subject + "\n" + request.Text + "\n" + string.Join("\n", request.AttachmentFiles))))[..16];
        var results = new List<MassEmailResult>();
        var changes = new RecoveryChangeSet(company);
        var customers = await _store.ReadCustomersAsync(company, request.CustomerCodes.ToList(), cancellationToken)
            .ToDictionaryAsync(c => c.Code, StringComparer.Ordinal, cancellationToken).ConfigureAwait(false);
        foreach (var code in request.CustomerCodes.Distinct(StringComparer.Ordinal))
        {
            if (!customers.TryGetValue(code, out var customer))
            {
                results.Add(new MassEmailResult(code, null, $"customer {code} is not in the store"));
                continue;
            }

            if (Recipients.For(customer, DeliveryChannel.Email) is not { } recipient)
            {
                results.Add(new MassEmailResult(code, null, $"customer {code} has no e-mail address"));
                continue;
            }

            var lines = request.IncludeOpenInstallments
                ? await _store.ReadCasesAsync(company, new CaseFilter { CustomerCodes = [code], OpenOnly = true }, cancellationToken)
                    .Where(c => c.IsOpen && !c.Installment.IsSettled)
                    .Select(c => MessageFactory.Line(c, today))
                    .ToListAsync(cancellationToken).ConfigureAwait(false)
                : [];
            var id = MessageFactory.Id(company, code, "mass", Iso.Format(today), fingerprint);
            changes.Outbox.Add(new OutboxMessage
            {
                Id = id,
                Company = company,
                CustomerCode = code,
                Channel = DeliveryChannel.Email,
                TemplateId = request.TemplateId,
                ProcedureId = "mass-email",
                StepId = fingerprint,
                StepName = request.Subject,
                BusinessDate = today,
                CreatedAt = now,
                Recipient = recipient,
                Lines = lines,
                Why = $"mass e-mail '{request.Subject}' sent by {actor} on {Iso.Format(today)}",
                OperatorSubject = request.Subject,
                OperatorText = request.Text,
                AttachmentFiles = request.AttachmentFiles,
            });
            changes.Activities.Add(new Activity
            {
                Id = id + "/activity",
                Company = company,
                CustomerCode = code,
                Installments = lines.Select(l => l.Key).ToList(),
                Kind = ActivityKind.MessageSent,
                At = now,
                By = actor,
                Outcome = $"mass e-mail '{request.Subject}' to {recipient}",
                Notes = request.Text,
            });
            results.Add(new MassEmailResult(code, id, null));
        }

        // Queue only what is new: a repeated request finds its messages already there.
        var existing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var message in changes.Outbox)
        {
            if (await _store.GetOutboxMessageAsync(company, message.Id, cancellationToken).ConfigureAwait(false) is not null)
            {
                existing.Add(message.Id);
            }
        }

        changes.Outbox.RemoveAll(m => existing.Contains(m.Id));
        changes.Activities.RemoveAll(a => existing.Contains(a.Id[..^"/activity".Length]));
        if (!changes.IsEmpty)
        {
            await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
        }

        return results;
    }

    /// <summary>
    /// Completes a task. A task that carries a procedure step completes the step for its cases: a confirmed
    /// communication is queued, a call or visit is recorded as done, a confirmed parking or hand-over moves the cases.
    /// </summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="taskId">The task.</param>
    /// <param name="outcome">The outcome, e.g. the call's result.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    /// <exception cref="KeyNotFoundException">No such task.</exception>
    /// <exception cref="InvalidCaseOperationException">The task is not open.</exception>
    public async ValueTask CompleteTaskAsync(OperatorId actor, CompanyId company, string taskId, string outcome, CancellationToken cancellationToken = default)
    {
        var context = _companies.Get(company);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        var task = await _store.GetTaskAsync(company, taskId, cancellationToken).ConfigureAwait(false) ?? throw new KeyNotFoundException($"No task {taskId} in company {company}.");
        if (!scope.CanSee(task))
        {
            throw new AccessDeniedException($"Operator '{actor}' may not complete task {taskId}.");
        }

        if (task.Status != OperatorTaskStatus.Open)
        {
            throw new InvalidCaseOperationException($"Task {taskId} is {task.Status}, not open.");
        }

        var (today, now) = Now(context);
        var changes = new RecoveryChangeSet(company);
        changes.Tasks.Add(task with { Status = OperatorTaskStatus.Done, Outcome = outcome, CompletedBy = actor, CompletedAt = now });

        if (task is { ProcedureId: { } procedureId, StepIndex: { } stepIndex })
        {
            var procedure = context.Procedure(procedureId);
            var step = procedure.Steps[stepIndex];
            var machine = new RecoveryStateMachine();
            var confirmed = new List<(RecoveryCase Case, string Why)>();
            var pending = new List<CaseChange>();
            await foreach (var c in _store.ReadCasesAsync(company, new CaseFilter { Keys = task.Installments, OpenOnly = true }, cancellationToken).ConfigureAwait(false))
            {
                if (c.PendingStepIndex != stepIndex || c.ProcedureId != procedureId || c.Cycle != task.Cycle)
                {
                    continue; // The case moved on meanwhile (paid, parked...): nothing to complete.
                }

                var change = CaseChange.Edit(c, machine, now, today);
                pending.Add(change);
                var why = $"step {stepIndex + 1} '{step.Name}' completed by {actor}: {outcome}";
                var execution = new StepExecution(c.Cycle, procedureId, stepIndex, step.Id, today, today, StepOutcome.CompletedByOperator, taskId, outcome);
                if (step.Action is StepAction.Park or StepAction.HandOver)
                {
                    execution = execution with { Outcome = StepOutcome.CaseMoved };
                    change.Fire(step.Action == StepAction.Park ? RecoveryTrigger.Park : RecoveryTrigger.HandOver, actor, why,
                        x => x with { PendingStepIndex = null, ParkedIn = step.ParkingArea ?? x.ParkedIn, HandedOverTo = step.HandOverTo ?? x.HandedOverTo, Steps = [.. x.Steps, execution] });
                    continue;
                }

                if (step.IsCommunication)
                {
                    execution = execution with { Outcome = StepOutcome.MessageQueued, Reference = MessageFactory.MessageId(company, c.CustomerCode, procedureId, step.Id, step.Action.ToChannel()!.Value, today) };
                    confirmed.Add((c, why));
                }

                Complete(change, execution, why, actor, today);
            }

            if (confirmed.Count > 0)
            {
                var customer = await _store.GetCustomerAsync(company, task.CustomerCode, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidCaseOperationException($"Customer {task.CustomerCode} is not in the master data: the message cannot be addressed.");
                if (Recipients.For(customer, step.Action.ToChannel()!.Value) is null)
                {
                    throw new InvalidCaseOperationException($"Customer {customer.Code} has no {step.Action.ToChannel()} address: add it before confirming '{step.Name}'.");
                }

                changes.Outbox.Add(MessageFactory.Build(context, customer, procedure, step, confirmed, today, now));
            }

            foreach (var change in pending)
            {
                Reexamine(change, today);
                Add(changes, change);
            }
        }

        await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records a promise to pay (X4) on some installments by a date; the procedure pauses and, if the ledger does not show
    /// the payment by then (plus the company's grace days), the case escalates. With an amount, it is allocated to the
    /// installments oldest due date first; without, each installment's whole residual is promised.
    /// </summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="keys">The installments.</param>
    /// <param name="date">The promised date.</param>
    /// <param name="amount">The promised amount, or <see langword="null"/> for the whole residuals.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public async ValueTask RecordPromiseAsync(OperatorId actor, CompanyId company, IReadOnlyList<InstallmentKey> keys, LocalDate date, Money? amount = null, CancellationToken cancellationToken = default)
    {
        if (amount is { Amount: <= 0 })
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A promised amount must be positive.");
        }

        var remaining = amount;
        await ChangeCasesAsync(actor, company, keys, OperatorRole.Operator, (change, today) =>
        {
            if (date < today)
            {
                throw new ArgumentOutOfRangeException(nameof(date), date, "A promise cannot be dated in the past.");
            }

            var residual = change.Current.Installment.OpenResidual;
            var promised = residual;
            if (remaining is { } left)
            {
                promised = left < residual ? left : residual;
                remaining = left - promised;
            }

            if (promised.Amount <= 0)
            {
                return; // The promised amount is used up by older installments.
            }

            var arrangement = new PaymentArrangement([new AgreedPayment(date, promised)], residual, actor, today);
            change.Fire(RecoveryTrigger.PromiseRecorded, actor, $"promise to pay {promised} by {Iso.Format(date)} recorded by {actor}",
                x => x with { Arrangement = arrangement, PendingStepIndex = x.Status == CaseStatus.AwaitingOperator ? x.PendingStepIndex : null });
        }, orderByDueDate: true, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Records a payment plan (*piano di rientro*, X4) that splits an installment's residual into agreed payments, each chased like a promise.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="key">The installment.</param>
    /// <param name="payments">The agreed payments; they must add up to the residual, with increasing dates.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public ValueTask RecordPaymentPlanAsync(OperatorId actor, CompanyId company, InstallmentKey key, IReadOnlyList<AgreedPayment> payments, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payments);
        if (payments.Count == 0)
        {
            throw new ArgumentException("A payment plan needs at least one payment.", nameof(payments));
        }

        return ChangeCasesAsync(actor, company, [key], OperatorRole.Operator, (change, today) =>
        {
            var residual = change.Current.Installment.OpenResidual;
            var total = payments.Aggregate(Money.Zero(residual.Currency), (sum, p) => sum + p.Amount);
            if (total != residual)
            {
                throw new ArgumentException($"The plan's payments add up to {total}, not to the residual {residual}.", nameof(payments));
            }

            for (var i = 0; i < payments.Count; i++)
            {
                if (payments[i].Amount.Amount <= 0 || payments[i].Date < today || (i > 0 && payments[i].Date <= payments[i - 1].Date))
                {
                    throw new ArgumentException($"Payment {i + 1} of the plan must be positive, not in the past, and later than the one before.", nameof(payments));
                }
            }

            var arrangement = new PaymentArrangement(payments, residual, actor, today);
            change.Fire(RecoveryTrigger.PromiseRecorded, actor,
                $"payment plan of {payments.Count} payments recorded by {actor}: {string.Join(", ", payments.Select(p => $"{p.Amount} by {Iso.Format(p.Date)}"))}",
                x => x with { Arrangement = arrangement });
        }, orderByDueDate: false, cancellationToken);
    }

    /// <summary>Marks installments as disputed (*contestazione*): the procedure pauses until the dispute is resolved (X4).</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="keys">The installments.</param>
    /// <param name="reason">The customer's reason.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public ValueTask OpenDisputeAsync(OperatorId actor, CompanyId company, IReadOnlyList<InstallmentKey> keys, string reason, CancellationToken cancellationToken = default) =>
        ChangeCasesAsync(actor, company, keys, OperatorRole.Operator, (change, _) =>
            change.Fire(RecoveryTrigger.DisputeOpened, actor, $"dispute opened by {actor}: {reason}", x => x with { DisputeReason = reason, Arrangement = null }),
            false, cancellationToken);

    /// <summary>Resolves a dispute; recovery goes on from where it was, steps that fell due meanwhile run today.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="keys">The installments.</param>
    /// <param name="resolution">How it was resolved.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public ValueTask ResolveDisputeAsync(OperatorId actor, CompanyId company, IReadOnlyList<InstallmentKey> keys, string resolution, CancellationToken cancellationToken = default) =>
        ChangeCasesAsync(actor, company, keys, OperatorRole.Operator, (change, today) =>
            change.Fire(RecoveryTrigger.DisputeResolved, actor, $"dispute resolved by {actor}: {resolution}",
                x => x with { DisputeReason = null, ResumedOn = today, NextActionDate = today }, CaseChange.ResumeStatus(change.Current, today)),
            false, cancellationToken);

    /// <summary>Grants an extension (*proroga*) on installments until a date (inclusive): no step runs until then.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="keys">The installments.</param>
    /// <param name="until">The last day of the extension.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public ValueTask GrantExtensionAsync(OperatorId actor, CompanyId company, IReadOnlyList<InstallmentKey> keys, LocalDate until, string reason, CancellationToken cancellationToken = default) =>
        ChangeCasesAsync(actor, company, keys, OperatorRole.Operator, (change, today) =>
        {
            if (until < today)
            {
                throw new ArgumentOutOfRangeException(nameof(until), until, "An extension cannot end in the past.");
            }

            change.Fire(RecoveryTrigger.ExtensionGranted, actor, $"extension until {Iso.Format(until)} granted by {actor}: {reason}",
                x => x with { SuspendedUntil = until, NextActionDate = until.PlusDays(1), Arrangement = null, PendingStepIndex = null });
        }, false, cancellationToken);

    /// <summary>Parks installments in an area (G10): legal, unrecoverable, not scheduled, cash on delivery.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="keys">The installments.</param>
    /// <param name="area">The area.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public ValueTask ParkAsync(OperatorId actor, CompanyId company, IReadOnlyList<InstallmentKey> keys, ParkingArea area, string reason, CancellationToken cancellationToken = default) =>
        ChangeCasesAsync(actor, company, keys, OperatorRole.Operator, (change, _) =>
            change.Fire(RecoveryTrigger.Park, actor, $"parked in {area} by {actor}: {reason}",
                x => x with { ParkedIn = area, NextActionDate = null, PendingStepIndex = null, Arrangement = null }),
            false, cancellationToken);

    /// <summary>Hands installments to a lawyer or collection agency (H8).</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="keys">The installments.</param>
    /// <param name="target">The lawyer or agency.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public ValueTask HandOverAsync(OperatorId actor, CompanyId company, IReadOnlyList<InstallmentKey> keys, HandOverTarget target, string reason, CancellationToken cancellationToken = default) =>
        ChangeCasesAsync(actor, company, keys, OperatorRole.Operator, (change, _) =>
            change.Fire(RecoveryTrigger.HandOver, actor, $"handed to {target.Kind} {target.Name} by {actor}: {reason}",
                x => x with { HandedOverTo = target, NextActionDate = null, PendingStepIndex = null, Arrangement = null }),
            false, cancellationToken);

    /// <summary>Brings parked or handed-over installments back into their procedure.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="keys">The installments.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public ValueTask ResumeAsync(OperatorId actor, CompanyId company, IReadOnlyList<InstallmentKey> keys, string reason, CancellationToken cancellationToken = default) =>
        ChangeCasesAsync(actor, company, keys, OperatorRole.Operator, (change, today) =>
            change.Fire(RecoveryTrigger.Resume, actor, $"back into the procedure by {actor}: {reason}",
                x => x with { ParkedIn = null, HandedOverTo = null, ResumedOn = today, NextActionDate = today }, CaseChange.ResumeStatus(change.Current, today)),
            false, cancellationToken);

    /// <summary>Writes installments off (*stralcio*). Supervisors and administrators.</summary>
    /// <param name="actor">The acting operator.</param>
    /// <param name="company">The company.</param>
    /// <param name="keys">The installments.</param>
    /// <param name="reason">Why.</param>
    /// <param name="cancellationToken">Cancels the command.</param>
    public ValueTask WriteOffAsync(OperatorId actor, CompanyId company, IReadOnlyList<InstallmentKey> keys, string reason, CancellationToken cancellationToken = default) =>
        ChangeCasesAsync(actor, company, keys, OperatorRole.Supervisor, (change, today) =>
            change.Fire(RecoveryTrigger.WriteOff, actor, $"written off by {actor}: {reason}",
                x => x with { ClosedBecause = ClosureReason.WrittenOff, ClosedOn = today, NextActionDate = null, PendingStepIndex = null, Arrangement = null }),
            false, cancellationToken);

    // ---- Helpers --------------------------------------------------------------------------------------------------

    private static void Complete(CaseChange change, StepExecution execution, string why, OperatorId actor, LocalDate today)
    {
        if (change.Current.Status == CaseStatus.AwaitingOperator)
        {
            change.Fire(RecoveryTrigger.OperatorCompletedStep, actor, why,
                x => x with { PendingStepIndex = null, Steps = [.. x.Steps, execution], NextActionDate = today },
                CaseChange.ResumeStatus(change.Current with { Steps = [.. change.Current.Steps, execution] }, today));
        }
        else
        {
            // The case moved meanwhile (e.g. a promise recorded during the call): the step is done, the status stays.
            change.Record("StepCompleted", actor, why, x => x with { PendingStepIndex = null, Steps = [.. x.Steps, execution] });
        }
    }

    private async ValueTask ChangeCasesAsync(
        OperatorId actor,
        CompanyId company,
        IReadOnlyList<InstallmentKey> keys,
        OperatorRole minimumRole,
        Action<CaseChange, LocalDate> apply,
        bool orderByDueDate,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.Count == 0)
        {
            throw new ArgumentException("No installment given.", nameof(keys));
        }

        var context = _companies.Get(company);
        var scope = await ScopeAsync(company, actor, cancellationToken).ConfigureAwait(false);
        scope.DemandRole(minimumRole, "do this");
        var cases = await _store.ReadCasesAsync(company, new CaseFilter { Keys = keys }, cancellationToken).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var missing in keys.Where(k => cases.All(c => c.Key != k)))
        {
            throw new KeyNotFoundException($"No case {missing} in company {company}.");
        }

        var (today, now) = Now(context);
        var machine = new RecoveryStateMachine();
        var changes = new RecoveryChangeSet(company);
        foreach (var c in orderByDueDate ? cases.OrderBy(c => c.Installment.DueDate).ThenBy(c => c.Key.Value, StringComparer.Ordinal) : cases.AsEnumerable())
        {
            scope.DemandCustomer(c.CustomerCode);
            var change = CaseChange.Edit(c, machine, now, today);
            apply(change, today);
            Reexamine(change, today);
            Add(changes, change);
        }

        await _store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask AddCaseEventsAsync(RecoveryChangeSet changes, CompanyContext context, IReadOnlyList<InstallmentKey> keys, string customerCode, OperatorId actor, string kind, string reason, CancellationToken cancellationToken)
    {
        if (keys.Count == 0)
        {
            return;
        }

        var (today, now) = Now(context);
        var machine = new RecoveryStateMachine();
        await foreach (var c in _store.ReadCasesAsync(context.Company, new CaseFilter { Keys = keys }, cancellationToken).ConfigureAwait(false))
        {
            if (c.CustomerCode != customerCode)
            {
                throw new ArgumentException($"Installment {c.Key} belongs to customer {c.CustomerCode}, not {customerCode}.", nameof(keys));
            }

            var change = CaseChange.Edit(c, machine, now, today);
            change.Record(kind, actor, reason);
            Add(changes, change);
        }
    }

    /// <summary>After an operator's change the next daily run looks at the case again and schedules what follows.</summary>
    private static void Reexamine(CaseChange change, LocalDate today)
    {
        if (change.HasChanges && change.Current.IsOpen && change.Current.Status is not (CaseStatus.Parked or CaseStatus.HandedOver or CaseStatus.Disputed))
        {
            change.Update(x => x with { NextActionDate = today });
        }
    }

    private static void Add(RecoveryChangeSet changes, CaseChange change)
    {
        if (change.HasChanges)
        {
            var (write, events) = change.ToWrite();
            changes.Cases.Add(write);
            changes.History.AddRange(events);
        }
    }

    private ValueTask<AccessScope> ScopeAsync(CompanyId company, OperatorId actor, CancellationToken cancellationToken)
    {
        _companies.Get(company);
        return AccessScope.LoadAsync(_store, company, actor, cancellationToken);
    }

    private (LocalDate Today, Instant Now) Now(CompanyContext context)
    {
        var now = _clock.GetCurrentInstant();
        return (now.InZone(context.Zone).Date, now);
    }
}
