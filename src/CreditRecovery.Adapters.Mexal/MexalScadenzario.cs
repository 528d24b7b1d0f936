using System.Globalization;
using System.Text.Json;
using CreditRecovery.Ledger;
using NodaTime;

namespace CreditRecovery.Adapters.Mexal;

/// <summary>The latest Mexal recovery dates on a customer's open installments.</summary>
internal sealed class MexalRecoveryMarks
{
    public LocalDate? Dunning { get; private set; }

    public LocalDate? Recovery { get; private set; }

    public LocalDate? Legal { get; private set; }

    public void Add(LocalDate? dunning, LocalDate? recovery, LocalDate? legal)
    {
        Dunning = Max(Dunning, dunning);
        Recovery = Max(Recovery, recovery);
        Legal = Max(Legal, legal);
    }

    private static LocalDate? Max(LocalDate? a, LocalDate? b) => a is null ? b : b is null ? a : LocalDate.Max(a.Value, b.Value);
}

/// <summary>What one <c>/scadenzario</c> record yields: its customer, its installments (or rejections), and the recovery dates of its open ones.</summary>
internal sealed record MexalScadenzaResult(string? CustomerCode, IReadOnlyList<LedgerRecord> Records, LocalDate? Dunning, LocalDate? Recovery, LocalDate? Legal);

/// <summary>
/// Maps one <c>/scadenzario</c> record (a document's installments in arrays of up to 250 <c>[index, value]</c> pairs) to
/// installments. Rows sharing an original due date (<c>dt_sca_origine</c>, else <c>dt_sca_pg</c>) are one installment: a
/// partial payment shows as a paid row next to the open remainder. The key is
/// <c>mexal/{codice}/{dt_registr_doc}/{anno_primanota}/{prog_primanota}/{first index}</c>.
/// </summary>
internal sealed class MexalScadenzario(MexalLedgerOptions options, CompanyId company, LocalDate today, Func<string, (string? Code, PaymentType? Type)> customerPayment)
{
    /// <summary>The fields read from <c>/scadenzario</c> (with <c>fields=</c>).</summary>
    public static readonly string[] Fields =
    [
        "codice", "dt_registr_doc", "prog_primanota", "anno_primanota", "data_documento", "serie", "numero", "numero_esteso", "causale",
        "tipo_scadenza", "dt_sca_pg", "imp_scadenza", "stato_pagamento", "dt_sca_origine", "data_sollecito", "data_recupero", "data_legale", "data_ult_mod",
    ];

    public MexalScadenzaResult Read(JsonElement record)
    {
        string? code = null, registered = null;
        long? progressive = null, year = null;
        string recordKey;
        try
        {
            code = MexalValues.String(record, "codice");
            registered = MexalValues.String(record, "dt_registr_doc");
            progressive = MexalValues.Integer(record, "prog_primanota");
            year = MexalValues.Integer(record, "anno_primanota");
        }
        catch (MexalFieldException ex)
        {
            return Reject(KeyText(code, registered, progressive, year), ex.Field, ex.Value, ex.Message, record, null, code);
        }

        recordKey = KeyText(code, registered, progressive, year);
        var missing = code is null ? "codice" : registered is null ? "dt_registr_doc" : progressive is null ? "prog_primanota" : year is null ? "anno_primanota" : null;
        if (missing is not null)
        {
            return Reject(recordKey, missing, null, "a key field of the record is missing", record, null, code);
        }

        var keyPrefix = string.Create(CultureInfo.InvariantCulture, $"mexal/{MexalValues.KeyPart(code!)}/{MexalValues.KeyPart(registered!)}/{year}/{progressive}/");

        // Arrays first: whatever else is wrong, the indices tell which installments the record concerns.
        SortedDictionary<int, JsonElement> types, dates, amounts, states, origins, dunning, recovery, legal;
        try
        {
            amounts = MexalValues.Pairs(record, "imp_scadenza");
            dates = MexalValues.Pairs(record, "dt_sca_pg");
            states = MexalValues.Pairs(record, "stato_pagamento");
            types = MexalValues.Pairs(record, "tipo_scadenza");
            origins = MexalValues.Pairs(record, "dt_sca_origine");
            dunning = MexalValues.Pairs(record, "data_sollecito");
            recovery = MexalValues.Pairs(record, "data_recupero");
            legal = MexalValues.Pairs(record, "data_legale");
        }
        catch (MexalFieldException ex)
        {
            return Reject(recordKey, ex.Field, ex.Value, ex.Message, record, null, code);
        }

        var indices = new SortedSet<int>(amounts.Keys);
        indices.UnionWith(dates.Keys);
        indices.UnionWith(states.Keys);

        Document document;
        try
        {
            document = ReadDocument(record);
        }
        catch (MexalFieldException ex)
        {
            return Reject(recordKey, ex.Field, ex.Value, ex.Message, record, indices.Select(i => new InstallmentKey(keyPrefix + i.ToString(CultureInfo.InvariantCulture))).ToList(), code);
        }

        var rows = new List<Row>();
        foreach (var i in indices)
        {
            rows.Add(ReadRow(i, types, dates, amounts, states, origins, dunning, recovery, legal));
        }

        var (paymentCode, customerType) = customerPayment(code!);
        var records = new List<LedgerRecord>();
        LocalDate? lastDunning = null, lastRecovery = null, lastLegal = null;
        var number = 0;
        foreach (var group in rows.GroupBy(r => r.Group).OrderBy(g => g.Min(r => r.Index)))
        {
            number++;
            var first = group.OrderBy(r => r.Index).First();
            var key = new InstallmentKey(keyPrefix + first.Index.ToString(CultureInfo.InvariantCulture));
            if (group.FirstOrDefault(r => r.Error is not null) is { Error: var (field, value, reason) })
            {
                records.Add(new RejectedRecord(new LedgerRecordError(recordKey, field, value, reason + $" (installment {key})", record.GetRawText()), [key]));
                continue;
            }

            var due = first.Origin ?? first.Date!.Value;
            var original = 0m;
            var residual = 0m;
            LocalDate? unpaid = null;
            foreach (var row in group)
            {
                original += row.Amount;
                var open = row.Status switch
                {
                    MexalPaymentStatus.Open => true,
                    MexalPaymentStatus.Unpaid => true,
                    MexalPaymentStatus.Presented => today <= due.PlusDays(options.BankExposureDays),
                    _ => false,
                };
                if (open)
                {
                    residual += row.Amount;
                }

                if (row.Status == MexalPaymentStatus.Unpaid)
                {
                    unpaid = due; // Mexal keeps no return date per row: the unpaid-receipt procedure is anchored on the due date.
                }
            }

            var type = first.Type ?? customerType ?? PaymentType.Other;
            if (document.Kind == DocumentKind.CreditNote)
            {
                original = -Math.Abs(original);
                residual = -Math.Abs(residual);
            }

            if (residual > 0m)
            {
                foreach (var row in group)
                {
                    lastDunning = Max(lastDunning, row.Dunning);
                    lastRecovery = Max(lastRecovery, row.Recovery);
                    lastLegal = Max(lastLegal, row.Legal);
                }
            }

            records.Add(new InstallmentRecord(new Installment
            {
                Company = company,
                Key = key,
                CustomerCode = code!,
                Document = new DocumentReference(document.Kind, document.Number, document.Date),
                Number = number,
                DueDate = due,
                OriginalAmount = new Money(original, options.Currency),
                OpenResidual = new Money(residual, options.Currency),
                PaymentType = type,
                PaymentCode = paymentCode,
                UnpaidReceiptDate = residual > 0m ? unpaid : null,
            }));
        }

        return new MexalScadenzaResult(code, records, lastDunning, lastRecovery, lastLegal);
    }

    private static LocalDate? Max(LocalDate? a, LocalDate? b) => a is null ? b : b is null ? a : LocalDate.Max(a.Value, b.Value);

    private static string KeyText(string? code, string? registered, long? progressive, long? year) =>
        string.Create(CultureInfo.InvariantCulture, $"scadenzario {code ?? "?"}+{registered ?? "?"}+{progressive?.ToString(CultureInfo.InvariantCulture) ?? "?"}+{year?.ToString(CultureInfo.InvariantCulture) ?? "?"}");

    private static MexalScadenzaResult Reject(string recordKey, string field, string? value, string reason, JsonElement record, IReadOnlyList<InstallmentKey>? keys, string? code) =>
        new(code, [new RejectedRecord(new LedgerRecordError(recordKey, field, value, reason, record.GetRawText()), keys)], null, null, null);

    private Document ReadDocument(JsonElement record)
    {
        var date = MexalValues.Date(record, "data_documento") ?? MexalValues.Date(record, "dt_registr_doc")
            ?? throw new MexalFieldException("data_documento", null, "the document has no date");
        var causale = MexalValues.String(record, "causale");
        var number = MexalValues.String(record, "numero_esteso");
        if (number is null)
        {
            var n = MexalValues.Integer(record, "numero");
            var serie = MexalValues.Integer(record, "serie");
            number = n is null ? "?" : serie is null or 0 ? n.Value.ToString(CultureInfo.InvariantCulture) : string.Create(CultureInfo.InvariantCulture, $"{n}/{serie}");
        }

        var kind = causale is not null && options.CreditNoteCausali.Contains(causale) ? DocumentKind.CreditNote : DocumentKind.Invoice;
        return new Document(kind, number, date);
    }

    private Row ReadRow(
        int i,
        SortedDictionary<int, JsonElement> types,
        SortedDictionary<int, JsonElement> dates,
        SortedDictionary<int, JsonElement> amounts,
        SortedDictionary<int, JsonElement> states,
        SortedDictionary<int, JsonElement> origins,
        SortedDictionary<int, JsonElement> dunning,
        SortedDictionary<int, JsonElement> recovery,
        SortedDictionary<int, JsonElement> legal)
    {
        var row = new Row { Index = i, Group = "#" + i.ToString(CultureInfo.InvariantCulture) };
        string F(string field) => string.Create(CultureInfo.InvariantCulture, $"{field}[{i}]");
        string? S(SortedDictionary<int, JsonElement> values, string field) => values.TryGetValue(i, out var v) ? MexalValues.Text(v, F(field)) : null;
        try
        {
            row.Date = MexalValues.Date(S(dates, "dt_sca_pg"), F("dt_sca_pg"));
            row.Origin = MexalValues.Date(S(origins, "dt_sca_origine"), F("dt_sca_origine"));
            var group = row.Origin ?? row.Date ?? throw new MexalFieldException(F("dt_sca_pg"), null, "the installment has no due date");
            row.Group = MexalValues.FormatDate(group);
            row.Amount = amounts.TryGetValue(i, out var amount) ? MexalValues.Decimal(amount, F("imp_scadenza")) : throw new MexalFieldException(F("imp_scadenza"), null, "the installment has no amount");

            var status = S(states, "stato_pagamento") ?? string.Empty;
            row.Status = options.PaymentStatusCodes.TryGetValue(status, out var s)
                ? s
                : throw new MexalFieldException(F("stato_pagamento"), status,
                    $"unknown stato_pagamento code (known: {string.Join(", ", options.PaymentStatusCodes.Keys.Select(k => k.Length == 0 ? "blank" : k))}): add it to MexalLedgerOptions.PaymentStatusCodes");

            var type = S(types, "tipo_scadenza");
            if (type is not null)
            {
                row.Type = options.InstallmentTypeCodes.TryGetValue(type, out var t)
                    ? t
                    : throw new MexalFieldException(F("tipo_scadenza"), type,
                        $"unknown tipo_scadenza code (known: {string.Join(", ", options.InstallmentTypeCodes.Keys)}): add it to MexalLedgerOptions.InstallmentTypeCodes");
            }

            row.Dunning = MexalValues.Date(S(dunning, "data_sollecito"), F("data_sollecito"));
            row.Recovery = MexalValues.Date(S(recovery, "data_recupero"), F("data_recupero"));
            row.Legal = MexalValues.Date(S(legal, "data_legale"), F("data_legale"));
        }
        catch (MexalFieldException ex)
        {
            row.Error = (ex.Field, ex.Value, ex.Message);
        }

        return row;
    }

    private sealed record Document(DocumentKind Kind, string Number, LocalDate Date);

    private sealed class Row
    {
        public int Index { get; init; }

        public string Group { get; set; } = string.Empty;

        public LocalDate? Date { get; set; }

        public LocalDate? Origin { get; set; }

        public decimal Amount { get; set; }

        public MexalPaymentStatus Status { get; set; }

        public PaymentType? Type { get; set; }

        public LocalDate? Dunning { get; set; }

        public LocalDate? Recovery { get; set; }

        public LocalDate? Legal { get; set; }

        public (string Field, string? Value, string Reason)? Error { get; set; }
    }
}
