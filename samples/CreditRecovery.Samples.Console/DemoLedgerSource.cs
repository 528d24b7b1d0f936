using System.Runtime.CompilerServices;
using CreditRecovery.Ledger;
using CreditRecovery.Ports;
using NodaTime;

namespace CreditRecovery.Samples.Console;

/// <summary>
/// A small demo receivables book for the sample host, until the Mexal adapter (its own issue) replaces it: four
/// customers with installments due around November–December 2026, one unpaid RiBa, one malformed record (to show
/// quarantine) and one customer flagged DO-NOT-DUN. It is demo data, clearly labelled, not an ERP format.
/// </summary>
internal sealed class DemoLedgerSource(CompanyId company) : ILedgerSource
{
    public string Name => "demo";

    public bool SupportsChanges => false;

    public async IAsyncEnumerable<LedgerRecord> ReadSnapshotAsync(CompanyId requested, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await Task.Yield();
        if (requested != company)
        {
            yield break;
        }

        foreach (var customer in Customers())
        {
            yield return new CustomerRecord(customer);
        }

        yield return Installment("FT-2026-0412/1", "C001", "2026/0412", new LocalDate(2026, 10, 2), new LocalDate(2026, 11, 2), 1220.00m, 1220.00m);
        yield return Installment("FT-2026-0412/2", "C001", "2026/0412", new LocalDate(2026, 10, 2), new LocalDate(2026, 12, 2), 1220.00m, 1220.00m, number: 2);
        yield return Installment("FT-2026-0430/1", "C001", "2026/0430", new LocalDate(2026, 10, 15), new LocalDate(2026, 11, 14), 385.50m, 185.50m);
        yield return Installment("FT-2026-0455/1", "C002", "2026/0455", new LocalDate(2026, 10, 20), new LocalDate(2026, 11, 30), 2440.00m, 2440.00m, PaymentType.BankReceipt);
        yield return Installment("FT-2026-0390/1", "C003", "2026/0390", new LocalDate(2026, 9, 30), new LocalDate(2026, 10, 31), 915.00m, 915.00m, PaymentType.BankReceipt, unpaid: new LocalDate(2026, 11, 5));
        yield return Installment("FT-2026-0401/1", "C004", "2026/0401", new LocalDate(2026, 10, 1), new LocalDate(2026, 10, 31), 610.00m, 610.00m);
        yield return new RejectedRecord(new LedgerRecordError("FT-2026-0466/1", "DueDate", "2026-02-30", "not a calendar date", "{\"doc\":\"2026/0466\",\"due\":\"2026-02-30\"}"));
    }

    public IAsyncEnumerable<LedgerRecord> ReadChangesAsync(CompanyId requested, string? cursor, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("The demo ledger serves snapshots only.");

    private IEnumerable<Customer> Customers()
    {
        yield return new Customer
        {
            Company = company, Code = "C001", Name = "Ferramenta Rossi S.r.l.", VatNumber = "IT01234560157", Category = "RETAIL", Agent = "AG01", SalesArea = "NORD",
            Email = "amministrazione@ferramentarossi.example", Pec = "ferramentarossi@pec.example",
            Contact = new ContactPerson("Maria Rossi", "Amministrazione", "+39 02 1234567"),
            Address = new PostalAddress("Via Torino 12", "20123", "Milano", "MI"),
        };
        yield return new Customer
        {
            Company = company, Code = "C002", Name = "Edilizia Bianchi S.p.A.", Category = "BUILDING", Agent = "AG02", SalesArea = "CENTRO",
            Email = "contabilita@ediliziabianchi.example", Pec = "ediliziabianchi@pec.example",
            Address = new PostalAddress("Via Appia 200", "00179", "Roma", "RM"),
        };
        yield return new Customer
        {
            Company = company, Code = "C003", Name = "Trasporti Verdi S.n.c.", Category = "LOGISTICS", SalesArea = "NORD",
            Email = "info@trasportiverdi.example", Pec = "trasportiverdi@pec.example",
            Address = new PostalAddress("Corso Francia 5", "10138", "Torino", "TO"),
        };
        yield return new Customer
        {
            Company = company, Code = "C004", Name = "Comune di Esempio", Category = "PA", Flags = CustomerFlags.DoNotDun,
            Pec = "protocollo@pec.comune.esempio.example",
        };
    }

    private InstallmentRecord Installment(string key, string customer, string document, LocalDate documentDate, LocalDate due, decimal amount, decimal residual,
        PaymentType type = PaymentType.BankTransfer, int number = 1, LocalDate? unpaid = null) =>
        new(new Installment
        {
            Company = company,
            Key = new InstallmentKey(key),
            CustomerCode = customer,
            Document = new DocumentReference(DocumentKind.Invoice, document, documentDate),
            Number = number,
            DueDate = due,
            OriginalAmount = Money.Eur(amount),
            OpenResidual = Money.Eur(residual),
            PaymentType = type,
            UnpaidReceiptDate = unpaid,
        });
}
