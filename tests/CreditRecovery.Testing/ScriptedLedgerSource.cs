using System.Runtime.CompilerServices;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;

namespace CreditRecovery.Testing;

/// <summary>A ledger source for tests: the test sets the ledger's content, and snapshots read it.</summary>
public sealed class ScriptedLedgerSource : ILedgerSource
{
    private readonly Dictionary<string, Customer> _customers = new(StringComparer.Ordinal);
    private readonly Dictionary<InstallmentKey, Installment> _installments = [];
    private readonly List<LedgerRecordError> _rejects = [];

    /// <inheritdoc />
    public string Name => "scripted";

    /// <inheritdoc />
    public bool SupportsChanges => false;

    /// <summary>Adds or replaces a customer.</summary>
    public ScriptedLedgerSource Put(Customer customer)
    {
        _customers[customer.Code] = customer;
        return this;
    }

    /// <summary>Adds or replaces an installment.</summary>
    public ScriptedLedgerSource Put(Installment installment)
    {
        _installments[installment.Key] = installment;
        return this;
    }

    /// <summary>Changes an installment.</summary>
    public ScriptedLedgerSource Change(string key, Func<Installment, Installment> change)
    {
        _installments[new InstallmentKey(key)] = change(_installments[new InstallmentKey(key)]);
        return this;
    }

    /// <summary>Removes an installment from the ledger.</summary>
    public ScriptedLedgerSource Remove(string key)
    {
        _installments.Remove(new InstallmentKey(key));
        return this;
    }

    /// <summary>Adds a record the "adapter" could not read.</summary>
    public ScriptedLedgerSource Reject(LedgerRecordError error)
    {
        _rejects.Add(error);
        return this;
    }

    /// <summary>Installment keys that rejected records concern (reported with them).</summary>
    public List<InstallmentKey> RejectedInstallments { get; } = [];

    /// <summary>The installment now in the ledger.</summary>
    public Installment Get(string key) => _installments[new InstallmentKey(key)];

    /// <inheritdoc />
    public async IAsyncEnumerable<LedgerRecord> ReadSnapshotAsync(CompanyId company, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        foreach (var c in _customers.Values.Where(c => c.Company == company).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CustomerRecord(c);
        }

        foreach (var e in _rejects.ToList())
        {
            yield return new RejectedRecord(e, RejectedInstallments.Where(k => k.Value == e.RecordKey).ToList());
        }

        foreach (var i in _installments.Values.Where(i => i.Company == company).ToList())
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new InstallmentRecord(i);
        }
    }

    /// <inheritdoc />
    public IAsyncEnumerable<LedgerRecord> ReadChangesAsync(CompanyId company, string? cursor, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The scripted ledger only serves snapshots.");
}
