using System.Text;
using System.Text.Json;
using CreditRecovery.Ledger;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;

namespace CreditRecovery.Adapters.Mexal.Tests;

/// <summary>How one scadenzario record maps to installments, on records written here in the WebAPI's documented format.</summary>
public sealed class MappingTests
{
    private static readonly CompanyId Demo = new("DEM");

    // A RiBa invoice of two installments: the first presented (E), the second returned unpaid (I);
    // a bank-transfer invoice partially paid (a paid row and an open remainder sharing dt_sca_origine).
    private const string Record = """
        {"codice":"501.00042","dt_registr_doc":"20260310","prog_primanota":1207,"anno_primanota":2026,"data_documento":"20260310",
         "serie":1,"numero":88,"numero_esteso":"","causale":"FT",
         "tipo_scadenza":[[1,"B"],[2,"B"],[3,"F"],[4,"F"]],
         "dt_sca_pg":[[1,"20260430"],[2,"20260531"],[3,"20260415"],[4,"20260331"]],
         "imp_scadenza":[[1,610.00],[2,610.00],[3,200.00],[4,300.50]],
         "stato_pagamento":[[1,"E"],[2,"I"],[3,"P"],[4,""]],
         "dt_sca_origine":[[1,"20260430"],[2,"20260531"],[3,"20260331"],[4,"20260331"]],
         "data_sollecito":[[4,"20260420"]],"data_recupero":[],"data_legale":[[1,""]],
         "data_ult_mod":"20260601 101500"}
        """;

    [Fact]
    public void Presented_receipts_stay_open_until_due_plus_the_exposure_window_then_count_as_paid()
    {
        var options = Options();
        Installment Read(LocalDate today) =>
            Installments(new MexalScadenzario(options, Demo, today, _ => (null, null)).Read(Parse(Record))).Single(i => i.Key.Value.EndsWith("/1", StringComparison.Ordinal));

        Assert.Equal(610.00m, Read(new LocalDate(2026, 4, 30).PlusDays(options.BankExposureDays)).OpenResidual.Amount);
        Assert.Equal(0m, Read(new LocalDate(2026, 4, 30).PlusDays(options.BankExposureDays + 1)).OpenResidual.Amount);
    }

    [Fact]
    public void Unpaid_receipts_partial_payments_keys_and_recovery_dates_are_read()
    {
        var result = new MexalScadenzario(Options(), Demo, new LocalDate(2026, 6, 1), _ => ("3", PaymentType.BankReceipt)).Read(Parse(Record));
        var installments = Installments(result);

        Assert.Equal(
            ["mexal/501.00042/20260310/2026/1207/1", "mexal/501.00042/20260310/2026/1207/2", "mexal/501.00042/20260310/2026/1207/3"],
            installments.Select(i => i.Key.Value));
        var unpaid = installments[1];
        Assert.Equal((new LocalDate(2026, 5, 31), 610.00m, PaymentType.BankReceipt), (unpaid.UnpaidReceiptDate!.Value, unpaid.OpenResidual.Amount, unpaid.PaymentType));
        var partial = installments[2];
        Assert.Equal((new LocalDate(2026, 3, 31), 500.50m, 300.50m, 3), (partial.DueDate, partial.OriginalAmount.Amount, partial.OpenResidual.Amount, partial.Number));
        Assert.Equal(PaymentType.BankTransfer, partial.PaymentType);
        Assert.Equal(("88/1", "3"), (partial.Document.Number, partial.PaymentCode));
        Assert.Equal((new LocalDate(2026, 4, 20), (LocalDate?)null), (result.Dunning!.Value, result.Legal));
    }

    [Theory]
    [InlineData(MexalRecoveryDateHandling.BlockCustomer, CustomerFlags.Blocked, null)]
    [InlineData(MexalRecoveryDateHandling.DoNotDunCustomer, CustomerFlags.DoNotDun, null)]
    [InlineData(MexalRecoveryDateHandling.ExtendCustomer, CustomerFlags.None, "2026-05-05")]
    [InlineData(MexalRecoveryDateHandling.Ignore, CustomerFlags.None, null)]
    public void A_dunning_date_from_Mexal_is_mapped_onto_the_customer(MexalRecoveryDateHandling handling, CustomerFlags flags, string? extension)
    {
        var options = Options();
        options.DunningDateHandling = handling;
        var marks = new MexalRecoveryMarks();
        marks.Add(new LocalDate(2026, 4, 20), null, null);
        const string Json = """{"codice":"501.00042","ragione_sociale":"Rossi Ferramenta S.r.l.","descr_nota":[[1,""],[2,""]],"pec":"rossi@pec.example"}""";

        var customer = Assert.IsType<CustomerRecord>(new MexalClienti(options, Demo).Read(Parse(Json), marks, new Dictionary<long, MexalPaymentTerms>())).Customer;

        Assert.Equal(flags, customer.Flags);
        Assert.Equal(extension, customer.ExtensionUntil?.ToString("uuuu-MM-dd", null));
        Assert.Contains(handling == MexalRecoveryDateHandling.Ignore ? "dunned on 20260420" : "data_sollecito", customer.Notes, StringComparison.Ordinal);
    }

    [Fact]
    public void Notes_markers_flag_do_not_dun_and_blocked()
    {
        const string Json = """{"codice":"501.00007","ragione_sociale":"Conti Trasporti S.n.c.","descr_nota":[[1,"Non sollecitare: accordo con la direzione"],[2,"BLOCCATO per contestazione"]]}""";
        var customer = Assert.IsType<CustomerRecord>(new MexalClienti(Options(), Demo).Read(Parse(Json), null, new Dictionary<long, MexalPaymentTerms>())).Customer;
        Assert.Equal(CustomerFlags.DoNotDun | CustomerFlags.Blocked, customer.Flags);
    }

    [Fact]
    public void A_record_without_its_key_is_rejected_naming_the_field()
    {
        var result = new MexalScadenzario(Options(), Demo, new LocalDate(2026, 6, 1), _ => (null, null)).Read(Parse("""{"codice":"501.00001","dt_registr_doc":"20260110","anno_primanota":2026}"""));
        var rejected = Assert.IsType<RejectedRecord>(Assert.Single(result.Records));
        Assert.Equal(("scadenzario 501.00001+20260110+?+2026", "prog_primanota"), (rejected.Error.RecordKey, rejected.Error.Field));
    }

    [Property(MaxTest = 300)]
    public Property Keys_with_a_slash_or_backslash_are_hex_encoded_and_decode_back(NonEmptyString code)
    {
        var (segment, hex) = MexalWebApiClient.EncodeKey(code.Get);
        var needsHex = code.Get.Contains('/', StringComparison.Ordinal) || code.Get.Contains('\\', StringComparison.Ordinal);
        var decoded = hex ? Encoding.UTF8.GetString(Convert.FromHexString(segment)) : Uri.UnescapeDataString(segment);
        return (hex == needsHex && decoded == code.Get && !segment.Contains('/', StringComparison.Ordinal)).ToProperty();
    }

    [Fact]
    public void The_published_hex_example_is_reproduced() => Assert.Equal(("415254492f53", true), MexalWebApiClient.EncodeKey("ARTI/S"));

    private static MexalLedgerOptions Options() => new()
    {
        BaseAddress = new Uri("https://mexal.example:9004/webapi/"),
        User = "webapi",
        Password = "secret",
        Company = "DEM",
        Year = 2026,
    };

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static List<Installment> Installments(MexalScadenzaResult result) => result.Records.Select(r => Assert.IsType<InstallmentRecord>(r).Installment).ToList();
}
