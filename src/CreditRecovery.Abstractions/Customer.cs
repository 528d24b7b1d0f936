using NodaTime;

namespace CreditRecovery;

/// <summary>
/// A customer (*cliente*) as the ERP's master data describes it, with what recovery needs: contacts, the
/// person to talk to, when to call, category, agent and sales area, rating and the recovery flags.
/// </summary>
public sealed record Customer
{
    /// <summary>The company the customer belongs to.</summary>
    public required CompanyId Company { get; init; }

    /// <summary>The customer code in the ERP (*codice cliente*), unique within the company.</summary>
    public required string Code { get; init; }

    /// <summary>Company or person name (*ragione sociale*).</summary>
    public required string Name { get; init; }

    /// <summary>VAT number (*partita IVA*), if any.</summary>
    public string? VatNumber { get; init; }

    /// <summary>Tax code (*codice fiscale*), if any.</summary>
    public string? TaxCode { get; init; }

    /// <summary>Customer category (*categoria cliente*), used to choose procedures and exclusions.</summary>
    public string? Category { get; init; }

    /// <summary>The sales agent (*agente*) code.</summary>
    public string? Agent { get; init; }

    /// <summary>The sales area (*zona*).</summary>
    public string? SalesArea { get; init; }

    /// <summary>Credit rating or risk class, as the company grades it.</summary>
    public string? Rating { get; init; }

    /// <summary>The person to contact for payments (*referente*) and their role.</summary>
    public ContactPerson? Contact { get; init; }

    /// <summary>The postal address, for printed letters.</summary>
    public PostalAddress? Address { get; init; }

    /// <summary>E-mail address for reminders and dunning.</summary>
    public string? Email { get; init; }

    /// <summary>Certified e-mail address (*PEC*) for formal demands.</summary>
    public string? Pec { get; init; }

    /// <summary>Landline phone.</summary>
    public string? Phone { get; init; }

    /// <summary>Mobile phone, for SMS.</summary>
    public string? Mobile { get; init; }

    /// <summary>Fax number.</summary>
    public string? Fax { get; init; }

    /// <summary>Days and hours when the customer may be called (*giorni e orari di chiamata*).</summary>
    public CallWindow? CallWindow { get; init; }

    /// <summary>Free notes from the master data.</summary>
    public string? Notes { get; init; }

    /// <summary>
    /// An extension granted to the customer (*proroga*): no dunning step runs for its installments until this date
    /// (inclusive). Steps due meanwhile run on the day after.
    /// </summary>
    public LocalDate? ExtensionUntil { get; init; }

    /// <summary>Recovery flags (BLOCKED, DO-NOT-DUN).</summary>
    public CustomerFlags Flags { get; init; }

    /// <summary>Preferred language for messages (BCP 47, e.g. <c>it</c>, <c>en</c>); <see langword="null"/> means the company's default.</summary>
    public string? Language { get; init; }
}

/// <summary>Recovery flags on a customer.</summary>
[Flags]
public enum CustomerFlags
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>
    /// BLOCKED (*bloccato*): automatic messages are held; operator tasks are still proposed, since the customer
    /// needs attention. The reason is shown in the run's plan.
    /// </summary>
    Blocked = 1,

    /// <summary>DO-NOT-DUN (*non sollecitare*): no step runs at all; cases stay open and visible with the reason.</summary>
    DoNotDun = 2,
}

/// <summary>The person to talk to about payments (*referente*).</summary>
/// <param name="Name">Full name.</param>
/// <param name="Role">Role, e.g. "Amministrazione", "Titolare".</param>
/// <param name="Phone">Direct phone.</param>
/// <param name="Email">Direct e-mail.</param>
public sealed record ContactPerson(string Name, string? Role = null, string? Phone = null, string? Email = null);

/// <summary>A postal address (*indirizzo*).</summary>
/// <param name="Street">Street and number.</param>
/// <param name="PostalCode">Postal code (*CAP*).</param>
/// <param name="City">City (*comune*).</param>
/// <param name="Province">Province code (*provincia*), e.g. <c>MI</c>.</param>
/// <param name="Country">ISO 3166 country code, default <c>IT</c>.</param>
public sealed record PostalAddress(string Street, string PostalCode, string City, string? Province = null, string Country = "IT");

/// <summary>When a customer may be called.</summary>
/// <param name="Days">The days of the week.</param>
/// <param name="From">Earliest time.</param>
/// <param name="To">Latest time.</param>
public sealed record CallWindow(IReadOnlySet<IsoDayOfWeek> Days, LocalTime From, LocalTime To)
{
    /// <summary>Whether a call at <paramref name="dateTime"/> falls inside the window.</summary>
    /// <param name="dateTime">Local date and time in the company's zone.</param>
    public bool Allows(LocalDateTime dateTime) =>
        Days.Contains(dateTime.DayOfWeek) && dateTime.TimeOfDay >= From && dateTime.TimeOfDay <= To;
}
