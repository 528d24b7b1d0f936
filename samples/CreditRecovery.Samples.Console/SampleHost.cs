using CreditRecovery.Adapters.Mexal;
using CreditRecovery.Delivery.Email;
using CreditRecovery.Delivery.Letters;
using CreditRecovery.Documents.Pdf;
using CreditRecovery.Interest;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Storage.Sqlite;
using CreditRecovery.Templates.Liquid;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace CreditRecovery.Samples.Console;

/// <summary>Where the sample keeps its files: the embedded defaults, all under one run folder.</summary>
/// <param name="RunFolder">The folder (default <c>.run</c>).</param>
internal sealed record SamplePaths(string RunFolder)
{
    public string Database => Path.Combine(RunFolder, "creditrecovery.db");

    public string Pickup => Path.Combine(RunFolder, "pickup");

    public string Letters => Path.Combine(RunFolder, "letters");

    public string Reports => Path.Combine(RunFolder, "reports");

    public string State => Path.Combine(RunFolder, "state.txt");

    /// <summary>Deletes what an earlier demo left, so that the demo starts from the ERP's first day.</summary>
    public void Reset()
    {
        Directory.CreateDirectory(RunFolder);
        foreach (var file in new[] { Database, Database + "-wal", Database + "-shm", State })
        {
            File.Delete(file);
        }

        foreach (var folder in new[] { Pickup, Letters, Reports })
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    /// <summary>The company and last business date the sample ran, kept so that the reading commands default to them.</summary>
    public (string Company, LocalDate Date)? LastRun()
    {
        if (!File.Exists(State))
        {
            return null;
        }

        var parts = File.ReadAllText(State).Split(' ', 2, StringSplitOptions.TrimEntries);
        return parts.Length == 2 && NodaTime.Text.LocalDatePattern.Iso.Parse(parts[1]) is { Success: true } parsed ? (parts[0], parsed.Value) : null;
    }

    public void SaveLastRun(string company, LocalDate date)
    {
        Directory.CreateDirectory(RunFolder);
        File.WriteAllText(State, company + " " + NodaTime.Text.LocalDatePattern.Iso.Format(date));
    }
}

/// <summary>How the sample reaches Mexal: the WebAPI's address and credentials.</summary>
internal sealed record MexalConnection(Uri BaseAddress, string User, string Password, string Company, int Year, string? Domain = null, bool AcceptUntrustedCertificate = false, string? CertificateThumbprint = null);

/// <summary>The sample host's services: the engine on SQLite, Liquid templates, pickup folder, PDF letters, Mexal.</summary>
internal static class SampleHost
{
    public static readonly OperatorId Anna = new("anna");
    public static readonly OperatorId Bruno = new("bruno");
    public static readonly OperatorId Sara = new("sara");

    public static CompanyProfile Profile { get; } = new()
    {
        Name = "Demo Distribuzione S.p.A.",
        VatNumber = "IT01234567897",
        Address = new PostalAddress("Via Dante 12", "20121", "Milano", "MI"),
        Email = "crediti@demo-distribuzione.example",
        Pec = "amministrazione@pec.demo-distribuzione.example",
        Phone = "+39 02 1234567",
        Iban = "IT60X0542811101000000123456",
    };

    /// <summary>
    /// The fonts PDFs embed: the system's when installed, else the DejaVu Sans files shipped with the sample, so that
    /// the demo prints letters on a machine without <c>fonts-dejavu-core</c>.
    /// </summary>
    public static (string Regular, string Bold)? BundledFontsIfNeeded()
    {
        if (PdfFonts.TryFindSystemFonts(out _))
        {
            return null;
        }

        var folder = Path.Combine(AppContext.BaseDirectory, "Fonts");
        return (Path.Combine(folder, "DejaVuSans.ttf"), Path.Combine(folder, "DejaVuSans-Bold.ttf"));
    }

    /// <summary>The fonts for PDF reports (see <see cref="BundledFontsIfNeeded"/>).</summary>
    public static PdfFonts ReportFonts() =>
        BundledFontsIfNeeded() is { } bundled ? PdfFonts.FromFiles(bundled.Regular, bundled.Bold) : PdfFonts.FindSystemFonts();

    /// <summary>Builds the services. <paramref name="mexal"/> is <see langword="null"/> for commands that only read the store.</summary>
    public static ServiceProvider Build(SamplePaths paths, string company, IClock clock, MexalConnection? mexal)
    {
        Directory.CreateDirectory(paths.RunFolder);
        var services = new ServiceCollection();
        services.AddSingleton(clock);
        services.AddCreditRecovery(o =>
        {
            o.Procedures.Add(SampleProcedures.Standard);
            o.Procedures.Add(SampleProcedures.UnpaidReceipt);
            var settings = new CompanySettings
            {
                Id = company,
                Profile = Profile,
                DefaultProcedureId = SampleProcedures.Standard.Id,
                UnpaidReceiptProcedureId = SampleProcedures.UnpaidReceipt.Id,
                ManagerEmail = "direzione.crediti@demo-distribuzione.example",
                // Mexal's statistical categories 4 and 5 (public bodies, group companies) are handled by hand.
                ExcludedCategories = { "4", "5" },
                // 2026 H2 is not in the shipped rate table yet: claim at the last known rate and say so in the letter.
                LatePaymentInterest = new LatePaymentInterestPolicy { Default = new LatePaymentInterestOptions { UseLastKnownRate = true } },
            };
            settings.Calendar.PatronSaintDay = new AnnualDate(12, 7); // Milan: Sant'Ambrogio
            settings.Calendar.PatronSaintName = "Sant'Ambrogio";
            settings.OperatorPool.Add(Anna);
            settings.OperatorPool.Add(Bruno);
            o.Companies.Add(settings);
        });
        services.AddCreditRecoverySqliteStore(o => o.DatabasePath = paths.Database);
        services.AddLiquidTemplates();
        services.AddPickupFolder(o =>
        {
            o.Folder = paths.Pickup;
            o.From = Profile.Email;
            o.FromName = Profile.Name;
        });
        services.AddPrintedLetters(o =>
        {
            o.OutputFolder = paths.Letters;
            if (BundledFontsIfNeeded() is { } bundled)
            {
                o.RegularFontPath = bundled.Regular;
                o.BoldFontPath = bundled.Bold;
            }

            o.Place = "Milano";
            o.Letterheads[company] = Profile;
        });
        if (mexal is not null)
        {
            services.AddMexalLedger(o =>
            {
                o.BaseAddress = mexal.BaseAddress;
                o.User = mexal.User;
                o.Password = mexal.Password;
                o.Company = mexal.Company;
                o.Year = mexal.Year;
                o.Domain = mexal.Domain;
                o.AcceptUntrustedCertificate = mexal.AcceptUntrustedCertificate;
                o.CertificateThumbprint = mexal.CertificateThumbprint;
            });
        }

        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }

    /// <summary>The office: two operators under a supervisor, saved once.</summary>
    public static async Task EnsureOfficeAsync(CreditRecoveryEngine engine, CompanyId company, CancellationToken cancellationToken)
    {
        var existing = await engine.Store.ReadOperatorsAsync(company, cancellationToken).ToListAsync(cancellationToken);
        if (existing.Count > 0)
        {
            return;
        }

        var companies = new HashSet<CompanyId> { company };
        await engine.Desk.SaveOperatorAsync(OperatorId.System, company, new Operator { Id = Sara, Name = "Sara Colombo", Role = OperatorRole.Supervisor, Companies = companies, Email = "sara.colombo@demo-distribuzione.example" }, cancellationToken);
        await engine.Desk.SaveOperatorAsync(OperatorId.System, company, new Operator { Id = Anna, Name = "Anna Ferrari", SupervisorId = Sara, Companies = companies, Email = "anna.ferrari@demo-distribuzione.example" }, cancellationToken);
        await engine.Desk.SaveOperatorAsync(OperatorId.System, company, new Operator { Id = Bruno, Name = "Bruno Ricci", SupervisorId = Sara, Companies = companies, Email = "bruno.ricci@demo-distribuzione.example" }, cancellationToken);
    }
}
