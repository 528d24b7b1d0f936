using System.Globalization;
using System.Text;
using CreditRecovery.Ledger;
using NodaTime;

namespace CreditRecovery.Adapters.Mago;

/// <summary>
/// The rows of one partita (<c>MA_PyblsRcvbls</c> joined with its <c>MA_PyblsRcvblsDetails</c> rows and its
/// <c>MA_PaymentTerms</c>), turned into installments: one per opening row, its residual being the opening amount minus
/// its closing rows, with Mago's flags applied.
/// </summary>
internal sealed class MagoPartita(int scheduleId, MagoLedgerOptions options, CompanyId company)
{
    private const string S = MagoSql.SchedulesTable;
    private const string D = MagoSql.DetailsTable;
    private static readonly int ScheduleCount = MagoSql.ScheduleColumns.Length;
    private static readonly int DetailCount = MagoSql.DetailColumns.Length;

    private readonly List<object?[]> _rows = [];

    public int ScheduleId => scheduleId;

    /// <summary>The latest <c>TBModified</c> among the header and rows (unreadable values are skipped).</summary>
    public DateTime? LastModified { get; private set; }

    /// <summary>The stable key of installment <paramref name="number"/> of partita <paramref name="scheduleId"/>.</summary>
    public static InstallmentKey Key(int scheduleId, int number) =>
        new(string.Create(CultureInfo.InvariantCulture, $"mago/{scheduleId}/{number}"));

    public void Add(object?[] row)
    {
        _rows.Add(row);
        foreach (var index in new[] { Sched("TBModified"), Det("TBModified") })
        {
            try
            {
                if (MagoValues.DateTimeValue(row[index], "TBModified") is { } modified && (LastModified is null || modified > LastModified))
                {
                    LastModified = modified;
                }
            }
            catch (MagoValueException)
            {
                // An unreadable timestamp only loses precision of the cursor.
            }
        }
    }

    /// <summary>The partita's installments, or the records rejecting them; nothing for a supplier's partita.</summary>
    public IEnumerable<LedgerRecord> Read()
    {
        var codes = options.Codes;
        var header = _rows[0];
        var groups = _rows.GroupBy(r => r[Det("InstallmentNo")] is null or DBNull ? (int?)null : SafeInt(r[Det("InstallmentNo")]))
            .Select(g => (Number: g.Key, Rows: g.ToList()))
            .ToList();

        Header h;
        try
        {
            h = ReadHeader(header);
        }
        catch (MagoValueException ex)
        {
            return groups.Select(g => Reject(g.Number, S, ex.Column, ex.Value, ex.Message, g.Rows)).ToList();
        }

        if (h.CustSuppType == codes.Supplier)
        {
            return [];
        }

        if (h.CustSuppType != codes.Customer)
        {
            return groups.Select(g => Reject(g.Number, S, "CustSuppType", h.CustSuppType?.ToString(CultureInfo.InvariantCulture) ?? "NULL",
                $"unknown CustSuppType code (customer is {codes.Customer}, supplier {codes.Supplier}): check MagoLedgerOptions.Codes", g.Rows)).ToList();
        }

        var results = new List<(int Number, Installment? Installment, LedgerRecord? Rejected, Outcome? Outcome)>();
        foreach (var (number, rows) in groups)
        {
            if (number is null)
            {
                results.Add((0, null, Reject(null, D, "InstallmentNo", "NULL", "the installment has no number", rows), null));
                continue;
            }

            try
            {
                var (installment, outcome) = ReadInstallment(h, number.Value, rows);
                results.Add((number.Value, installment, null, outcome));
            }
            catch (MagoValueException ex)
            {
                results.Add((number.Value, null, Reject(number, D, ex.Column, ex.Value, ex.Message, rows), null));
            }
        }

        // An unpaid receipt closed by reopening (riapertura) moves its debt to the reopening installment, which
        // inherits the unpaid date. An inference from ReopeningInstallmentNo; see the README.
        var byNumber = results.Where(r => r.Installment is not null).ToDictionary(r => r.Number);
        foreach (var r in results.Where(r => r.Outcome is { UnpaidDate: not null, ReopeningNumber: > 0 }).ToList())
        {
            var target = r.Outcome!.ReopeningNumber!.Value;
            if (target != r.Number && byNumber.TryGetValue(target, out var reopening) && reopening.Installment is { UnpaidReceiptDate: null, IsSettled: false } i
                && i.Document.Kind != DocumentKind.CreditNote)
            {
                var index = results.FindIndex(x => x.Number == target && x.Installment is not null);
                results[index] = reopening with { Installment = i with { UnpaidReceiptDate = r.Outcome.UnpaidDate } };
            }
        }

        return results.Select(r => r.Rejected ?? new InstallmentRecord(r.Installment!)).ToList();
    }

    private static int Sched(string column) => Array.IndexOf(MagoSql.ScheduleColumns, column);

    private static int Det(string column) => ScheduleCount + Array.IndexOf(MagoSql.DetailColumns, column);

    private static int Term => ScheduleCount + DetailCount;

    private static int? SafeInt(object? value)
    {
        try
        {
            return MagoValues.Int(value, "InstallmentNo");
        }
        catch (MagoValueException)
        {
            return null;
        }
    }

    private static object? H(object?[] row, string column) => row[Sched(column)];

    private static object? R(object?[] row, string column) => row[Det(column)];

    private Header ReadHeader(object?[] row) => new(
        CustSuppType: MagoValues.Int(H(row, "CustSuppType"), $"{S}.CustSuppType"),
        CustSupp: MagoValues.String(H(row, "CustSupp")),
        Payment: MagoValues.String(H(row, "Payment")),
        DocNo: MagoValues.String(H(row, "DocNo")),
        DocumentDate: MagoValues.Date(H(row, "DocumentDate"), $"{S}.DocumentDate"),
        InstallmStartDate: MagoValues.Date(H(row, "InstallmStartDate"), $"{S}.InstallmStartDate"),
        Settled: MagoValues.Flag(H(row, "Settled"), $"{S}.Settled"),
        CreditNote: MagoValues.Flag(H(row, "CreditNote"), $"{S}.CreditNote"),
        TotalAmount: MagoValues.Amount(H(row, "TotalAmount"), $"{S}.TotalAmount", options.AmountDecimals),
        Currency: MagoValues.String(H(row, "Currency")),
        TermPaymentType: MagoValues.Int(row[Term], $"{MagoSql.PaymentTermsTable}.InstallmentType"));

    private (Installment Installment, Outcome Outcome) ReadInstallment(Header h, int number, List<object?[]> rows)
    {
        var codes = options.Codes;
        object?[]? opening = null;
        var closings = new List<object?[]>();
        foreach (var row in rows)
        {
            var type = MagoValues.Int(R(row, "InstallmentType"), $"{D}.InstallmentType");
            if (type == codes.OpeningInstallment)
            {
                if (opening is not null)
                {
                    throw new MagoValueException($"{D}.InstallmentType", type.Value.ToString(CultureInfo.InvariantCulture),
                        "the installment has more than one opening row: which one is the installment is unknown");
                }

                opening = row;
            }
            else if (type == codes.ClosingInstallment)
            {
                var closingType = MagoValues.Int(R(row, "ClosingType"), $"{D}.ClosingType");
                if (closingType is null || !codes.ClosingTypes.Contains(closingType.Value))
                {
                    throw new MagoValueException($"{D}.ClosingType", closingType?.ToString(CultureInfo.InvariantCulture) ?? "NULL",
                        "unknown ClosingType code of a closing row: its effect on the residual is unknown (check MagoLedgerOptions.Codes.ClosingTypes)");
                }

                closings.Add(row);
            }
            else
            {
                throw new MagoValueException($"{D}.InstallmentType", type?.ToString(CultureInfo.InvariantCulture) ?? "NULL",
                    $"unknown InstallmentType code (opening is {codes.OpeningInstallment}, closing {codes.ClosingInstallment}): check MagoLedgerOptions.Codes");
            }
        }

        if (opening is null)
        {
            throw new MagoValueException($"{D}.InstallmentType", codes.ClosingInstallment.ToString(CultureInfo.InvariantCulture),
                "closing rows without an opening row: the installment's amount is unknown");
        }

        // Payment type: the row's PaymentTerm, else the payment terms' default (MA_PaymentTerms.InstallmentType).
        var rowTerm = MagoValues.Int(R(opening, "PaymentTerm"), $"{D}.PaymentTerm");
        var (termColumn, termCode) = rowTerm is > 0 ? ($"{D}.PaymentTerm", rowTerm) : ($"{MagoSql.PaymentTermsTable}.InstallmentType", h.TermPaymentType);
        if (termCode is null || !codes.PaymentTypes.TryGetValue(termCode.Value, out var paymentType))
        {
            throw new MagoValueException(termColumn, termCode?.ToString(CultureInfo.InvariantCulture) ?? "NULL",
                "unknown payment type code: add it to MagoLedgerOptions.Codes.PaymentTypes");
        }

        var currency = MagoValues.String(R(opening, "Currency")) ?? h.Currency ?? options.DefaultCurrency;
        if (!Money.IsValidCurrency(currency))
        {
            throw new MagoValueException($"{D}.Currency", currency, "not an ISO 4217 currency code");
        }

        var dueDate = MagoValues.Date(R(opening, "InstallmentDate"), $"{D}.InstallmentDate")
            ?? throw new MagoValueException($"{D}.InstallmentDate", MagoValues.Text(R(opening, "InstallmentDate")), "the installment has no due date");
        var amount = MagoValues.Amount(R(opening, "Amount"), $"{D}.Amount", options.AmountDecimals)
            ?? throw new MagoValueException($"{D}.Amount", "NULL", "the installment has no amount");
        if (amount < 0)
        {
            throw new MagoValueException($"{D}.Amount", amount.ToString(CultureInfo.InvariantCulture), "a negative opening amount: credit notes are told by MA_PyblsRcvbls.CreditNote");
        }

        var closed = 0m;
        foreach (var row in closings)
        {
            closed += MagoValues.Amount(R(row, "Amount"), $"{D}.Amount", options.AmountDecimals) ?? 0m;
            var rowCurrency = MagoValues.String(R(row, "Currency")) ?? h.Currency ?? options.DefaultCurrency;
            if (!string.Equals(rowCurrency, currency, StringComparison.OrdinalIgnoreCase))
            {
                throw new MagoValueException($"{D}.Currency", rowCurrency, $"a closing row in another currency than its installment ({currency})");
            }
        }

        var isClosed = MagoValues.Flag(R(opening, "Closed"), $"{D}.Closed");
        var collected = MagoValues.Flag(R(opening, "Collected"), $"{D}.Collected");
        var outstanding = MagoValues.Flag(R(opening, "Outstanding"), $"{D}.Outstanding") && options.OutstandingMeansUnpaidReceipt;
        var outstandingAmount = MagoValues.Amount(R(opening, "OutstandingAmount"), $"{D}.OutstandingAmount", options.AmountDecimals) ?? 0m;
        var outstandingDate = MagoValues.Date(R(opening, "OutstandingDate"), $"{D}.OutstandingDate");
        var reopening = MagoValues.Int(R(opening, "ReopeningInstallmentNo"), $"{D}.ReopeningInstallmentNo");

        var computed = Math.Clamp(amount - closed, 0m, amount);
        decimal residual;
        LocalDate? unpaidDate = null;
        if (outstanding && !h.CreditNote)
        {
            unpaidDate = outstandingDate ?? dueDate;

            // Closed (or settled) after the unpaid receipt: paid since, or its debt moved to a reopening installment.
            residual = isClosed || h.Settled ? 0m : Math.Max(computed, Math.Min(outstandingAmount, amount));
        }
        else
        {
            residual = isClosed || h.Settled || collected ? 0m : computed;
        }

        var sign = h.CreditNote ? -1m : 1m;
        var documentDate = h.DocumentDate ?? h.InstallmStartDate ?? dueDate;
        var installment = new Installment
        {
            Company = company,
            Key = Key(scheduleId, number),
            CustomerCode = h.CustSupp ?? string.Empty,
            Document = new DocumentReference(
                h.CreditNote ? DocumentKind.CreditNote : DocumentKind.Invoice,
                h.DocNo ?? string.Empty,
                documentDate,
                h.TotalAmount is { } total ? new Money(sign * Math.Abs(total), currency) : null),
            Number = number,
            DueDate = dueDate,
            OriginalAmount = new Money(sign * amount, currency),
            OpenResidual = new Money(sign * residual, currency),
            PaymentType = paymentType,
            PaymentCode = h.Payment,
            UnpaidReceiptDate = unpaidDate,
        };
        return (installment, new Outcome(unpaidDate, reopening));
    }

    private RejectedRecord Reject(int? number, string table, string column, string? value, string reason, List<object?[]> rows)
    {
        var key = number is { } n ? Key(scheduleId, n).Value : string.Create(CultureInfo.InvariantCulture, $"mago/{scheduleId}/?");
        var field = column.Contains('.', StringComparison.Ordinal) ? column : $"{table}.{column}";
        var where = string.Create(CultureInfo.InvariantCulture, $"PymtSchedId={scheduleId}{(number is { } m ? $", InstallmentNo={m}" : string.Empty)}");
        return new RejectedRecord(
            new LedgerRecordError(key, field, value, $"{reason} [{field} of partita {where}]", Payload(rows)),
            number is { } known ? [Key(scheduleId, known)] : null);
    }

    private static string Payload(List<object?[]> rows)
    {
        var names = MagoSql.ScheduleColumns.Select(c => "p." + c)
            .Concat(MagoSql.DetailColumns.Select(c => "d." + c))
            .Concat(MagoSql.PaymentTermColumns.Select(c => "t." + c))
            .ToArray();
        var text = new StringBuilder();
        foreach (var row in rows)
        {
            text.Append('{');
            for (var i = 0; i < names.Length && i < row.Length; i++)
            {
                text.Append(i == 0 ? string.Empty : "; ").Append(names[i]).Append('=').Append(MagoValues.Text(row[i]));
            }

            text.Append('}');
        }

        return text.ToString();
    }

    private sealed record Header(
        int? CustSuppType,
        string? CustSupp,
        string? Payment,
        string? DocNo,
        LocalDate? DocumentDate,
        LocalDate? InstallmStartDate,
        bool Settled,
        bool CreditNote,
        decimal? TotalAmount,
        string? Currency,
        int? TermPaymentType);

    private sealed record Outcome(LocalDate? UnpaidDate, int? ReopeningNumber);
}
