using CreditRecovery.Documents.Pdf;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;
using UglyToad.PdfPig;

namespace CreditRecovery.Delivery.Letters.Tests;

/// <summary>
/// A test that needs an installed TrueType font (Debian 'fonts-dejavu-core'): skipped with the reason when none is found
/// outside CI; on CI (CI=true) never skipped, so a missing font fails loudly.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class FontFactAttribute : FactAttribute
{
    public FontFactAttribute()
    {
        if (!TestFonts.Available && !string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Skip = PdfFonts.NotFoundMessage() + " CI (CI=true) always runs this test.";
        }
    }
}

public static class TestFonts
{
    private static readonly Lazy<PdfFonts?> Found = new(() => PdfFonts.TryFindSystemFonts(out var f) ? f : null);

    public static bool Available => Found.Value is not null;

    public static PdfFonts Fonts => Found.Value ?? throw new InvalidOperationException(PdfFonts.NotFoundMessage());
}

/// <summary>A throw-away output folder.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cr-letters-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(Path))
        {
            Directory.Delete(Path, recursive: true);
        }
    }
}

public static class Letters
{
    public static readonly LocalDate Date = new(2026, 11, 24);

    public static MessageLine Line(string document, decimal original, decimal residual, int number = 1, int dueDay = 15) =>
        new(new InstallmentKey($"k/{document}/{number}"), document, new LocalDate(2026, 9, 30), number, new LocalDate(2026, 10, dueDay),
            Money.Eur(original), Money.Eur(residual), 40, PaymentType.BankTransfer, null);

    public static OutgoingMessage Message(
        string customer = "C001",
        string recipient = "Ferramenta Bianchi & Figli S.r.l., Via Garibaldi, 7, 20121 Milano (MI), IT",
        string subject = "Sollecito di pagamento – fatture scadute",
        string body = "Gentile cliente,\n\nci risulta che le fatture elencate qui sotto non sono ancora state saldate. La preghiamo di provvedere entro più presto possibile.\n\nCordiali saluti.",
        IReadOnlyList<MessageLine>? lines = null,
        string company = "ACME",
        LocalDate? date = null,
        string step = "dun1") =>
        new(new OutboxMessage
        {
            Id = $"{company}/{customer}/msg/standard/{step}/Letter/{(date ?? Date):yyyy-MM-dd}",
            Company = new CompanyId(company),
            CustomerCode = customer,
            Channel = DeliveryChannel.Letter,
            TemplateId = step,
            ProcedureId = "standard",
            StepId = step,
            StepName = "Primo sollecito",
            BusinessDate = date ?? Date,
            CreatedAt = Instant.FromUtc(2026, 11, 24, 6, 0),
            Recipient = recipient,
            Lines = lines ?? [Line("FT-2026/118", 1234.56m, 1234.56m), Line("FT-2026/131", 5000m, 2500.10m, dueDay: 20)],
            Why = "test",
        },
        new RenderedMessage(subject, body),
        "amministrazione@acme.example",
        null)
        {
            FromName = "ACME S.p.A.",
        };

    public static PrintedLetterOptions Options(string folder) => new()
    {
        OutputFolder = folder,
        Letterheads =
        {
            ["ACME"] = new CompanyProfile
            {
                Name = "ACME S.p.A.",
                VatNumber = "IT01234567890",
                Address = new PostalAddress("Corso Venezia, 1", "20121", "Milano", "MI"),
                Phone = "02 1234567",
                Email = "amministrazione@acme.example",
                Pec = "acme@pec.example",
            },
        },
    };

    /// <summary>The words of every page, joined by single spaces.</summary>
    public static IReadOnlyList<string> PageTexts(byte[] pdf)
    {
        using var doc = PdfDocument.Open(pdf);
        return doc.GetPages().Select(p => string.Join(" ", p.GetWords().Select(w => w.Text))).ToList();
    }
}
