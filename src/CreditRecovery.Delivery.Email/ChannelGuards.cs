namespace CreditRecovery.Delivery.Email;

/// <summary>Checks shared by the channels' constructors.</summary>
internal static class ChannelGuards
{
    /// <summary>Returns the options when they are usable; otherwise throws with every problem listed.</summary>
    public static T Validated<T>(T options)
        where T : MailChannelOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        return errors.Count == 0
            ? options
            : throw new ArgumentException(typeof(T).Name + " are not usable: " + string.Join(" ", errors), nameof(options));
    }
}
