using CreditRecovery.Ledger;
using NodaTime;

namespace CreditRecovery.Adapters.Mago.Tests;

/// <summary>How the inferred insoluto signal (Outstanding*) and reopening installments are read, on SQLite.</summary>
public sealed class InsolutoTests
{
    [Fact]
    public async Task Outstanding_as_unpaid_receipt_can_be_turned_off()
    {
        await using var db = await MagoDatabase.CreateSqliteAsync();
        var records = await MagoContract.ReadAllAsync(db.Source(o => o.OutstandingMeansUnpaidReceipt = false).ReadSnapshotAsync(MagoContract.Acme));

        // Without the inference, installment 2 is only what its rows say: 1000 opened, 1000 closed.
        var second = records.OfType<InstallmentRecord>().Single(r => r.Installment.Key.Value == "mago/1001/2").Installment;
        Assert.Null(second.UnpaidReceiptDate);
        Assert.Equal(Money.Eur(0m), second.OpenResidual);
    }

    [Fact]
    public async Task An_unpaid_receipt_closed_by_reopening_moves_its_unpaid_date_to_the_reopening_installment()
    {
        await using var db = await MagoDatabase.CreateSqliteAsync();
        await db.ExecuteAsync("""
            INSERT INTO "MA_PyblsRcvbls" ("PymtSchedId", "CustSuppType", "CustSupp", "Payment", "DocNo", "DocumentDate", "Settled", "CreditNote", "TotalAmount", "Currency", "TBModified")
            VALUES (1010, 3211264, 'C001', 'RB306090', '2025/140', '2025-12-01 00:00:00', '0', '0', 500, 'EUR', '2026-02-20 10:00:00');
            INSERT INTO "MA_PyblsRcvblsDetails" ("PymtSchedId", "InstallmentNo", "InstallmentType", "ClosingType", "InstallmentDate", "PaymentTerm", "Amount", "Currency", "Closed", "Outstanding", "OutstandingAmount", "OutstandingDate", "ReopeningInstallmentNo", "TBModified") VALUES
            (1010, 1, 5505024, 6946816, '2026-01-31 00:00:00', 2686981, 500, 'EUR', '1', '1', 500, '2026-02-05 00:00:00', 2, '2026-02-20 10:00:00'),
            (1010, 1, 5505025, 6946818, '2026-02-05 00:00:00', 2686981, 500, 'EUR', '1', '0', 0, '1799-12-31 00:00:00', 0, '2026-02-20 10:00:00'),
            (1010, 2, 5505024, 6946816, '2026-02-28 00:00:00', 2686977, 507.50, 'EUR', '0', '0', 0, '1799-12-31 00:00:00', 0, '2026-02-20 10:00:00');
            """);

        var records = await MagoContract.ReadAllAsync(db.Source().ReadSnapshotAsync(MagoContract.Acme));
        var byKey = records.OfType<InstallmentRecord>().Select(r => r.Installment).Where(i => i.Key.Value.StartsWith("mago/1010/", StringComparison.Ordinal)).ToDictionary(i => i.Key.Value);

        Assert.Equal(Money.Eur(0m), byKey["mago/1010/1"].OpenResidual);
        Assert.Equal(new LocalDate(2026, 2, 5), byKey["mago/1010/1"].UnpaidReceiptDate);
        Assert.Equal(Money.Eur(507.50m), byKey["mago/1010/2"].OpenResidual);
        Assert.Equal(new LocalDate(2026, 2, 5), byKey["mago/1010/2"].UnpaidReceiptDate);
        Assert.Equal(PaymentType.DirectRemittance, byKey["mago/1010/2"].PaymentType);
    }
}
