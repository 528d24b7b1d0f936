using System.Globalization;
using System.Text.Json.Nodes;
using NodaTime;
using NodaTime.Text;

namespace CreditRecovery.Samples.MexalDemo;

/// <summary>How a demo customer pays.</summary>
public enum DemoPayerProfile
{
    /// <summary>Pays on time (a few days either side).</summary>
    Punctual,

    /// <summary>Pays 10 to 75 days late, sometimes never.</summary>
    Late,

    /// <summary>Pays part of each installment, the rest later or never.</summary>
    Partial,

    /// <summary>Often never pays; bank receipts often come back unpaid.</summary>
    Bad,
}

/// <summary>The demo company's book, counted by scenario over the whole year (documents dated 2026).</summary>
public sealed record MexalDemoStatistics
{
    /// <summary>Customers (including the one deleted during the simulation).</summary>
    public int Customers { get; init; }

    /// <summary>Customers with a PEC address.</summary>
    public int CustomersWithPec { get; init; }

    /// <summary>Customers in category 4 (public administration) or 5 (group companies): the categories a host excludes.</summary>
    public int CustomersInExcludedCategories { get; init; }

    /// <summary>Customers whose notes say <c>NON SOLLECITARE</c> (do not dun).</summary>
    public int DoNotDunCustomers { get; init; }

    /// <summary>Customers whose notes say <c>BLOCCATO</c>.</summary>
    public int BlockedCustomers { get; init; }

    /// <summary>Customers by payer profile.</summary>
    public required IReadOnlyDictionary<DemoPayerProfile, int> CustomersByProfile { get; init; }

    /// <summary>Documents (invoices and credit notes).</summary>
    public int Documents { get; init; }

    /// <summary>Credit notes (causale <c>NC</c>).</summary>
    public int CreditNotes { get; init; }

    /// <summary>Installments of invoices (before any partial-payment split).</summary>
    public int Installments { get; init; }

    /// <summary>Installments by <c>tipo_scadenza</c> code (<c>B</c> RiBa, <c>F</c> bank transfer, <c>R</c> direct remittance).</summary>
    public required IReadOnlyDictionary<string, int> InstallmentsByType { get; init; }

    /// <summary>Installments paid in full on time (within 5 days of due, or RiBa collected).</summary>
    public int PaidOnTime { get; init; }

    /// <summary>Installments paid in full, late.</summary>
    public int PaidLate { get; init; }

    /// <summary>Installments partially paid (a paid row and an open remainder).</summary>
    public int PartiallyPaid { get; init; }

    /// <summary>RiBa that come back unpaid (*insoluti*).</summary>
    public int UnpaidReceipts { get; init; }

    /// <summary>Unpaid RiBa later paid by bank transfer.</summary>
    public int UnpaidReceiptsLaterPaid { get; init; }

    /// <summary>Installments never paid (remain open).</summary>
    public int NeverPaid { get; init; }

    /// <summary>Installments Mexal itself dunned (<c>data_sollecito</c> set when still open 25 days after due).</summary>
    public int DunnedInMexal { get; init; }

    /// <summary>Installments put in legal action in Mexal (<c>data_legale</c>, 90 days after due).</summary>
    public int InLegalAction { get; init; }
}

/// <summary>One change the demo's script applied on a simulated day.</summary>
/// <param name="Date">The simulated day.</param>
/// <param name="Kind">What happened: <c>invoice</c>, <c>payment</c>, <c>partial-payment</c>, <c>riba-presented</c>, <c>riba-collected</c>, <c>riba-unpaid</c>, <c>mexal-dunning</c>, <c>legal</c>, <c>customer-deleted</c>.</param>
/// <param name="Customer">The customer code.</param>
/// <param name="Description">A line for people.</param>
public sealed record MexalDemoEvent(LocalDate Date, string Kind, string Customer, string Description);

/// <summary>
/// The demo company (Mexal company <c>DEM</c>, year 2026), generated deterministically from a seed, held as Mexal WebAPI
/// records (<c>/clienti</c>, <c>/scadenzario</c>, <c>/dati-generali/pagamenti</c>) and moved day by day by a script of
/// events: invoices registered, payments, partial payments, RiBa presented, collected or returned unpaid, Mexal's own
/// dunning and legal dates, a customer deleted. Every change stamps <c>data_ult_mod</c>; deletions go to the register.
/// </summary>
public sealed class MexalDemoBook
{
    private static readonly LocalDatePattern Date = LocalDatePattern.CreateWithInvariantCulture("uuuuMMdd");
    private static readonly LocalDateTimePattern Stamp = LocalDateTimePattern.CreateWithInvariantCulture("uuuuMMdd HHmmss");

    private readonly object _gate = new();
    private readonly List<JsonObject> _customers = [];
    private readonly List<JsonObject> _scadenzario = [];
    private readonly List<JsonObject> _payments = [];
    private readonly List<(JsonObject Entry, LocalDateTime At)> _deleted = [];
    private readonly List<PlannedEvent> _script = [];
    private readonly List<MexalDemoEvent> _history = [];
    private int _nextEvent;
    private LocalDateTime _stamp;

    internal MexalDemoBook(int seed, LocalDate start, int customers)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(customers, 10);
        Seed = seed;
        _stamp = new LocalDate(2025, 12, 31).At(new LocalTime(18, 0));
        CurrentDate = new LocalDate(2025, 12, 31);
        Statistics = Generate(new Random(seed), start, customers);
        _script.Sort((a, b) => a.Date != b.Date ? a.Date.CompareTo(b.Date) : a.Order.CompareTo(b.Order));
        AdvanceTo(start);
    }

    /// <summary>The seed the book was generated from.</summary>
    public int Seed { get; }

    /// <summary>The simulated date: every scripted event up to it has been applied.</summary>
    public LocalDate CurrentDate { get; private set; }

    /// <summary>The book counted by scenario over the whole year.</summary>
    public MexalDemoStatistics Statistics { get; }

    /// <summary>The code of the customer the script deletes (with its documents) two days after the start.</summary>
    public string DeletedCustomerCode { get; private set; } = string.Empty;

    /// <summary>Every event applied so far, in order.</summary>
    public IReadOnlyList<MexalDemoEvent> History
    {
        get
        {
            lock (_gate)
            {
                return _history.ToList();
            }
        }
    }

    /// <summary>
    /// The server's <c>data_ric_elab</c>: one second after the latest <c>data_ult_mod</c> stamped, as a clock reading "now"
    /// would be; the next change is stamped at it or later.
    /// </summary>
    public string LastStamp
    {
        get
        {
            lock (_gate)
            {
                return Stamp.Format(_stamp.PlusSeconds(1));
            }
        }
    }

    /// <summary>
    /// Applies the scripted events up to <paramref name="date"/> (inclusive), in order, and returns them. Moving backwards
    /// is an error; the same date twice applies nothing.
    /// </summary>
    /// <param name="date">The new simulated date.</param>
    /// <exception cref="ArgumentOutOfRangeException">The date is before <see cref="CurrentDate"/>.</exception>
    public IReadOnlyList<MexalDemoEvent> AdvanceTo(LocalDate date)
    {
        lock (_gate)
        {
            if (date < CurrentDate)
            {
                throw new ArgumentOutOfRangeException(nameof(date), $"The demo is at {CurrentDate:uuuu-MM-dd}; it cannot go back to {date:uuuu-MM-dd}.");
            }

            var applied = new List<MexalDemoEvent>();
            while (_nextEvent < _script.Count && _script[_nextEvent].Date <= date)
            {
                var e = _script[_nextEvent++];
                if (e.Apply(this) is { } description)
                {
                    var happened = new MexalDemoEvent(e.Date, e.Kind, e.Customer, description);
                    applied.Add(happened);
                    _history.Add(happened);
                }
            }

            CurrentDate = date;
            return applied;
        }
    }

    /// <summary>Runs <paramref name="action"/> on the live records under the book's lock (fault injection, tests).</summary>
    internal T Read<T>(Func<IReadOnlyList<JsonObject>, IReadOnlyList<JsonObject>, IReadOnlyList<JsonObject>, T> action)
    {
        lock (_gate)
        {
            return action(_customers, _scadenzario, _payments);
        }
    }

    /// <summary>
    /// The records of <c>clienti</c>, <c>scadenzario</c> or <c>dati-generali/pagamenti</c> as the server holds them now, in
    /// the WebAPI's format (deep copies: changing them changes nothing).
    /// </summary>
    /// <param name="resource">The resource path.</param>
    public IReadOnlyList<JsonObject> Records(string resource) => Snapshot(resource);

    /// <summary>Snapshots of the records of a resource (deep clones, safe to serve).</summary>
    internal List<JsonObject> Snapshot(string resource)
    {
        lock (_gate)
        {
            var source = resource switch
            {
                "clienti" => _customers,
                "scadenzario" => _scadenzario,
                "dati-generali/pagamenti" => _payments,
                _ => null,
            };
            return source?.Select(r => (JsonObject)r.DeepClone()).ToList() ?? [];
        }
    }

    /// <summary>Entries of the deleted-records register after <paramref name="since"/> (all when null) for the archives asked.</summary>
    internal List<JsonObject> DeletedSince(string? since, IReadOnlySet<string> archives)
    {
        lock (_gate)
        {
            var from = since is null ? (LocalDateTime?)null : Stamp.Parse(since).GetValueOrThrow();
            return _deleted.Where(d => (from is null || d.At > from) && archives.Contains((string)d.Entry["archivio"]!))
                .Select(d => (JsonObject)d.Entry.DeepClone()).ToList();
        }
    }

    /// <summary>Changes records under the lock, stamping them; used by fault injection.</summary>
    internal void Mutate(Action<List<JsonObject>, List<JsonObject>, Func<string>> change)
    {
        lock (_gate)
        {
            change(_customers, _scadenzario, () => NextStamp(CurrentDate));
        }
    }

    private string NextStamp(LocalDate day)
    {
        var morning = day.At(new LocalTime(8, 0));
        _stamp = _stamp < morning ? morning : _stamp.PlusSeconds(1);
        return Stamp.Format(_stamp);
    }

    private static string D(LocalDate date) => Date.Format(date);

    private static JsonArray Pairs(IEnumerable<(int Index, JsonNode? Value)> pairs) => new(pairs.Select(p => (JsonNode?)new JsonArray(p.Index, p.Value)).ToArray());

    private static void SetPair(JsonObject record, string field, int index, JsonNode? value)
    {
        var array = (JsonArray)record[field]!;
        foreach (var pair in array)
        {
            if ((int)pair![0]! == index)
            {
                pair.AsArray()[1] = value;
                return;
            }
        }

        array.Add(new JsonArray(index, value));
    }

    private static string GetPair(JsonObject record, string field, int index) =>
        ((JsonArray)record[field]!).Where(p => (int)p![0]! == index).Select(p => p![1]!.ToString()).FirstOrDefault() ?? string.Empty;

    private MexalDemoStatistics Generate(Random random, LocalDate start, int count)
    {
        _payments.AddRange(
        [
            Terms(1, "Rimessa diretta vista fattura", ("R", 0)),
            Terms(2, "Bonifico bancario 30 gg d.f.f.m.", ("F", 30)),
            Terms(3, "Ri.Ba. 30/60 gg d.f.f.m.", ("B", 30), ("B", 60)),
            Terms(4, "Ri.Ba. 60/90/120 gg d.f.f.m.", ("B", 60), ("B", 90), ("B", 120)),
            Terms(5, "Bonifico bancario 60 gg d.f.f.m.", ("F", 60)),
            Terms(6, "Rimessa diretta 30 gg d.f.", ("R", 30)),
            Terms(7, "Bonifico bancario 30/60 gg d.f.f.m.", ("F", 30), ("F", 60)),
        ]);

        var stats = new Counter();
        var prog = 1000;
        var number = 0;
        var plans = new List<PlannedCustomer>();
        for (var i = 1; i <= count + 1; i++)
        {
            var duplicate = i == count + 1;
            var customer = NewCustomer(random, i, duplicate);
            plans.Add(customer);
            _script.Add(new PlannedEvent(new LocalDate(2026, 1, 1), 0, "customer", customer.Code, book =>
            {
                book._customers.Add(customer.Json);
                customer.Json["data_ult_mod"] = book.NextStamp(new LocalDate(2026, 1, 1));
                return null;
            }));
        }

        // Documents, month by month: the duplicate customer gets two invoices just before the start and is deleted after it.
        foreach (var customer in plans)
        {
            var documents = new List<LocalDate>();
            if (customer.Duplicate)
            {
                documents.Add(start.PlusDays(-20));
                documents.Add(start.PlusDays(-10));
            }
            else
            {
                for (var month = 1; month <= 12; month++)
                {
                    var n = (int)customer.Volume + (random.NextDouble() < customer.Volume % 1 ? 1 : 0);
                    for (var k = 0; k < n; k++)
                    {
                        documents.Add(new LocalDate(2026, month, random.Next(1, 29)));
                    }
                }
            }

            foreach (var date in documents.Order())
            {
                var creditNote = !customer.Duplicate && random.NextDouble() < 0.01;
                var total = creditNote ? -Math.Round(50m + (decimal)random.NextDouble() * 500m, 2) : Math.Round(150m + (decimal)Math.Pow(random.NextDouble(), 2) * 12000m, 2);
                AddDocument(random, stats, customer, date, ++prog, ++number, creditNote, total);
            }
        }

        var deleted = plans[^1];
        DeletedCustomerCode = deleted.Code;
        _script.Add(new PlannedEvent(start.PlusDays(2), 9, "customer-deleted", deleted.Code, book =>
        {
            var at = book.StampAt(start.PlusDays(2));
            foreach (var record in book._scadenzario.Where(r => (string)r["codice"]! == deleted.Code).ToList())
            {
                book._scadenzario.Remove(record);
                book._deleted.Add((new JsonObject
                {
                    ["archivio"] = "scadenzario",
                    ["tipo_operazione"] = "C",
                    ["chiave"] = $"{record["codice"]}+{record["dt_registr_doc"]}+{record["prog_primanota"]}+{record["anno_primanota"]}",
                    ["data_ora"] = Stamp.Format(at),
                }, at));
            }

            book._customers.RemoveAll(c => (string)c["codice"]! == deleted.Code);
            book._deleted.Add((new JsonObject { ["archivio"] = "clienti", ["tipo_operazione"] = "C", ["chiave"] = deleted.Code, ["data_ora"] = Stamp.Format(at) }, at));
            return $"customer {deleted.Code} ({deleted.Name}) deleted in Mexal with its documents (a duplicate)";
        }));

        return stats.ToStatistics(plans);
    }

    private LocalDateTime StampAt(LocalDate day)
    {
        NextStamp(day);
        return _stamp;
    }

    private static JsonObject Terms(int id, string description, params (string Type, int Days)[] installments) => new()
    {
        ["id"] = id,
        ["descrizione"] = description,
        ["tp_pagamento"] = Pairs(installments.Select((x, i) => (i + 1, (JsonNode?)x.Type))),
        ["giorni_scadenza"] = Pairs(installments.Select((x, i) => (i + 1, (JsonNode?)x.Days))),
        ["percentuale"] = Pairs(installments.Select((_, i) => (i + 1, (JsonNode?)Math.Round(100m / installments.Length, 2)))),
        ["scadenza_fissa"] = 0,
        ["giorni_proroga"] = 0,
    };

    private static PlannedCustomer NewCustomer(Random random, int i, bool duplicate)
    {
        var city = DemoNames.Cities[random.Next(DemoNames.Cities.Length)];
        var surname = DemoNames.Surnames[random.Next(DemoNames.Surnames.Length)];
        var activity = DemoNames.Activities[random.Next(DemoNames.Activities.Length)];
        var form = random.NextDouble() switch { < 0.5 => "S.r.l.", < 0.6 => "S.p.A.", < 0.75 => "S.n.c.", < 0.85 => "S.a.s.", < 0.9 => "S.r.l.s.", _ => null };
        var name = form is null
            ? $"{activity} di {DemoNames.FirstNames[random.Next(DemoNames.FirstNames.Length)]} {surname}"
            : random.Next(3) switch
            {
                0 => $"{activity} {surname} {form}",
                1 => $"{surname} & {DemoNames.Surnames[random.Next(DemoNames.Surnames.Length)]} {form}",
                _ => $"{surname} {activity} {form}",
            };
        if (duplicate)
        {
            name += " (DUPLICATO)";
        }

        var code = string.Create(CultureInfo.InvariantCulture, $"501.{(duplicate ? 99999 : i):D5}");
        var vat = DemoNames.VatNumber(random, city.Office);
        var slug = DemoNames.Slug(form is null ? name : name.Replace(form, string.Empty, StringComparison.Ordinal));
        var profile = random.NextDouble() switch { < 0.45 => DemoPayerProfile.Punctual, < 0.75 => DemoPayerProfile.Late, < 0.85 => DemoPayerProfile.Partial, _ => DemoPayerProfile.Bad };
        var terms = random.NextDouble() switch { < 0.22 => 3, < 0.40 => 4, < 0.55 => 2, < 0.65 => 5, < 0.75 => 7, < 0.88 => 1, _ => 6 };
        var category = random.NextDouble() switch { < 0.38 => 1, < 0.68 => 2, < 0.90 => 3, < 0.95 => 4, _ => 5 };
        var note = random.NextDouble() switch
        {
            < 0.03 => "NON SOLLECITARE: accordo con la direzione commerciale",
            < 0.05 => "BLOCCATO: contestazione della fornitura in corso",
            _ => string.Empty,
        };
        var hasPec = random.NextDouble() < 0.6;
        var street = $"{DemoNames.Streets[random.Next(DemoNames.Streets.Length)]} {random.Next(1, 180)}";
        var json = new JsonObject
        {
            ["codice"] = code,
            ["ragione_sociale"] = name,
            ["tp_nazionalita"] = "I",
            ["cod_paese"] = "IT",
            ["gest_per_fisica"] = form is null ? "S" : "N",
            ["partita_iva"] = "IT" + vat,
            ["codice_fiscale"] = vat,
            ["cognome"] = form is null ? surname : string.Empty,
            ["nome"] = string.Empty,
            ["indirizzo"] = street,
            ["cap"] = city.Cap,
            ["localita"] = city.City,
            ["provincia"] = city.Province,
            ["telefono"] = $"{city.Prefix} {random.Next(1000000, 9999999)}",
            ["fax"] = string.Empty,
            ["email"] = $"amministrazione@{slug}.example",
            ["pec"] = hasPec ? $"{slug}@pec.example" : string.Empty,
            ["url"] = string.Empty,
            ["cod_pagamento"] = terms,
            ["cod_cat_sta"] = category,
            ["cod_zona"] = city.Zone,
            ["cod_agente"] = string.Create(CultureInfo.InvariantCulture, $"511.{1 + random.Next(4):D5}"),
            ["tp_rating"] = profile switch { DemoPayerProfile.Punctual => "A", DemoPayerProfile.Late => "B", DemoPayerProfile.Partial => "C", _ => "D" },
            ["nr_insoluti"] = 0,
            ["tot_insoluti"] = 0m,
            ["fido"] = (decimal)(5000 * (1 + random.Next(10))),
            ["descr_nota"] = Pairs([(1, (JsonNode?)note), (2, string.Empty)]),
            ["conto_precanc"] = "N",
            ["utente_ult_mod"] = "ADMIN",
            ["data_ult_mod"] = string.Empty,
        };
        return new PlannedCustomer(code, name, profile, terms, category, hasPec, note, json, duplicate)
        {
            Volume = duplicate ? 0 : 0.3 + (random.NextDouble() * 1.4),
            MexalDunning = profile is DemoPayerProfile.Late or DemoPayerProfile.Bad && random.NextDouble() < 0.15,
            Legal = profile == DemoPayerProfile.Bad && random.NextDouble() < 0.15,
        };
    }

    private void AddDocument(Random random, Counter stats, PlannedCustomer customer, LocalDate date, int prog, int number, bool creditNote, decimal total)
    {
        var terms = _payments[customer.Terms - 1];
        var types = ((JsonArray)terms["tp_pagamento"]!).Select(p => p![1]!.ToString()).ToList();
        var days = ((JsonArray)terms["giorni_scadenza"]!).Select(p => (int)p![1]!).ToList();
        if (creditNote)
        {
            (types, days) = (["R"], [0]);
        }

        var n = types.Count;
        var record = new JsonObject
        {
            ["codice"] = customer.Code,
            ["data_documento"] = D(date),
            ["serie"] = 1,
            ["numero"] = number,
            ["numero_esteso"] = string.Empty,
            ["causale"] = creditNote ? "NC" : "FT",
            ["codice_agente"] = (string)customer.Json["cod_agente"]!,
            ["numero_valuta"] = 0,
            ["protocollo_iva"] = number.ToString(CultureInfo.InvariantCulture),
            ["dt_registr_doc"] = D(date),
            ["prog_primanota"] = prog,
            ["anno_primanota"] = 2026,
            ["tipo_scadenza"] = new JsonArray(),
            ["dt_sca_pg"] = new JsonArray(),
            ["imp_scadenza"] = new JsonArray(),
            ["imp_sca_vlt_doc"] = new JsonArray(),
            ["stato_pagamento"] = new JsonArray(),
            ["dt_sca_origine"] = new JsonArray(),
            ["data_sollecito"] = new JsonArray(),
            ["data_recupero"] = new JsonArray(),
            ["data_legale"] = new JsonArray(),
            ["nr_prot_effetti"] = new JsonArray(),
            ["dt_sca_emissione_eff"] = new JsonArray(),
            ["id_effetto"] = new JsonArray(),
            ["utente_ult_mod"] = "ADMIN",
            ["data_ult_mod"] = string.Empty,
        };

        var amounts = new decimal[n];
        for (var k = 0; k < n; k++)
        {
            amounts[k] = k < n - 1 ? Math.Round(total / n, 2) : total - amounts.Take(n - 1).Sum();
        }

        var dues = new LocalDate[n];
        for (var k = 0; k < n; k++)
        {
            var due = date.PlusDays(days[k]);
            dues[k] = customer.Terms is 1 or 6 || creditNote ? due : due.With(DateAdjusters.EndOfMonth);
            var index = k + 1;
            SetPair(record, "tipo_scadenza", index, types[k]);
            SetPair(record, "dt_sca_pg", index, D(dues[k]));
            SetPair(record, "imp_scadenza", index, amounts[k]);
            SetPair(record, "imp_sca_vlt_doc", index, amounts[k]);
            SetPair(record, "stato_pagamento", index, string.Empty);
            SetPair(record, "dt_sca_origine", index, D(dues[k]));
            SetPair(record, "data_sollecito", index, string.Empty);
            SetPair(record, "data_recupero", index, string.Empty);
            SetPair(record, "data_legale", index, string.Empty);
            SetPair(record, "nr_prot_effetti", index, 0);
            SetPair(record, "dt_sca_emissione_eff", index, string.Empty);
            SetPair(record, "id_effetto", index, string.Empty);
        }

        stats.Document(creditNote);
        var docText = $"invoice {number}/1 of {D(date)}";
        _script.Add(new PlannedEvent(date, 1, creditNote ? "credit-note" : "invoice", customer.Code, book =>
        {
            record["data_ult_mod"] = book.NextStamp(date);
            book._scadenzario.Add(record);
            return $"{(creditNote ? "credit note" : "invoice")} {number}/1 of {date:uuuu-MM-dd} for {total:0.00} EUR registered ({n} installment{(n == 1 ? string.Empty : "s")})";
        }));

        if (creditNote || customer.Duplicate)
        {
            return;
        }

        for (var k = 0; k < n; k++)
        {
            PlanFate(random, stats, customer, record, k + 1, dues[k], amounts[k], types[k], date, docText);
        }
    }

    private void PlanFate(Random random, Counter stats, PlannedCustomer customer, JsonObject record, int index, LocalDate due, decimal amount, string type, LocalDate documentDate, string docText)
    {
        stats.Installment(type);
        var what = $"{docText}, installment {index} due {due:uuuu-MM-dd}";
        LocalDate? openUntil = null; // Still open at this date when Mexal's dunning or legal dates are considered; null = never paid.

        void Event(LocalDate date, string kind, Func<MexalDemoBook, string?> apply) =>
            _script.Add(new PlannedEvent(LocalDate.Max(date, documentDate), 2, kind, customer.Code, apply));

        string Touch(MexalDemoBook book, LocalDate date) => (string)(record["data_ult_mod"] = book.NextStamp(date))!;

        if (type == "B")
        {
            var presented = LocalDate.Max(documentDate.PlusDays(1), due.PlusDays(-20));
            Event(presented, "riba-presented", book =>
            {
                SetPair(record, "stato_pagamento", index, "E");
                SetPair(record, "nr_prot_effetti", index, 100 + presented.DayOfYear);
                SetPair(record, "dt_sca_emissione_eff", index, D(due));
                SetPair(record, "id_effetto", index, $"EF{record["prog_primanota"]}-{index}");
                Touch(book, presented);
                return $"{what}: RiBa presented to the bank";
            });

            var unpaidChance = customer.Profile switch { DemoPayerProfile.Punctual => 0.02, DemoPayerProfile.Late => 0.10, DemoPayerProfile.Partial => 0.15, _ => 0.35 };
            if (random.NextDouble() < unpaidChance)
            {
                stats.Unpaid();
                var returned = due.PlusDays(random.Next(5, 10));
                Event(returned, "riba-unpaid", book =>
                {
                    SetPair(record, "stato_pagamento", index, "I");
                    Touch(book, returned);
                    var c = book._customers.FirstOrDefault(x => (string)x["codice"]! == customer.Code);
                    if (c is not null)
                    {
                        c["nr_insoluti"] = (int)c["nr_insoluti"]! + 1;
                        c["tot_insoluti"] = (decimal)c["tot_insoluti"]! + amount;
                        c["data_ult_mod"] = book.NextStamp(returned);
                    }

                    return $"{what}: RiBa returned unpaid (insoluto) for {amount:0.00} EUR";
                });

                if (random.NextDouble() < (customer.Profile == DemoPayerProfile.Bad ? 0.2 : 0.5))
                {
                    stats.UnpaidLaterPaid();
                    var paid = returned.PlusDays(random.Next(15, 60));
                    openUntil = paid;
                    Event(paid, "payment", book =>
                    {
                        SetPair(record, "stato_pagamento", index, "P");
                        SetPair(record, "dt_sca_pg", index, D(paid));
                        Touch(book, paid);
                        return $"{what}: the unpaid RiBa paid by bank transfer";
                    });
                }
                else
                {
                    stats.Never();
                }
            }
            else
            {
                stats.OnTime();
                var collected = due.PlusDays(10);
                Event(collected, "riba-collected", book =>
                {
                    SetPair(record, "stato_pagamento", index, "P");
                    Touch(book, collected);
                    return $"{what}: RiBa collected (salvo buon fine passed)";
                });
                return;
            }
        }
        else
        {
            var roll = random.NextDouble();
            switch (customer.Profile)
            {
                case DemoPayerProfile.Punctual when roll < 0.95:
                case DemoPayerProfile.Late when roll < 0.05:
                    var onTime = LocalDate.Max(documentDate, due.PlusDays(random.Next(-5, 4)));
                    stats.OnTime();
                    Pay(onTime);
                    return;
                case DemoPayerProfile.Partial:
                    var part = Math.Round(amount * (decimal)(0.3 + (random.NextDouble() * 0.4)), 2);
                    var partialOn = due.PlusDays(random.Next(5, 26));
                    stats.Partial();
                    Event(partialOn, "partial-payment", book =>
                    {
                        var open = NextIndex(record);
                        SetPair(record, "imp_scadenza", index, part);
                        SetPair(record, "imp_sca_vlt_doc", index, part);
                        SetPair(record, "stato_pagamento", index, "P");
                        SetPair(record, "dt_sca_pg", index, D(partialOn));
                        SetPair(record, "tipo_scadenza", open, type);
                        SetPair(record, "dt_sca_pg", open, D(due));
                        SetPair(record, "imp_scadenza", open, amount - part);
                        SetPair(record, "imp_sca_vlt_doc", open, amount - part);
                        SetPair(record, "stato_pagamento", open, string.Empty);
                        SetPair(record, "dt_sca_origine", open, D(due));
                        SetPair(record, "data_sollecito", open, string.Empty);
                        SetPair(record, "data_recupero", open, string.Empty);
                        SetPair(record, "data_legale", open, string.Empty);
                        Touch(book, partialOn);
                        return $"{what}: partial payment of {part:0.00} EUR, {amount - part:0.00} EUR still open";
                    });
                    if (random.NextDouble() < 0.5)
                    {
                        var rest = partialOn.PlusDays(random.Next(20, 61));
                        openUntil = rest;
                        Event(rest, "payment", book =>
                        {
                            var open = OpenIndex(record, due, index);
                            SetPair(record, "stato_pagamento", open, "P");
                            SetPair(record, "dt_sca_pg", open, D(rest));
                            Touch(book, rest);
                            return $"{what}: the rest paid";
                        });
                    }

                    break;
                case DemoPayerProfile.Punctual:
                case DemoPayerProfile.Late when roll < 0.9:
                case DemoPayerProfile.Bad when roll < 0.45:
                    var late = due.PlusDays(customer.Profile == DemoPayerProfile.Bad ? random.Next(30, 121) : random.Next(10, 76));
                    stats.Late();
                    openUntil = late;
                    Pay(late);
                    break;
                default:
                    stats.Never();
                    break;
            }
        }

        void Pay(LocalDate on)
        {
            Event(on, "payment", book =>
            {
                SetPair(record, "stato_pagamento", index, "P");
                SetPair(record, "dt_sca_pg", index, D(on));
                Touch(book, on);
                return $"{what}: paid";
            });
        }

        // Mexal's own dunning and legal action, on what is still open by then.
        var dunningOn = due.PlusDays(25);
        if (customer.MexalDunning && (openUntil is null || openUntil > dunningOn))
        {
            stats.Dunned();
            Event(dunningOn, "mexal-dunning", book =>
            {
                SetPair(record, "data_sollecito", OpenIndex(record, due, index), D(dunningOn));
                Touch(book, dunningOn);
                return $"{what}: dunning letter printed in Mexal (data_sollecito)";
            });
        }

        var legalOn = due.PlusDays(90);
        if (customer.Legal && openUntil is null)
        {
            stats.Legal();
            Event(legalOn, "legal", book =>
            {
                SetPair(record, "data_legale", OpenIndex(record, due, index), D(legalOn));
                Touch(book, legalOn);
                return $"{what}: handed to the lawyer in Mexal (data_legale)";
            });
        }
    }

    private static int NextIndex(JsonObject record) => ((JsonArray)record["imp_scadenza"]!).Max(p => (int)p![0]!) + 1;

    /// <summary>The open row of an installment: after a partial payment, the remainder row with the same original due date.</summary>
    private static int OpenIndex(JsonObject record, LocalDate due, int index)
    {
        foreach (var pair in (JsonArray)record["dt_sca_origine"]!)
        {
            var i = (int)pair![0]!;
            if (pair[1]!.ToString() == D(due) && GetPair(record, "stato_pagamento", i) != "P")
            {
                return i;
            }
        }

        return index;
    }

    private sealed record PlannedEvent(LocalDate Date, int Order, string Kind, string Customer, Func<MexalDemoBook, string?> Apply);

    private sealed record PlannedCustomer(string Code, string Name, DemoPayerProfile Profile, int Terms, int Category, bool HasPec, string Note, JsonObject Json, bool Duplicate)
    {
        public double Volume { get; init; }

        public bool MexalDunning { get; init; }

        public bool Legal { get; init; }
    }

    private sealed class Counter
    {
        private readonly Dictionary<string, int> _types = new(StringComparer.Ordinal);
        private int _documents, _creditNotes, _installments, _onTime, _late, _partial, _unpaid, _unpaidPaid, _never, _dunned, _legal;

        public void Document(bool creditNote)
        {
            _documents++;
            if (creditNote)
            {
                _creditNotes++;
            }
        }

        public void Installment(string type)
        {
            _installments++;
            _types[type] = _types.GetValueOrDefault(type) + 1;
        }

        public void OnTime() => _onTime++;

        public void Late() => _late++;

        public void Partial() => _partial++;

        public void Unpaid() => _unpaid++;

        public void UnpaidLaterPaid() => _unpaidPaid++;

        public void Never() => _never++;

        public void Dunned() => _dunned++;

        public void Legal() => _legal++;

        public MexalDemoStatistics ToStatistics(List<PlannedCustomer> customers) => new()
        {
            Customers = customers.Count,
            CustomersWithPec = customers.Count(c => c.HasPec),
            CustomersInExcludedCategories = customers.Count(c => c.Category is 4 or 5),
            DoNotDunCustomers = customers.Count(c => c.Note.StartsWith("NON SOLLECITARE", StringComparison.Ordinal)),
            BlockedCustomers = customers.Count(c => c.Note.StartsWith("BLOCCATO", StringComparison.Ordinal)),
            CustomersByProfile = customers.GroupBy(c => c.Profile).ToDictionary(g => g.Key, g => g.Count()),
            Documents = _documents,
            CreditNotes = _creditNotes,
            Installments = _installments,
            InstallmentsByType = new Dictionary<string, int>(_types, StringComparer.Ordinal),
            PaidOnTime = _onTime,
            PaidLate = _late,
            PartiallyPaid = _partial,
            UnpaidReceipts = _unpaid,
            UnpaidReceiptsLaterPaid = _unpaidPaid,
            NeverPaid = _never,
            DunnedInMexal = _dunned,
            InLegalAction = _legal,
        };
    }
}
