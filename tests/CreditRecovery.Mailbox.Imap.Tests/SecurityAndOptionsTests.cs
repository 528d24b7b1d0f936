using CreditRecovery.Ports;
using CreditRecovery.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CreditRecovery.Mailbox.Imap.Tests;

/// <summary>TLS to a Dovecot with a self-signed certificate, and the options' validation at start.</summary>
public sealed class SecurityAndOptionsTests
{
    [ImapFact]
    public async Task A_self_signed_certificate_is_refused_unless_explicitly_accepted()
    {
        using var server = ImapTestServer.Start(ssl: true);
        var evidence = Path.Combine(Path.GetTempPath(), "cr-evidence-" + Guid.NewGuid().ToString("N")[..10]);
        await server.AppendAsync(PecReceiptBuilder.Acceptance("cr.x@pec.example.it").Build());
        ImapMailboxOptions Options(bool accept) => new()
        {
            Host = server.Host,
            Port = server.SslPort,
            Security = ImapSecurity.SslOnConnect,
            AcceptUntrustedCertificate = accept,
            UserName = ImapTestServer.User,
            Password = ImapTestServer.UserPassword,
            EvidenceFolder = evidence,
        };

        try
        {
            await using (var strict = new ImapInboundMailSource(Options(accept: false), NodaTime.SystemClock.Instance))
            {
                var error = await Assert.ThrowsAsync<InboundMailboxException>(async () => await strict.ReadAsync().ToListAsync());
                Assert.Contains("TLS handshake failed", error.Message, StringComparison.Ordinal);
            }

            await using var trusting = new ImapInboundMailSource(Options(accept: true), NodaTime.SystemClock.Instance);
            var mail = Assert.Single(await trusting.ReadAsync().ToListAsync());
            Assert.Equal(InboundMailKind.PecAcceptance, mail.Kind);
        }
        finally
        {
            if (Directory.Exists(evidence))
            {
                Directory.Delete(evidence, recursive: true);
            }
        }
    }

    [Fact]
    public void Options_are_validated_at_start_with_every_problem_and_never_the_password()
    {
        var services = new ServiceCollection();
        services.AddImapMailbox(o =>
        {
            o.Host = "imap.example.it";
            o.Security = ImapSecurity.None;
            o.Password = "s3cret-Value!";
            o.AcknowledgeKeyword = "bad keyword";
            o.Port = 70000;
        });
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IInboundMailSource>());

        Assert.Contains(error.Failures, f => f.Contains("UserName is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("EvidenceFolder is required", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("not a loopback address", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("not a valid IMAP keyword", StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains("Port must be between 1 and 65535", StringComparison.Ordinal));
        Assert.DoesNotContain("s3cret-Value!", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Valid_options_register_one_source_for_the_port()
    {
        var services = new ServiceCollection();
        services.AddImapMailbox(o =>
        {
            o.Host = "imaps.pec.example.it";
            o.UserName = "solleciti@pec.example.it";
            o.Password = "x";
            o.EvidenceFolder = Path.GetTempPath();
        });
        using var provider = services.BuildServiceProvider();

        var source = provider.GetRequiredService<IInboundMailSource>();

        Assert.Same(provider.GetRequiredService<ImapInboundMailSource>(), source);
        Assert.Equal(993, provider.GetRequiredService<IOptions<ImapMailboxOptions>>().Value.EffectivePort);
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("::1", true)]
    [InlineData("[::1]", true)]
    [InlineData("localhost", true)]
    [InlineData("imap.example.it", false)]
    [InlineData("10.0.0.1", false)]
    public void Unencrypted_connections_only_go_to_loopback(string host, bool allowed)
    {
        var options = new ImapMailboxOptions { Host = host, Security = ImapSecurity.None, UserName = "u", Password = "p", EvidenceFolder = "/tmp/e" };

        Assert.Equal(allowed, options.Validate().Count == 0);
    }

    [Fact]
    public void The_processed_folder_cannot_be_the_folder_read()
    {
        var options = new ImapMailboxOptions { Host = "h", UserName = "u", Password = "p", EvidenceFolder = "/tmp/e", ProcessedFolder = "inbox" };

        Assert.Contains(options.Validate(), e => e.Contains("is the folder read", StringComparison.Ordinal));
    }
}
