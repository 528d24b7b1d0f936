using CreditRecovery.Calendar;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using NodaTime;

namespace CreditRecovery;

/// <summary>A company's resolved configuration: settings, calendar, zone and procedures.</summary>
internal sealed class CompanyContext
{
    public CompanyContext(CompanySettings settings, DateTimeZone zone, IReadOnlyDictionary<string, RecoveryProcedure> procedures)
    {
        Settings = settings;
        Company = new CompanyId(settings.Id);
        Zone = zone;
        Procedures = procedures;
        Calendar = settings.CustomCalendar ?? new ItalianBusinessCalendar(settings.Calendar);
    }

    public CompanyId Company { get; }

    public CompanySettings Settings { get; }

    public DateTimeZone Zone { get; }

    public IBusinessCalendar Calendar { get; }

    public IReadOnlyDictionary<string, RecoveryProcedure> Procedures { get; }

    public RecoveryProcedure Procedure(string id) =>
        Procedures.TryGetValue(id, out var p) ? p : throw new InvalidOperationException($"Procedure '{id}' is not configured.");

    /// <summary>Why the customer is excluded from recovery, or <see langword="null"/>.</summary>
    public string? ExclusionReason(Customer? customer, string customerCode)
    {
        if (Settings.ExcludedCustomers.Contains(customerCode))
        {
            return $"customer {customerCode} is excluded from recovery (company settings)";
        }

        if (customer?.Category is { } category && Settings.ExcludedCategories.Contains(category))
        {
            return $"customer category '{category}' is excluded from recovery (company settings)";
        }

        return null;
    }
}

/// <summary>Resolves company contexts from options.</summary>
internal sealed class CompanyDirectory
{
    private readonly Dictionary<CompanyId, CompanyContext> _companies;

    public CompanyDirectory(CreditRecoveryOptions options)
    {
        var zone = DateTimeZoneProviders.Tzdb[options.TimeZoneId];
        var procedures = options.Procedures.ToDictionary(p => p.Id, StringComparer.Ordinal);
        _companies = options.Companies.ToDictionary(c => new CompanyId(c.Id), c => new CompanyContext(c, zone, procedures));
        Zone = zone;
    }

    public DateTimeZone Zone { get; }

    public IEnumerable<CompanyId> Companies => _companies.Keys;

    public CompanyContext Get(CompanyId company) =>
        _companies.TryGetValue(company, out var context)
            ? context
            : throw new ArgumentException($"Company '{company}' is not configured in CreditRecoveryOptions.Companies.", nameof(company));
}
