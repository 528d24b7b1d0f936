using System.Globalization;
using CreditRecovery.Cases;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Workflow;
using Microsoft.Extensions.Logging;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Ledger;

/// <summary>
/// Keeps cases in step with the ERP ledger (M1, M6): a new open installment opens a case; a zero residual closes it as
/// paid; a partial payment lowers the residual and the procedure goes on; an unpaid bank receipt (re)opens it on the
/// unpaid-receipt procedure; an installment that vanished from the ledger closes with that reason, never silently.
/// A record that fails validation is quarantined with its key, field and reason, and the rest goes on.
/// </summary>
public sealed class LedgerReconciler
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;
    private readonly ILedgerSource _source;
    private readonly IRecoveryStore _store;
    private readonly IClock _clock;
    private readonly CompanyDirectory _companies;
    private readonly CreditRecoveryOptions _options;
    private readonly ILogger _logger;

    internal LedgerReconciler(ILedgerSource source, IRecoveryStore store, IClock clock, CompanyDirectory companies, CreditRecoveryOptions options, ILogger logger)
    {
        _logger = logger;
        _source = source;
        _store = store;
        _clock = clock;
        _companies = companies;
        _options = options;
    }

    /// <summary>
    /// Aligns one company with the ledger. With <see cref="LedgerReadMode.Auto"/> a source that supports change feeds is
    /// read from the stored cursor, otherwise a full snapshot is read.
    /// </summary>
    /// <param name="company">The company.</param>
    /// <param name="mode">Snapshot, changes, or automatic.</param>
    /// <param name="businessDate">The business date to record; default: today in the company's zone.</param>
    /// <param name="cancellationToken">Cancels the alignment; what was committed stays.</param>
    public async ValueTask<LedgerSyncReport> SynchronizeAsync(
        CompanyId company,
        LedgerReadMode mode = LedgerReadMode.Auto,
        LocalDate? businessDate = null,
        CancellationToken cancellationToken = default)
    {
        var context = _companies.Get(company);
        var date = businessDate ?? _clock.GetCurrentInstant().InZone(context.Zone).Date;
        var useSnapshot = mode == LedgerReadMode.Snapshot || (mode == LedgerReadMode.Auto && !_source.SupportsChanges);
        if (!useSnapshot && !_source.SupportsChanges)
        {
            throw new InvalidOperationException($"Ledger source '{_source.Name}' does not support change feeds; use a snapshot.");
        }

        var run = new SyncRun(this, context, date, await ProcedureResolver.LoadAsync(context, _store, cancellationToken).ConfigureAwait(false));
        var feed = useSnapshot
            ? _source.ReadSnapshotAsync(company, cancellationToken)
            : _source.ReadChangesAsync(company, await _store.GetCursorAsync(company, _source.Name, cancellationToken).ConfigureAwait(false), cancellationToken);

        var seen = useSnapshot ? new HashSet<InstallmentKey>() : null;
        var removed = new List<InstallmentKey>();
        string? cursor = null;

        await foreach (var record in feed.ConfigureAwait(false))
        {
            switch (record)
            {
                case CustomerRecord { Customer: var customer }:
                    run.AddCustomer(customer);
                    break;
                case InstallmentRecord { Installment: var installment }:
                    if (run.AddInstallment(installment) && seen is not null)
                    {
                        seen.Add(installment.Key);
                    }

                    break;
                case InstallmentRemovedRecord { Key: var key }:
                    removed.Add(key);
                    break;
                case RejectedRecord { Error: var error } rejected:
                    run.Quarantine(error);
                    if (seen is not null && rejected.Installments is { } keys)
                    {
                        seen.UnionWith(keys); // Still in the ERP, only unreadable: never "removed from ledger".
                    }

                    break;
                case LedgerCheckpoint { Cursor: var c }:
                    cursor = c;
                    break;
            }

            if (run.ShouldFlush)
            {
                await run.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        await run.FlushAsync(cancellationToken).ConfigureAwait(false);

        // Only a feed read to its end can tell what vanished: an interrupted read throws before this point.
        if (seen is not null)
        {
            // Keys only: the cases themselves are not needed to tell which ones vanished.
            await foreach (var open in _store.ReadCaseRefsAsync(company, CaseFilter.Open, cancellationToken).ConfigureAwait(false))
            {
                if (!seen.Contains(open.Key))
                {
                    removed.Add(open.Key);
                }
            }
        }

        await run.CloseRemovedAsync(removed, cursor is null ? null : new SyncCursor(company, _source.Name, cursor), cancellationToken).ConfigureAwait(false);
        var report = run.Report();
        Log.LedgerAligned(_logger, company, date, report.InstallmentsRead, report.CasesOpened, report.CasesPaid, report.PartialPayments, report.CasesReopened, report.UnpaidReceipts, report.CasesRemoved, report.Rejected.Count);
        return report;
    }

    /// <summary>The state of one alignment run.</summary>
    private sealed class SyncRun(LedgerReconciler owner, CompanyContext context, LocalDate date, ProcedureResolver resolver)
    {
        private readonly RecoveryStateMachine _machine = new();
        private readonly Dictionary<string, Customer> _pendingCustomers = new(StringComparer.Ordinal);
        private readonly Dictionary<InstallmentKey, Installment> _pendingInstallments = [];
        private readonly List<QuarantinedRecord> _quarantine = [];
        private readonly List<LedgerRecordError> _errors = [];
        private readonly Instant _now = owner._clock.GetCurrentInstant();
        private int _customers;
        private int _installments;
        private int _opened;
        private int _paid;
        private int _partial;
        private int _reopened;
        private int _unpaid;
        private int _removed;

        public bool ShouldFlush => _pendingInstallments.Count >= owner._options.LedgerBatchSize || _pendingCustomers.Count >= owner._options.LedgerBatchSize;

        public void AddCustomer(Customer customer)
        {
            if (LedgerValidation.Validate(customer, context.Company) is { } error)
            {
                Quarantine(error);
                return;
            }

            _customers++;
            _pendingCustomers[customer.Code] = customer;
        }

        public bool AddInstallment(Installment installment)
        {
            if (LedgerValidation.Validate(installment, context.Company) is { } error)
            {
                Quarantine(error);

                // A rejected record still exists in the ledger: it must not count as vanished.
                return !string.IsNullOrWhiteSpace(installment.Key.Value);
            }

            _installments++;
            _pendingInstallments[installment.Key] = installment;
            return true;
        }

        public void Quarantine(LedgerRecordError error)
        {
            Log.RecordRejected(owner._logger, context.Company, error.RecordKey, error.Field, error.Reason);
            _errors.Add(error);
            _quarantine.Add(new QuarantinedRecord(context.Company, owner._source.Name, error, _now));
        }

        public async ValueTask FlushAsync(CancellationToken cancellationToken)
        {
            if (_pendingCustomers.Count == 0 && _pendingInstallments.Count == 0 && _quarantine.Count == 0)
            {
                return;
            }

            for (var attempt = 0; ; attempt++)
            {
                var changes = new RecoveryChangeSet(context.Company);
                var (customers, stored) = await LoadCustomersAsync(cancellationToken).ConfigureAwait(false);

                // Master data the store already holds as it is is not written again: on an ordinary day almost none changed.
                changes.Customers.AddRange(_pendingCustomers.Values.Where(c => !stored.TryGetValue(c.Code, out var known) || known != c));
                changes.Quarantine.AddRange(_quarantine);
                var counters = (Opened: 0, Paid: 0, Partial: 0, Reopened: 0, Unpaid: 0);

                if (_pendingInstallments.Count > 0)
                {
                    var existing = new Dictionary<InstallmentKey, RecoveryCase>();
                    var filter = new CaseFilter { Keys = _pendingInstallments.Keys.ToList() };
                    await foreach (var c in owner._store.ReadCasesAsync(context.Company, filter, cancellationToken).ConfigureAwait(false))
                    {
                        existing[c.Key] = c;
                    }

                    foreach (var installment in _pendingInstallments.Values)
                    {
                        customers.TryGetValue(installment.CustomerCode, out var customer);
                        var change = Apply(existing.GetValueOrDefault(installment.Key), installment, customer, ref counters);
                        if (change is { HasChanges: true })
                        {
                            var (write, events) = change.ToWrite();
                            changes.Cases.Add(write);
                            changes.History.AddRange(events);
                        }
                    }
                }

                try
                {
                    await owner._store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
                }
                catch (ConcurrencyConflictException) when (attempt < owner._options.ConflictRetries)
                {
                    continue; // Another writer moved a case: read again and re-apply.
                }

                _opened += counters.Opened;
                _paid += counters.Paid;
                _partial += counters.Partial;
                _reopened += counters.Reopened;
                _unpaid += counters.Unpaid;
                _pendingCustomers.Clear();
                _pendingInstallments.Clear();
                _quarantine.Clear();
                return;
            }
        }

        public async ValueTask CloseRemovedAsync(List<InstallmentKey> removed, SyncCursor? cursor, CancellationToken cancellationToken)
        {
            foreach (var chunk in removed.Distinct().Chunk(Math.Max(1, owner._options.LedgerBatchSize)).DefaultIfEmpty([]))
            {
                for (var attempt = 0; ; attempt++)
                {
                    var changes = new RecoveryChangeSet(context.Company);
                    var closed = 0;
                    await foreach (var c in owner._store.ReadCasesAsync(context.Company, new CaseFilter { Keys = chunk, OpenOnly = true }, cancellationToken).ConfigureAwait(false))
                    {
                        var change = CaseChange.Edit(c, _machine, _now, date);
                        change.Fire(RecoveryTrigger.LedgerRemoved, OperatorId.System, "the installment is no longer in the ledger", x => Close(x, ClosureReason.RemovedFromLedger));
                        var (write, events) = change.ToWrite();
                        changes.Cases.Add(write);
                        changes.History.AddRange(events);
                        closed++;
                    }

                    try
                    {
                        await owner._store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
                    }
                    catch (ConcurrencyConflictException) when (attempt < owner._options.ConflictRetries)
                    {
                        continue;
                    }

                    _removed += closed;
                    break;
                }
            }

            // The cursor is saved last: a crash before it replays the same changes, which apply idempotently.
            if (cursor is not null)
            {
                var changes = new RecoveryChangeSet(context.Company);
                changes.Cursors.Add(cursor);
                await owner._store.CommitAsync(changes, cancellationToken).ConfigureAwait(false);
            }
        }

        public LedgerSyncReport Report() => new()
        {
            Company = context.Company,
            BusinessDate = date,
            CustomersRead = _customers,
            InstallmentsRead = _installments,
            CasesOpened = _opened,
            CasesPaid = _paid,
            PartialPayments = _partial,
            CasesReopened = _reopened,
            UnpaidReceipts = _unpaid,
            CasesRemoved = _removed,
            Rejected = _errors,
        };

        private RecoveryCase Close(RecoveryCase c, ClosureReason reason) => c with
        {
            ClosedBecause = reason,
            ClosedOn = date,
            NextActionDate = null,
            PendingStepIndex = null,
            Arrangement = null,
        };

        /// <summary>
        /// The customers of the pending records: the ledger's version where it sent one, else the stored one; and the
        /// stored versions of all of them (one query), to tell which of the ledger's customers changed.
        /// </summary>
        private async ValueTask<(Dictionary<string, Customer> Current, Dictionary<string, Customer> Stored)> LoadCustomersAsync(CancellationToken cancellationToken)
        {
            var stored = new Dictionary<string, Customer>(StringComparer.Ordinal);
            var codes = _pendingCustomers.Keys.Concat(_pendingInstallments.Values.Select(i => i.CustomerCode)).Distinct(StringComparer.Ordinal).ToList();
            if (codes.Count > 0)
            {
                await foreach (var c in owner._store.ReadCustomersAsync(context.Company, codes, cancellationToken).ConfigureAwait(false))
                {
                    stored[c.Code] = c;
                }
            }

            var current = new Dictionary<string, Customer>(stored, StringComparer.Ordinal);
            foreach (var (code, customer) in _pendingCustomers)
            {
                current[code] = customer;
            }

            return (current, stored);
        }

        private CaseChange? Apply(RecoveryCase? existing, Installment installment, Customer? customer, ref (int Opened, int Paid, int Partial, int Reopened, int Unpaid) counters)
        {
            if (installment.OriginalAmount.Amount < 0 || installment.Document.Kind == DocumentKind.CreditNote)
            {
                return null; // Credit notes lower the customer's position; they are not recovered.
            }

            if (existing is null)
            {
                if (installment.IsSettled)
                {
                    return null;
                }

                counters.Opened++;
                return Open(installment, customer);
            }

            var change = CaseChange.Edit(existing, _machine, _now, date);
            var before = existing.Installment;
            var system = OperatorId.System;

            if (!existing.IsOpen)
            {
                if (installment.IsSettled)
                {
                    change.Update(c => c with { Installment = installment });
                    return before == installment ? null : change;
                }

                var newUnpaid = installment.UnpaidReceiptDate is { } u && u != before.UnpaidReceiptDate;

                // A write-off is the company's decision, not the ledger's: the ERP may keep showing the installment open.
                // Only a new event (a new unpaid receipt, a higher residual) brings such a case back.
                if (existing.ClosedBecause == ClosureReason.WrittenOff && !newUnpaid && installment.OpenResidual <= before.OpenResidual)
                {
                    change.Update(c => c with { Installment = installment });
                    return before == installment ? null : change;
                }

                var purpose = newUnpaid ? ProcedurePurpose.UnpaidReceipt : ProcedurePurpose.Ordinary;
                var (procedure, rule) = resolver.Resolve(installment, customer, purpose);
                var anchor = newUnpaid ? installment.UnpaidReceiptDate!.Value : installment.DueDate;
                var reopened = existing with
                {
                    Installment = installment,
                    Cycle = existing.Cycle + 1,
                    ProcedureId = procedure.Id,
                    AnchorDate = anchor,
                    ClosedBecause = null,
                    ClosedOn = null,
                    ResumedOn = null,
                    PendingStepIndex = null,
                    NextActionDate = date,
                };
                if (newUnpaid)
                {
                    counters.Unpaid++;
                    change.Fire(RecoveryTrigger.LedgerUnpaidReceipt, system,
                        $"bank receipt reported unpaid on {Iso.Format(anchor)}; residual {installment.OpenResidual}; procedure '{procedure.Name}' ({rule})",
                        _ => reopened);
                }
                else
                {
                    counters.Reopened++;
                    change.Fire(RecoveryTrigger.LedgerReopened, system,
                        $"the ledger shows the installment open again: residual {installment.OpenResidual}; procedure '{procedure.Name}' ({rule})",
                        _ => reopened, CaseChange.ResumeStatus(reopened, date));
                }

                return change;
            }

            if (installment.IsSettled)
            {
                counters.Paid++;
                if (installment.CancelledByCreditNote)
                {
                    change.Fire(RecoveryTrigger.LedgerCancelledByCreditNote, system, "the installment was cancelled by a credit note",
                        c => Close(c with { Installment = installment }, ClosureReason.CancelledByCreditNote));
                }
                else
                {
                    change.Fire(RecoveryTrigger.LedgerPaid, system, $"the ledger shows the installment paid (residual was {before.OpenResidual})",
                        c => Close(c with { Installment = installment }, ClosureReason.Paid));
                }

                return change;
            }

            if (installment.UnpaidReceiptDate is { } unpaidDate && unpaidDate != before.UnpaidReceiptDate)
            {
                var (procedure, rule) = resolver.Resolve(installment, customer, ProcedurePurpose.UnpaidReceipt);
                if (change.CanFire(RecoveryTrigger.LedgerUnpaidReceipt) && existing.Status is not (CaseStatus.Parked or CaseStatus.HandedOver or CaseStatus.Disputed))
                {
                    counters.Unpaid++;
                    change.Fire(RecoveryTrigger.LedgerUnpaidReceipt, system,
                        $"bank receipt reported unpaid on {Iso.Format(unpaidDate)}; residual {installment.OpenResidual}; procedure '{procedure.Name}' ({rule})",
                        c => c with
                        {
                            Installment = installment,
                            Cycle = c.Cycle + 1,
                            ProcedureId = procedure.Id,
                            AnchorDate = unpaidDate,
                            ResumedOn = null,
                            PendingStepIndex = null,
                            Arrangement = null,
                            SuspendedUntil = null,
                            NextActionDate = date,
                        });
                    return change;
                }

                change.Record("LedgerUnpaidReceipt", system,
                    $"bank receipt reported unpaid on {Iso.Format(unpaidDate)}; the case stays {existing.Status}", c => c with { Installment = installment });
                return change;
            }

            if (installment.OpenResidual < before.OpenResidual)
            {
                counters.Partial++;
                change.Fire(RecoveryTrigger.LedgerPartiallyPaid, system,
                    $"partial payment: residual {before.OpenResidual} → {installment.OpenResidual}; recovery goes on for the rest",
                    c => c with { Installment = installment });
                return change;
            }

            if (installment.OpenResidual > before.OpenResidual)
            {
                change.Record("LedgerResidualIncreased", system, $"residual {before.OpenResidual} → {installment.OpenResidual}", c => c with { Installment = installment });
                return change;
            }

            if (installment.DueDate != before.DueDate)
            {
                var anchor = existing.Installment.IsUnpaidReceipt ? existing.AnchorDate : installment.DueDate;
                change.Record("LedgerDueDateChanged", system, $"due date {Iso.Format(before.DueDate)} → {Iso.Format(installment.DueDate)}",
                    c => c with { Installment = installment, AnchorDate = anchor, NextActionDate = date });
                return change;
            }

            if (installment != before)
            {
                change.Update(c => c with { Installment = installment });
                return change;
            }

            return null;
        }

        private CaseChange Open(Installment installment, Customer? customer)
        {
            var purpose = installment.IsUnpaidReceipt ? ProcedurePurpose.UnpaidReceipt : ProcedurePurpose.Ordinary;
            var (procedure, rule) = resolver.Resolve(installment, customer, purpose);
            var anchor = installment.UnpaidReceiptDate ?? installment.DueDate;
            var status = installment.IsUnpaidReceipt || installment.DueDate < date ? CaseStatus.Overdue : CaseStatus.NotDue;
            var created = new RecoveryCase
            {
                Company = context.Company,
                Key = installment.Key,
                CustomerCode = installment.CustomerCode,
                Installment = installment,
                Status = status,
                ProcedureId = procedure.Id,
                AnchorDate = anchor,
                OpenedOn = date,
                NextActionDate = date,
            };
            var why = string.Create(CultureInfo.InvariantCulture,
                $"open installment {installment.Number} of document {installment.Document.Number}, due {Iso.Format(installment.DueDate)}, residual {installment.OpenResidual}; procedure '{procedure.Name}' ({rule})");
            return CaseChange.Create(created, _machine, _now, date, OperatorId.System, why);
        }
    }
}

/// <summary>How to read the ledger.</summary>
public enum LedgerReadMode
{
    /// <summary>Changes from the stored cursor when the source supports them, otherwise a snapshot.</summary>
    Auto,

    /// <summary>A full snapshot; installments absent from it close as removed from the ledger.</summary>
    Snapshot,

    /// <summary>The change feed from the stored cursor.</summary>
    Changes,
}

/// <summary>What one alignment with the ledger did.</summary>
public sealed record LedgerSyncReport
{
    /// <summary>The company.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The business date.</summary>
    public required LocalDate BusinessDate { get; init; }

    /// <summary>Customers read.</summary>
    public int CustomersRead { get; init; }

    /// <summary>Valid installments read.</summary>
    public int InstallmentsRead { get; init; }

    /// <summary>Cases opened for new open installments.</summary>
    public int CasesOpened { get; init; }

    /// <summary>Cases closed because the ledger shows them paid (or cancelled by a credit note).</summary>
    public int CasesPaid { get; init; }

    /// <summary>Partial payments seen.</summary>
    public int PartialPayments { get; init; }

    /// <summary>Closed cases reopened.</summary>
    public int CasesReopened { get; init; }

    /// <summary>Unpaid bank receipts that (re)opened a case.</summary>
    public int UnpaidReceipts { get; init; }

    /// <summary>Cases closed because their installment left the ledger.</summary>
    public int CasesRemoved { get; init; }

    /// <summary>Rejected records, each naming the record and the field; they are in quarantine.</summary>
    public IReadOnlyList<LedgerRecordError> Rejected { get; init; } = [];
}
