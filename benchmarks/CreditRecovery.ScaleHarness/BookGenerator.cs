using NodaTime;

namespace CreditRecovery.ScaleHarness;

/// <summary>
/// A deterministic book of open installments: the same seed and size give the same customers and installments, record
/// for record, on every machine (<see cref="Random(int)"/> with a seed is stable across .NET releases).
/// </summary>
/// <remarks>
/// <para>Customers: one per ten installments on average, each with 1–50 installments (a skewed distribution: most have
/// a few, some have dozens), grouped into invoices of 1–3 installments. 95 % have an e-mail address, 80 % a PEC
/// address; 1 % are BLOCKED and 0.5 % DO-NOT-DUN.</para>
/// <para>Installments: payment types as an Italian SME's book (45 % bank receipts, 35 % bank transfers, 10 % direct
/// remittance, 8 % SEPA direct debit, 2 % cash), amounts log-normal around €800, 10 % partly paid, 3 % of the past-due
/// bank receipts came back unpaid. Due dates spread over a year around the measured day. About
/// <see cref="DueFraction"/> of the installments are placed so that a step of the procedure (or the due-date
/// transition) falls on the measured day; the others avoid those dates, so the daily run finds about that share due.</para>
/// </remarks>
public sealed class BookGenerator
{
    /// <summary>The share of installments due for an action on the measured day.</summary>
    public const double DueFraction = 0.05;

    /// <summary>The share of the ledger that changes between the setup day and the measured day (P3).</summary>
    public const double ChangeFraction = 0.01;

    private static readonly string[] Categories = ["STD", "STD", "STD", "GDO", "PA", "EXPORT"];
    private static readonly string[] Cities = ["Milano", "Roma", "Torino", "Napoli", "Bologna", "Firenze", "Verona", "Bari"];

    private readonly int _seed;
    private readonly int[] _counts;
    private readonly int[] _firstIndex;

    /// <summary>Creates the generator of a book.</summary>
    /// <param name="installments">Open installments in the book.</param>
    /// <param name="seed">The seed.</param>
    /// <param name="company">The company.</param>
    /// <param name="measuredDay">The day the daily run is measured on.</param>
    public BookGenerator(int installments, int seed, CompanyId company, LocalDate measuredDay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(installments, 10);
        Installments = installments;
        _seed = seed;
        Company = company;
        MeasuredDay = measuredDay;
        CustomerCount = Math.Max(1, installments / 10);

        // Installments per customer: log-normal (median ~6, mean ~10), clamped to 1..50, then nudged to the exact total.
        var random = new Random(seed);
        _counts = new int[CustomerCount];
        long total = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] = Math.Clamp((int)Math.Round(Math.Exp(1.8 + (0.9 * Normal(random)))), 1, 50);
            total += _counts[i];
        }

        while (total != installments)
        {
            var i = random.Next(_counts.Length);
            if (total < installments && _counts[i] < 50)
            {
                _counts[i]++;
                total++;
            }
            else if (total > installments && _counts[i] > 1)
            {
                _counts[i]--;
                total--;
            }
        }

        _firstIndex = new int[CustomerCount];
        for (int i = 0, next = 0; i < CustomerCount; i++)
        {
            _firstIndex[i] = next;
            next += _counts[i];
        }
    }

    /// <summary>The company.</summary>
    public CompanyId Company { get; }

    /// <summary>The day the daily run is measured on.</summary>
    public LocalDate MeasuredDay { get; }

    /// <summary>Open installments in the book (before the measured day's changes).</summary>
    public int Installments { get; }

    /// <summary>Customers in the book.</summary>
    public int CustomerCount { get; }

    /// <summary>The largest number of installments of one customer.</summary>
    public int MaxInstallmentsPerCustomer => _counts.Max();

    /// <summary>Days from the due date to each dated event of the standard procedure (the due-date transition included).</summary>
    internal static int[] EventOffsets { get; } = [-BenchProcedures.ReminderDays, 1, BenchProcedures.Dunning1Days, BenchProcedures.Dunning2Days, BenchProcedures.FormalDemandDays, BenchProcedures.CallDays];

    /// <summary>Whether an installment due on <paramref name="due"/> has a dated event of the standard procedure on <paramref name="day"/>.</summary>
    /// <param name="due">The due date.</param>
    /// <param name="day">The day.</param>
    public static bool HasEventOn(LocalDate due, LocalDate day) => Array.IndexOf(EventOffsets, Period.Between(due, day, PeriodUnits.Days).Days) >= 0;

    /// <summary>The customer code of customer <paramref name="index"/>.</summary>
    /// <param name="index">The index.</param>
    public static string CustomerCode(int index) => "C" + index.ToString("D6", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The book's customers, in code order.</summary>
    public IEnumerable<Customer> Customers()
    {
        for (var i = 0; i < CustomerCount; i++)
        {
            yield return Customer(i);
        }
    }

    /// <summary>The customer of index <paramref name="index"/>.</summary>
    /// <param name="index">The index.</param>
    public Customer Customer(int index)
    {
        var random = new Random(HashCode(_seed, index, 1));
        var code = CustomerCode(index);
        var lower = code.ToLowerInvariant();
        var flagDraw = random.NextDouble();
        return new Customer
        {
            Company = Company,
            Code = code,
            Name = $"Cliente {code} S.r.l.",
            VatNumber = "IT" + random.NextInt64(10_000_000_000, 99_999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Category = Categories[random.Next(Categories.Length)],
            Email = random.NextDouble() < 0.95 ? $"amministrazione@{lower}.example" : null,
            Pec = random.NextDouble() < 0.80 ? $"{lower}@pec.example" : null,
            Phone = "+39 02 " + random.Next(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture),
            Address = new PostalAddress($"Via Roma {random.Next(1, 200)}", "20100", Cities[random.Next(Cities.Length)]),
            Flags = flagDraw < 0.01 ? CustomerFlags.Blocked : flagDraw < 0.015 ? CustomerFlags.DoNotDun : CustomerFlags.None,
        };
    }

    /// <summary>The installments of customer <paramref name="index"/> as the ledger shows them on the setup day.</summary>
    /// <param name="index">The customer's index.</param>
    public IEnumerable<Installment> InstallmentsOf(int index)
    {
        var random = new Random(HashCode(_seed, index, 2));
        var code = CustomerCode(index);
        var remaining = _counts[index];
        var document = 0;
        while (remaining > 0)
        {
            document++;
            var rates = Math.Min(remaining, random.Next(1, 4));
            remaining -= rates;
            var type = PaymentTypeDraw(random.NextDouble());
            var docNumber = $"{code}-{document:D3}";
            for (var n = 1; n <= rates; n++)
            {
                var due = DueDate(random);
                var amount = decimal.Round((decimal)Math.Exp(6.7 + (0.9 * Normal(random))), 2) + 1m;
                var residual = random.NextDouble() < 0.10 ? decimal.Round(amount * 0.6m, 2) : amount;
                LocalDate? unpaid = type == PaymentType.BankReceipt && due < MeasuredDay.PlusDays(-30) && random.NextDouble() < 0.03
                    ? due.PlusDays(random.Next(5, 20))
                    : null;
                yield return new Installment
                {
                    Company = Company,
                    Key = new InstallmentKey($"{docNumber}/{n}"),
                    CustomerCode = code,
                    Document = new DocumentReference(DocumentKind.Invoice, docNumber, due.PlusDays(-30 * n)),
                    Number = n,
                    DueDate = due,
                    OriginalAmount = Money.Eur(amount),
                    OpenResidual = Money.Eur(residual),
                    PaymentType = type,
                    UnpaidReceiptDate = unpaid,
                };
            }
        }
    }

    /// <summary>
    /// The measured day's version of a customer's installments: about <see cref="ChangeFraction"/> of them changed
    /// (40 % paid, 30 % partly paid, 10 % a bank receipt returned unpaid, 20 % a new installment beside them).
    /// </summary>
    /// <param name="index">The customer's index.</param>
    public IEnumerable<Installment> ChangedInstallmentsOf(int index)
    {
        var random = new Random(HashCode(_seed, index, 3));
        var extra = 0;
        foreach (var installment in InstallmentsOf(index))
        {
            if (random.NextDouble() >= ChangeFraction)
            {
                yield return installment;
                continue;
            }

            var kind = random.NextDouble();
            if (kind < 0.4)
            {
                yield return installment with { OpenResidual = Money.Eur(0m) };
            }
            else if (kind < 0.7)
            {
                yield return installment with { OpenResidual = Money.Eur(decimal.Round(installment.OpenResidual.Amount / 2, 2)) };
            }
            else if (kind < 0.8 && installment.UnpaidReceiptDate is null && installment.DueDate < MeasuredDay.PlusDays(-3))
            {
                yield return installment with { PaymentType = PaymentType.BankReceipt, UnpaidReceiptDate = MeasuredDay.PlusDays(-1) };
            }
            else
            {
                yield return installment;
                extra++;
                var docNumber = $"{installment.CustomerCode}-N{extra:D2}";
                yield return installment with
                {
                    Key = new InstallmentKey(docNumber + "/1"),
                    Document = new DocumentReference(DocumentKind.Invoice, docNumber, MeasuredDay.PlusDays(-1)),
                    Number = 1,
                    DueDate = MeasuredDay.PlusDays(random.Next(20, 90)),
                    UnpaidReceiptDate = null,
                };
            }
        }
    }

    /// <summary>Every installment of the setup day, customer by customer.</summary>
    public IEnumerable<Installment> AllInstallments(bool changed)
    {
        for (var i = 0; i < CustomerCount; i++)
        {
            foreach (var installment in changed ? ChangedInstallmentsOf(i) : InstallmentsOf(i))
            {
                yield return installment;
            }
        }
    }

    private LocalDate DueDate(Random random)
    {
        if (random.NextDouble() < DueFraction)
        {
            // Due for an action on the measured day: a step (or the due-date transition) falls on it.
            return MeasuredDay.PlusDays(-EventOffsets[random.Next(EventOffsets.Length)]);
        }

        while (true)
        {
            // Spread over a year: 200 days back, 165 ahead; never on a date that puts an event on the measured day.
            var offset = random.Next(-200, 166);
            var candidate = MeasuredDay.PlusDays(offset);
            if (Array.IndexOf(EventOffsets, -offset) < 0)
            {
                return candidate;
            }
        }
    }

    private static PaymentType PaymentTypeDraw(double draw) => draw switch
    {
        < 0.45 => PaymentType.BankReceipt,
        < 0.80 => PaymentType.BankTransfer,
        < 0.90 => PaymentType.DirectRemittance,
        < 0.98 => PaymentType.SepaDirectDebit,
        _ => PaymentType.Cash,
    };

    private static double Normal(Random random)
    {
        // Box–Muller.
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }

    private static int HashCode(int seed, int index, int stream) => unchecked((seed * 31_337) + (index * 7_919) + (stream * 1_000_003));
}
