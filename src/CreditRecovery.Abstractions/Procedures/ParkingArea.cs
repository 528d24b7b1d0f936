namespace CreditRecovery.Procedures;

/// <summary>Parking areas (*aree di parcheggio*, G10): where a case waits outside the ordinary procedure.</summary>
public enum ParkingArea
{
    /// <summary>Legal (*legale*): under legal action.</summary>
    Legal,

    /// <summary>Unrecoverable (*irrecuperabile*).</summary>
    Unrecoverable,

    /// <summary>Not scheduled (*non programmato*): kept aside, no automatic step.</summary>
    NotScheduled,

    /// <summary>Cash on delivery (*contrassegno*): future deliveries only against payment.</summary>
    CashOnDelivery,
}

/// <summary>Who a case is handed to (*affidamento*, H8).</summary>
/// <param name="Kind">Lawyer or collection agency.</param>
/// <param name="Name">Firm or person name.</param>
/// <param name="Reference">Their file reference, once known.</param>
public sealed record HandOverTarget(HandOverKind Kind, string Name, string? Reference = null);

/// <summary>Kinds of hand-over.</summary>
public enum HandOverKind
{
    /// <summary>A lawyer (*legale / avvocato*).</summary>
    Lawyer,

    /// <summary>A collection agency (*società di recupero crediti*).</summary>
    CollectionAgency,
}
