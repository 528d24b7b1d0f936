using NodaTime;

namespace CreditRecovery.Samples.MexalDemo;

/// <summary>How the demo Mexal WebAPI server is started and what it serves.</summary>
public sealed class MexalDemoOptions
{
    /// <summary>The seed the demo company is generated from: the same seed gives the same book. Default 2026.</summary>
    public int Seed { get; init; } = 2026;

    /// <summary>The simulated date the server starts at: every scripted event up to it is applied. Default 2026-06-01.</summary>
    public LocalDate StartDate { get; init; } = new(2026, 6, 1);

    /// <summary>How many customers the book has (plus one duplicate the script deletes). Default 240.</summary>
    public int Customers { get; init; } = 240;

    /// <summary>The WebAPI user. Default <c>webapi</c>.</summary>
    public string User { get; init; } = "webapi";

    /// <summary>The WebAPI user's password. Default <c>demo-password</c>.</summary>
    public string Password { get; init; } = "demo-password";

    /// <summary>The cloud domain the server expects (<c>Dominio=</c>), or <see langword="null"/> for an on-premises installation.</summary>
    public string? Domain { get; init; }

    /// <summary>The Mexal company code (<c>Azienda=</c>). Default <c>DEM</c>.</summary>
    public string Company { get; init; } = "DEM";

    /// <summary>The accounting year (<c>Anno=</c>). Default 2026.</summary>
    public int Year { get; init; } = 2026;

    /// <summary>The WebAPI user's pool of services: a call beyond it gets 503. Default 5, as in Mexal.</summary>
    public int ServicePool { get; init; } = 5;

    /// <summary>How long a <c>next</c> token stays valid. Default 60 seconds.</summary>
    public TimeSpan NextTokenLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The most records a page holds whatever <c>max</c> asks (Mexal cuts pages at 30 s / 50 MB). Default 500.</summary>
    public int MaxPageSize { get; init; } = 500;

    /// <summary>Failed logins after which the user is locked (every call then gets 401). Default 3.</summary>
    public int LockAfterFailedLogins { get; init; } = 3;

    /// <summary>Whether to serve HTTPS with a self-signed certificate (as an on-premises Mexal does) instead of HTTP. Default <see langword="false"/>.</summary>
    public bool Https { get; init; }
}
