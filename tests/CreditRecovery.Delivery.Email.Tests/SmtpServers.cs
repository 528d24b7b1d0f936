using CreditRecovery.Testing.Smtp;

namespace CreditRecovery.Delivery.Email.Tests;

/// <summary>
/// The loopback SMTP servers the tests share, each started on first use: plain with a rejected and a deferred
/// recipient, STARTTLS required with AUTH, TLS on connect with AUTH (PEC), and one that defers every message. Tests find
/// their own messages by Message-ID, so they may share a server.
/// </summary>
public sealed class SmtpServers : IDisposable
{
    public const string Rejected = "sconosciuto@cliente.example";
    public const string RejectedManager = "ex.responsabile@acme.example";
    public const string Deferred = "greylist@cliente.example";
    public const string User = "mailer@acme.example";
    public const string Password = "s3cret-Passw0rd!";
    public const string PecAddress = "acme@pec.acme.example";
    public const string PecPassword = "pec-Passw0rd!";
    public const string RejectedPec = "cessata@pec.cliente.example";

    private readonly Lazy<SmtpTestServer> _plain = new(() => SmtpTestServer.Start(new SmtpTestServerOptions
    {
        RejectRecipients = [Rejected, RejectedManager],
        DeferRecipients = [Deferred],
    }));

    private readonly Lazy<SmtpTestServer> _secure = new(() => SmtpTestServer.Start(new SmtpTestServerOptions
    {
        Tls = SmtpTestTls.StartTls,
        RequireStartTls = true,
        UserName = User,
        Password = Password,
    }));

    private readonly Lazy<SmtpTestServer> _implicit = new(() => SmtpTestServer.Start(new SmtpTestServerOptions
    {
        Tls = SmtpTestTls.Implicit,
        UserName = PecAddress,
        Password = PecPassword,
        RejectRecipients = [RejectedPec],
    }));

    private readonly Lazy<SmtpTestServer> _deferring = new(() => SmtpTestServer.Start(new SmtpTestServerOptions { DeferData = true }));

    public SmtpTestServer Plain => _plain.Value;

    public SmtpTestServer Secure => _secure.Value;

    public SmtpTestServer Implicit => _implicit.Value;

    public SmtpTestServer Deferring => _deferring.Value;

    public void Dispose()
    {
        foreach (var server in new[] { _plain, _secure, _implicit, _deferring }.Where(s => s.IsValueCreated))
        {
            server.Value.Dispose();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SmtpCollection : ICollectionFixture<SmtpServers>
{
    public const string Name = "SMTP servers";
}
