using CreditRecovery.Calendar;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Testing;
using NodaTime;

namespace CreditRecovery.Storage.Worker;

/// <summary>
/// A deterministic receivables book: customers with several installments, due dates spread around the period, and a
/// subset paid (in full or in part) on given days. What the ledger shows on a date is a pure function of the seed and
/// the date, so every process (and every restart) sees exactly the same ledger for the same day.
/// </summary>
public sealed class GeneratedBook
{
    /// <summary>The company the book belongs to.</summary>
    public static readonly CompanyId Company = new("ACME");

    /// <summary>A fully automatic procedure: pre-due reminder, three dunning e-mails and a formal demand by PEC.</summary>
    public static readonly RecoveryProcedure Automatic = new()
    {
        Id = "auto",
        Name = "Automatic",
        Steps =
        [
            new() { Id = "reminder", Name = "Reminder", Action = StepAction.PreDueReminder, Timing = StepTiming.BeforeDue(5), TemplateId = "reminder" },
            new() { Id = "d1", Name = "Dunning 1", Action = StepAction.Email, Timing = StepTiming.AfterDue(2), TemplateId = "d1" },
            new() { Id = "d2", Name = "Dunning 2", Action = StepAction.Email, Timing = StepTiming.AfterPrevious(5), TemplateId = "d2" },
            new() { Id = "d3", Name = "Dunning 3", Action = StepAction.Email, Timing = StepTiming.AfterPrevious(5), TemplateId = "d3" },
            new() { Id = "pec", Name = "Formal demand", Action = StepAction.Pec, Timing = StepTiming.AfterPrevious(5), TemplateId = "pec" },
        ],
    };

    private readonly List<Customer> _customers = [];
    private readonly List<Entry> _entries = [];

    /// <summary>Generates the book.</summary>
    /// <param name="seed">The seed: the same seed gives the same book.</param>
    /// <param name="customers">How many customers.</param>
    /// <param name="installments">Installments per customer.</param>
    /// <param name="from">First day of the period.</param>
    /// <param name="to">Last day of the period.</param>
    public GeneratedBook(int seed, int customers, int installments, LocalDate from, LocalDate to)
    {
        var days = Period.Between(from, to, PeriodUnits.Days).Days;
        var random = new Random(seed);
        for (var c = 0; c < customers; c++)
        {
            var code = $"C{c:D5}";
            _customers.Add(new Customer
            {
                Company = Company,
                Code = code,
                Name = $"Cliente {code} S.r.l.",
                Email = $"amministrazione@{code.ToLowerInvariant()}.example",
                Pec = $"{code.ToLowerInvariant()}@pec.example",
                Address = new PostalAddress("Via Roma 1", "20100", "Milano", "MI"),
                Category = "STD",
            });

            for (var n = 1; n <= installments; n++)
            {
                // Due from 15 days before the period to 5 days after it: some cases enter mid-procedure, some are reminded.
                var due = from.PlusDays(random.Next(-15, days + 6));
                var cents = random.Next(5_000, 1_000_000);
                var roll = random.Next(100);
                int? paidOn = roll < 20 ? random.Next(0, days + 1) : null;
                int? partialOn = roll is >= 20 and < 35 ? random.Next(0, days + 1) : null;
                var percent = random.Next(10, 90);
                var key = $"{code}-{n}";
                _entries.Add(new Entry(
                    new Installment
                    {
                        Company = Company,
                        Key = new InstallmentKey(key),
                        CustomerCode = code,
                        Number = n,
                        Document = new DocumentReference(DocumentKind.Invoice, "FT-" + key, due.PlusDays(-30)),
                        DueDate = due,
                        OriginalAmount = Money.Eur(cents / 100m),
                        OpenResidual = Money.Eur(cents / 100m),
                    },
                    paidOn is null ? null : from.PlusDays(paidOn.Value),
                    partialOn is null ? null : from.PlusDays(partialOn.Value),
                    percent));
            }
        }
    }

    /// <summary>How many installments the book holds.</summary>
    public int InstallmentCount => _entries.Count;

    /// <summary>The ledger as it stands on <paramref name="date"/>.</summary>
    /// <param name="ledger">The ledger to fill (every customer and installment is put; nothing is removed).</param>
    /// <param name="date">The date.</param>
    public void FillLedger(ScriptedLedgerSource ledger, LocalDate date)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        foreach (var c in _customers)
        {
            ledger.Put(c);
        }

        foreach (var e in _entries)
        {
            var residual = e.Installment.OriginalAmount.Amount;
            if (e.PartialOn is { } partial && date >= partial)
            {
                residual = decimal.Round(residual * e.PartialPercent / 100m, 2);
            }

            if (e.PaidOn is { } paid && date >= paid)
            {
                residual = 0m;
            }

            ledger.Put(e.Installment with { OpenResidual = Money.Eur(residual) });
        }
    }

    /// <summary>Company settings for the book.</summary>
    public static CompanySettings Settings()
    {
        var settings = new CompanySettings
        {
            Id = Company.Value,
            Profile = new CompanyProfile { Name = "ACME S.p.A.", Email = "crediti@acme.example" },
            DefaultProcedureId = Automatic.Id,
            ManagerEmail = "manager@acme.example",
            Calendar = new ItalianCalendarOptions(),
        };
        settings.OperatorPool.Add(new OperatorId("anna"));
        return settings;
    }

    private sealed record Entry(Installment Installment, LocalDate? PaidOn, LocalDate? PartialOn, int PartialPercent);
}
