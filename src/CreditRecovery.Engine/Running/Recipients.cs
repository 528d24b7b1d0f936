using CreditRecovery.Procedures;

namespace CreditRecovery.Running;

/// <summary>Where a customer receives a channel's messages. Never falls back silently to another channel.</summary>
internal static class Recipients
{
    public static string? For(Customer customer, DeliveryChannel channel) => channel switch
    {
        DeliveryChannel.Email => NonEmpty(customer.Contact?.Email) ?? NonEmpty(customer.Email),
        DeliveryChannel.Pec => NonEmpty(customer.Pec),
        DeliveryChannel.Fax => NonEmpty(customer.Fax),
        DeliveryChannel.Sms => NonEmpty(customer.Mobile),
        DeliveryChannel.Letter => customer.Address is { } a && !string.IsNullOrWhiteSpace(a.Street) && !string.IsNullOrWhiteSpace(a.City)
            ? $"{customer.Name}, {a.Street}, {a.PostalCode} {a.City}{(a.Province is null ? "" : $" ({a.Province})")}, {a.Country}"
            : null,
        _ => null,
    };

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
