using System.Globalization;
using System.Text.Json;
using CreditRecovery.Ledger;
using NodaTime;

namespace CreditRecovery.Adapters.Mexal;

/// <summary>One row of <c>/dati-generali/pagamenti</c>: the payment terms (*condizione di pagamento*) and the type of their first installment.</summary>
internal sealed record MexalPaymentTerms(long Id, string? Description, string? FirstInstallmentType);

/// <summary>Maps <c>/clienti</c> records to customers and reads the payment-terms table.</summary>
internal sealed class MexalClienti(MexalLedgerOptions options, CompanyId company)
{
    /// <summary>The fields read from <c>/clienti</c>.</summary>
    public static readonly string[] Fields =
    [
        "codice", "ragione_sociale", "cognome", "nome", "partita_iva", "codice_fiscale", "indirizzo", "cap", "localita", "provincia", "cod_paese",
        "telefono", "fax", "email", "pec", "cod_pagamento", "cod_cat_sta", "cod_zona", "cod_agente", "tp_rating", "nr_insoluti", "tot_insoluti",
        "descr_nota", "data_ult_mod",
    ];

    /// <summary>The fields read from <c>/dati-generali/pagamenti</c>.</summary>
    public static readonly string[] PaymentFields = ["id", "descrizione", "tp_pagamento"];

    public static MexalPaymentTerms? ReadPaymentTerms(JsonElement record)
    {
        try
        {
            if (MexalValues.Integer(record, "id") is not { } id)
            {
                return null;
            }

            var types = MexalValues.Pairs(record, "tp_pagamento");
            var first = types.Count == 0 ? null : MexalValues.Text(types.First().Value, "tp_pagamento");
            return new MexalPaymentTerms(id, MexalValues.String(record, "descrizione"), first);
        }
        catch (MexalFieldException)
        {
            return null; // A payment row we cannot read only loses the fallback type of blank tipo_scadenza codes.
        }
    }

    /// <summary>The customer's code and usual payment terms (<c>cod_pagamento</c>), for installments with a blank type.</summary>
    public static (string? Code, long? PaymentTerms) ReadPaymentCode(JsonElement record)
    {
        try
        {
            return (MexalValues.String(record, "codice"), MexalValues.Integer(record, "cod_pagamento"));
        }
        catch (MexalFieldException)
        {
            return (null, null);
        }
    }

    public LedgerRecord Read(JsonElement record, MexalRecoveryMarks? marks, IReadOnlyDictionary<long, MexalPaymentTerms> payments)
    {
        string? code = null;
        try
        {
            code = MexalValues.String(record, "codice");
            if (code is null)
            {
                throw new MexalFieldException("codice", null, "the customer has no code");
            }

            var name = MexalValues.String(record, "ragione_sociale")
                ?? string.Join(' ', new[] { MexalValues.String(record, "cognome"), MexalValues.String(record, "nome") }.Where(s => s is not null)) switch
                {
                    { Length: > 0 } n => n,
                    _ => throw new MexalFieldException("ragione_sociale", null, "the customer has no name"),
                };

            var notes = MexalValues.Pairs(record, "descr_nota").Select(p => MexalValues.Text(p.Value, $"descr_nota[{p.Key}]")).Where(n => n is not null).ToList();
            var flags = CustomerFlags.None;
            if (Has(notes, options.DoNotDunNoteMarker))
            {
                flags |= CustomerFlags.DoNotDun;
            }

            if (Has(notes, options.BlockedNoteMarker))
            {
                flags |= CustomerFlags.Blocked;
            }

            LocalDate? extension = null;
            if (marks is not null)
            {
                Apply(options.DunningDateHandling, marks.Dunning, ref flags, ref extension);
                Apply(options.RecoveryDateHandling, marks.Recovery, ref flags, ref extension);
                Apply(options.LegalDateHandling, marks.Legal, ref flags, ref extension);
            }

            var unpaidCount = MexalValues.Integer(record, "nr_insoluti");
            var unpaidTotal = record.TryGetProperty("tot_insoluti", out var t) && t.ValueKind == JsonValueKind.Number ? MexalValues.Decimal(t, "tot_insoluti") : 0m;
            var paymentTerms = MexalValues.Integer(record, "cod_pagamento");
            var lines = new List<string>(notes!);
            if (unpaidCount is > 0)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"Mexal: {unpaidCount} unpaid receipts (insoluti), {new Money(unpaidTotal, options.Currency)}."));
            }

            if (paymentTerms is { } p and > 0)
            {
                lines.Add(string.Create(CultureInfo.InvariantCulture, $"Mexal payment terms {p}{(payments.TryGetValue(p, out var terms) && terms.Description is { } d ? ": " + d : string.Empty)}."));
            }

            if (marks is not null)
            {
                lines.AddRange(MarkNotes(marks));
            }

            var street = MexalValues.String(record, "indirizzo");
            var country = MexalValues.String(record, "cod_paese");
            return new CustomerRecord(new Customer
            {
                Company = company,
                Code = code,
                Name = name,
                VatNumber = MexalValues.String(record, "partita_iva"),
                TaxCode = MexalValues.String(record, "codice_fiscale"),
                Category = NonZero(MexalValues.String(record, "cod_cat_sta")),
                SalesArea = NonZero(MexalValues.String(record, "cod_zona")),
                Agent = MexalValues.String(record, "cod_agente"),
                Rating = MexalValues.String(record, "tp_rating"),
                Address = street is null
                    ? null
                    : new PostalAddress(street, MexalValues.String(record, "cap") ?? string.Empty, MexalValues.String(record, "localita") ?? string.Empty,
                        MexalValues.String(record, "provincia"), country is { Length: 2 } ? country.ToUpperInvariant() : "IT"),
                Phone = MexalValues.String(record, "telefono"),
                Fax = MexalValues.String(record, "fax"),
                Email = MexalValues.String(record, "email"),
                Pec = MexalValues.String(record, "pec"),
                Notes = lines.Count == 0 ? null : string.Join('\n', lines),
                Flags = flags,
                ExtensionUntil = extension,
            });
        }
        catch (MexalFieldException ex)
        {
            return new RejectedRecord(new LedgerRecordError("clienti " + (code ?? "?"), ex.Field, ex.Value, ex.Message, record.GetRawText()));
        }
    }

    private void Apply(MexalRecoveryDateHandling handling, LocalDate? date, ref CustomerFlags flags, ref LocalDate? extension)
    {
        if (date is not { } d)
        {
            return;
        }

        switch (handling)
        {
            case MexalRecoveryDateHandling.BlockCustomer:
                flags |= CustomerFlags.Blocked;
                break;
            case MexalRecoveryDateHandling.DoNotDunCustomer:
                flags |= CustomerFlags.DoNotDun;
                break;
            case MexalRecoveryDateHandling.ExtendCustomer:
                var until = d.PlusDays(options.QuietDaysAfterMexalDunning);
                extension = extension is { } e ? LocalDate.Max(e, until) : until;
                break;
        }
    }

    private static IEnumerable<string> MarkNotes(MexalRecoveryMarks marks)
    {
        if (marks.Dunning is { } d)
        {
            yield return "Mexal: an open installment was dunned on " + MexalValues.FormatDate(d) + " (data_sollecito).";
        }

        if (marks.Recovery is { } r)
        {
            yield return "Mexal: an open installment is in recovery since " + MexalValues.FormatDate(r) + " (data_recupero).";
        }

        if (marks.Legal is { } l)
        {
            yield return "Mexal: an open installment is in legal action since " + MexalValues.FormatDate(l) + " (data_legale).";
        }
    }

    private static bool Has(List<string?> notes, string marker) =>
        marker.Length > 0 && notes.Any(n => n!.Contains(marker, StringComparison.OrdinalIgnoreCase));

    private static string? NonZero(string? code) => code is null or "0" ? null : code;
}
