using CreditRecovery.Ports;
using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Templates.Liquid.Tests;

/// <summary>A realistic message: three installments of two invoices, one an unpaid RiBa, with an interest statement.</summary>
internal static class Models
{
    public static readonly LocalDate BusinessDate = new(2026, 3, 16);

    public static MessageModel Realistic(string language = "it", string customerName = "Rossi Impianti S.r.l.", bool withInterest = true)
    {
        var lines = new List<MessageLine>
        {
            Line("FT-2025/0912", new LocalDate(2025, 11, 28), 1, new LocalDate(2025, 12, 31), 1200.00m, 1200.00m, PaymentType.BankTransfer, null),
            Line("FT-2025/0912", new LocalDate(2025, 11, 28), 2, new LocalDate(2026, 1, 31), 1200.00m, 834.56m, PaymentType.BankTransfer, null),
            Line("FT-2026/0041", new LocalDate(2026, 1, 12), 1, new LocalDate(2026, 2, 10), 2500.00m, 2500.00m, PaymentType.BankReceipt, new LocalDate(2026, 2, 13)),
        };
        return new MessageModel
        {
            Company = new CompanyProfile
            {
                Name = "Acme Forniture S.p.A.",
                VatNumber = "IT01234567890",
                Address = new PostalAddress("Via Roma 1", "20121", "Milano", "MI"),
                Email = "amministrazione@acme.example",
                Pec = "acme@pec.example",
                Phone = "+39 02 1234567",
                Iban = "IT60X0542811101000000123456",
            },
            Customer = new Customer
            {
                Company = new CompanyId("ACME"),
                Code = "C0042",
                Name = customerName,
                VatNumber = "IT09876543210",
                Contact = new ContactPerson("Maria Bianchi", "Amministrazione", "+39 011 765432", "maria.bianchi@rossi.example"),
                Address = new PostalAddress("Corso Francia 200", "10143", "Torino", "TO"),
                Email = "amministrazione@rossi.example",
                Pec = "rossi@pec.example",
            },
            Lines = lines,
            TotalOriginal = Money.Eur(4900.00m),
            TotalResidual = Money.Eur(4534.56m),
            Operator = new Operator { Id = new OperatorId("anna"), Name = "Anna Verdi", Email = "anna.verdi@acme.example", Phone = "+39 02 1234599", Companies = new HashSet<CompanyId> { new("ACME") } },
            StepName = "Messa in mora (PEC)",
            BusinessDate = BusinessDate,
            Language = language,
            Interest = withInterest ? Interest() : null,
            OperatorText = "Vi informiamo che dal 1° aprile i nostri uffici osservano un nuovo orario.\nGrazie per la collaborazione.",
        };
    }

    public static InterestStatement Interest() => new(
        BusinessDate,
        [
            new InterestStatementLine(new InstallmentKey("FT-2025/0912/1"), "FT-2025/0912", new LocalDate(2026, 1, 1), new LocalDate(2026, 3, 16), 75, 10.15m, Money.Eur(1200.00m), Money.Eur(25.03m)),
            new InterestStatementLine(new InstallmentKey("FT-2025/0912/2"), "FT-2025/0912", new LocalDate(2026, 2, 1), new LocalDate(2026, 3, 16), 44, 10.15m, Money.Eur(834.56m), Money.Eur(10.21m)),
            new InterestStatementLine(new InstallmentKey("FT-2026/0041/1"), "FT-2026/0041", new LocalDate(2026, 2, 11), new LocalDate(2026, 3, 16), 34, 10.15m, Money.Eur(2500.00m), Money.Eur(23.64m)),
        ],
        [
            new CompensationLine("FT-2025/0912", new LocalDate(2025, 11, 28), Money.Eur(40m)),
            new CompensationLine("FT-2026/0041", new LocalDate(2026, 1, 12), Money.Eur(40m)),
        ],
        Money.Eur(4534.56m),
        Money.Eur(58.88m),
        Money.Eur(80m));

    private static MessageLine Line(string document, LocalDate documentDate, int number, LocalDate due, decimal original, decimal residual, PaymentType type, LocalDate? unpaid) =>
        new(new InstallmentKey($"{document}/{number}"), document, documentDate, number, due, Money.Eur(original), Money.Eur(residual),
            Period.Between(due, BusinessDate, PeriodUnits.Days).Days, type, unpaid);
}
