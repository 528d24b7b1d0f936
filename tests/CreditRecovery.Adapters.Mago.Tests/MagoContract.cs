using CreditRecovery.Ledger;
using NodaTime;

namespace CreditRecovery.Adapters.Mago.Tests;

/// <summary>
/// The contract the adapter must meet on every database, run by <see cref="SqliteMagoContractTests"/> and
/// <see cref="PostgreSqlMagoContractTests"/> against the same demo rows (Database/demo.sql).
/// </summary>
public static class MagoContract
{
    public static readonly CompanyId Acme = new("ACME");

    /// <summary>
    /// The hand-checked expectation for the demo database: key, customer, document, kind, number, due date, original
    /// amount, residual, payment type, unpaid-receipt date.
    /// </summary>
    public static readonly IReadOnlyList<Expected> Expectation =
    [
        // RiBa 30-60-90: first collected (1000 − 1000), second back unpaid on 12 Jan (its presentation closing is undone), third open.
        new("mago/1001/1", "C001", "2025/101", DocumentKind.Invoice, 1, new(2025, 11, 30), 1000m, 0m, PaymentType.BankReceipt, null),
        new("mago/1001/2", "C001", "2025/101", DocumentKind.Invoice, 2, new(2025, 12, 31), 1000m, 1000m, PaymentType.BankReceipt, new(2026, 1, 12)),
        new("mago/1001/3", "C001", "2025/101", DocumentKind.Invoice, 3, new(2026, 1, 31), 1000m, 1000m, PaymentType.BankReceipt, null),
        // Bank transfer, 1000 paid of 2440.
        new("mago/1002/1", "C002", "2025/118", DocumentKind.Invoice, 1, new(2025, 12, 20), 2440m, 1440m, PaymentType.BankTransfer, null),
        // SEPA DD in two.
        new("mago/1003/1", "C002", "2026/007", DocumentKind.Invoice, 1, new(2026, 2, 28), 610m, 610m, PaymentType.SepaDirectDebit, null),
        new("mago/1003/2", "C002", "2026/007", DocumentKind.Invoice, 2, new(2026, 3, 31), 610m, 610m, PaymentType.SepaDirectDebit, null),
        // Paid in two partial closings (300 + 200), settled.
        new("mago/1004/1", "C003", "2025/090", DocumentKind.Invoice, 1, new(2025, 10, 30), 500m, 0m, PaymentType.DirectRemittance, null),
        // Credit note: negative.
        new("mago/1005/1", "C003", "NC 2026/002", DocumentKind.CreditNote, 1, new(2026, 1, 20), -150m, -150m, PaymentType.DirectRemittance, null),
        // Blocked installment: read as usual, its customer is held.
        new("mago/1006/1", "C004", "2025/130", DocumentKind.Invoice, 1, new(2026, 1, 9), 800m, 800m, PaymentType.BankTransfer, null),
        // 300 − 180 paid − 20 allowance; payment type from MA_PaymentTerms (BB30); empty currency → EUR.
        new("mago/1009/1", "C005", "2026/012", DocumentKind.Invoice, 1, new(2026, 3, 2), 300m, 100m, PaymentType.BankTransfer, null),
    ];

    public static async Task<List<LedgerRecord>> ReadAllAsync(IAsyncEnumerable<LedgerRecord> feed)
    {
        var list = new List<LedgerRecord>();
        await foreach (var record in feed)
        {
            list.Add(record);
        }

        return list;
    }

    public static async Task Snapshot_matches_the_expectation_table(MagoDatabase db)
    {
        var records = await ReadAllAsync(db.Source().ReadSnapshotAsync(Acme));

        var installments = records.OfType<InstallmentRecord>().Select(r => r.Installment).ToList();
        var actual = installments.Select(Expected.Of).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(Expectation.OrderBy(e => e.Key, StringComparer.Ordinal), actual);
        Assert.All(installments, i => Assert.Equal("EUR", i.OpenResidual.Currency));
        Assert.All(installments, i => Assert.Equal(Acme, i.Company));
        Assert.Equal("RB306090", installments.Single(i => i.Key.Value == "mago/1001/2").PaymentCode);
        Assert.Equal(new Money(3000m, "EUR"), installments.Single(i => i.Key.Value == "mago/1001/2").Document.Total);

        // Customers first, then installments; a snapshot has no checkpoint.
        var lastCustomer = records.FindLastIndex(r => r is CustomerRecord);
        var firstInstallment = records.FindIndex(r => r is InstallmentRecord);
        Assert.True(lastCustomer < firstInstallment);
        Assert.DoesNotContain(records, r => r is LedgerCheckpoint);

        var customers = records.OfType<CustomerRecord>().Select(r => r.Customer).ToDictionary(c => c.Code);
        Assert.Equal(["C001", "C002", "C003", "C004", "C005"], customers.Keys.Order(StringComparer.Ordinal));
        var rossi = customers["C001"];
        Assert.Equal("Rossi Costruzioni S.r.l.", rossi.Name);
        Assert.Equal("rossicostruzioni@pec.example", rossi.Pec);
        Assert.Equal("amministrazione@rossicostruzioni.example", rossi.Email);
        Assert.Equal("01234567890", rossi.VatNumber);
        Assert.Equal(new PostalAddress("Via Garibaldi 12", "20121", "Milano", "MI", "IT"), rossi.Address);
        Assert.Null(customers["C003"].Pec);
        Assert.Equal(CustomerFlags.Blocked, customers["C004"].Flags);
        Assert.All(customers.Values.Where(c => c.Code != "C004"), c => Assert.Equal(CustomerFlags.None, c.Flags));
    }

    public static async Task Suppliers_are_excluded(MagoDatabase db)
    {
        var records = await ReadAllAsync(db.Source().ReadSnapshotAsync(Acme));

        Assert.DoesNotContain(records.OfType<CustomerRecord>(), r => r.Customer.Code == "F001");
        Assert.DoesNotContain(records.OfType<InstallmentRecord>(), r => r.Installment.CustomerCode == "F001" || r.Installment.Key.Value.StartsWith("mago/1007/", StringComparison.Ordinal));
        Assert.DoesNotContain(records.OfType<RejectedRecord>(), r => r.Error.RecordKey.StartsWith("mago/1007/", StringComparison.Ordinal));
    }

    public static async Task Unknown_enum_is_quarantined_and_the_rest_is_read(MagoDatabase db)
    {
        var records = await ReadAllAsync(db.Source().ReadSnapshotAsync(Acme));

        var rejected = Assert.Single(records.OfType<RejectedRecord>()).Error;
        Assert.Equal("mago/1008/1", rejected.RecordKey);
        Assert.Equal("MA_PyblsRcvblsDetails.PaymentTerm", rejected.Field);
        Assert.Equal("2686999", rejected.Value);
        Assert.Contains("unknown payment type code", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("PymtSchedId=1008", rejected.Reason, StringComparison.Ordinal);
        Assert.Contains("d.PaymentTerm=2686999", rejected.RawPayload, StringComparison.Ordinal);
        Assert.Equal(Expectation.Count, records.OfType<InstallmentRecord>().Count());

        // Once the code is configured, the installment is read.
        var configured = await ReadAllAsync(db.Source(o => o.Codes.PaymentTypes[2686999] = PaymentType.Other).ReadSnapshotAsync(Acme));
        Assert.Empty(configured.OfType<RejectedRecord>());
        var fixedUp = configured.OfType<InstallmentRecord>().Single(r => r.Installment.Key.Value == "mago/1008/1").Installment;
        Assert.Equal(PaymentType.Other, fixedUp.PaymentType);
        Assert.Equal(Money.Eur(400m), fixedUp.OpenResidual);
    }

    public static async Task Unknown_closing_type_and_customer_type_are_quarantined(MagoDatabase db)
    {
        await db.ExecuteAsync("""
            INSERT INTO "MA_PyblsRcvblsDetails" ("PymtSchedId", "InstallmentNo", "InstallmentType", "ClosingType", "InstallmentDate", "Amount", "Currency", "TBModified")
            VALUES (1002, 1, 5505025, 6946899, '2026-02-01 00:00:00', 100, 'EUR', '2026-02-20 10:00:00');
            UPDATE "MA_PyblsRcvbls" SET "CustSuppType" = 3211270 WHERE "PymtSchedId" = 1006;
            """);

        var records = await ReadAllAsync(db.Source().ReadSnapshotAsync(Acme));

        var errors = records.OfType<RejectedRecord>().Select(r => r.Error).OrderBy(e => e.RecordKey, StringComparer.Ordinal).ToList();
        Assert.Equal(["mago/1002/1", "mago/1006/1", "mago/1008/1"], errors.Select(e => e.RecordKey));
        Assert.Equal(("MA_PyblsRcvblsDetails.ClosingType", "6946899"), (errors[0].Field, errors[0].Value));
        Assert.Equal(("MA_PyblsRcvbls.CustSuppType", "3211270"), (errors[1].Field, errors[1].Value));
        Assert.Equal(Expectation.Count - 2, records.OfType<InstallmentRecord>().Count());
    }

    public static async Task Incremental_read_returns_only_the_change_and_a_checkpoint(MagoDatabase db)
    {
        var source = db.Source(o => o.ChangeOverlap = TimeSpan.Zero);
        var first = await ReadAllAsync(source.ReadChangesAsync(Acme, cursor: null));
        var checkpoint = Assert.IsType<LedgerCheckpoint>(first[^1]).Cursor;
        Assert.Equal("2026-02-20T10:00:00.000", checkpoint);
        Assert.Equal(Expectation.Count, first.OfType<InstallmentRecord>().Count());

        // Nothing changed: only the checkpoint, unchanged.
        var idle = await ReadAllAsync(source.ReadChangesAsync(Acme, checkpoint));
        Assert.Equal([new LedgerCheckpoint(checkpoint)], idle);

        // Bianchi pays the first SDD installment: a closing row, and the opening row flagged closed.
        await db.ExecuteAsync("""
            INSERT INTO "MA_PyblsRcvblsDetails" ("PymtSchedId", "InstallmentNo", "InstallmentType", "ClosingType", "InstallmentDate", "CustSuppType", "CustSupp", "PaymentTerm", "Amount", "Currency", "Closed", "TBModified")
            VALUES (1003, 1, 5505025, 6946816, '2026-03-01 00:00:00', 3211264, 'C002', 2686989, 610, 'EUR', '1', '2026-03-01 12:30:00');
            UPDATE "MA_PyblsRcvblsDetails" SET "Closed" = '1', "TBModified" = '2026-03-01 12:30:00' WHERE "PymtSchedId" = 1003 AND "InstallmentNo" = 1 AND "InstallmentType" = 5505024;
            """);

        var changes = await ReadAllAsync(source.ReadChangesAsync(Acme, checkpoint));
        Assert.Equal(["C002"], changes.OfType<CustomerRecord>().Select(r => r.Customer.Code));
        var changed = changes.OfType<InstallmentRecord>().Select(r => r.Installment).ToDictionary(i => i.Key.Value);
        Assert.Equal(["mago/1003/1", "mago/1003/2"], changed.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(Money.Eur(0m), changed["mago/1003/1"].OpenResidual);
        Assert.Equal(Money.Eur(610m), changed["mago/1003/2"].OpenResidual);
        Assert.Empty(changes.OfType<RejectedRecord>());
        var next = Assert.IsType<LedgerCheckpoint>(changes[^1]).Cursor;
        Assert.Equal("2026-03-01T12:30:00.000", next);

        Assert.Equal([new LedgerCheckpoint(next)], await ReadAllAsync(source.ReadChangesAsync(Acme, next)));
    }

    /// <summary>One installment as the tests compare it.</summary>
    public sealed record Expected(
        string Key, string Customer, string Document, DocumentKind Kind, int Number, LocalDate Due, decimal Original, decimal Residual,
        PaymentType Type, LocalDate? Unpaid)
    {
        public static Expected Of(Installment i) => new(
            i.Key.Value, i.CustomerCode, i.Document.Number, i.Document.Kind, i.Number, i.DueDate, i.OriginalAmount.Amount, i.OpenResidual.Amount,
            i.PaymentType, i.UnpaidReceiptDate);
    }
}
