using CreditRecovery.Ports;
using CreditRecovery.Testing;
using CreditRecovery.Work;
using MimeKit;
using NodaTime;
using NodaTime.Testing;

namespace CreditRecovery.Mailbox.Imap.Tests;

/// <summary>The tests of this assembly that share one throw-away Dovecot.</summary>
[CollectionDefinition(Name)]
public sealed class ImapCollection : ICollectionFixture<ImapFixture>
{
    public const string Name = "IMAP";
}

/// <summary>A folder and an evidence directory of its own for each test, and a source reading them.</summary>
public abstract class MailboxTestBase : IDisposable
{
    protected static readonly CompanyId Company = new("ACME");
    protected const string Domain = "pec.acme.example.it";

    protected MailboxTestBase(ImapFixture fixture)
    {
        Fixture = fixture;
        Folder = ImapFixture.NewFolder(GetType().Name);
        EvidenceFolder = Path.Combine(Path.GetTempPath(), "cr-evidence-" + Guid.NewGuid().ToString("N")[..10]);
    }

    protected ImapFixture Fixture { get; }

    protected ImapTestServer Server => Fixture.Server;

    protected string Folder { get; }

    protected string EvidenceFolder { get; }

    protected static FakeClock Clock { get; } = new(Instant.FromUtc(2026, 11, 24, 12, 0));

    protected static string SentId(string outboxId) => OutboxMessageIds.For(Company, outboxId, Domain);

    protected ImapMailboxOptions Options(Action<ImapMailboxOptions>? tweak = null)
    {
        var options = new ImapMailboxOptions
        {
            Host = Server.Host,
            Port = Server.Port,
            Security = ImapSecurity.None,
            UserName = ImapTestServer.User,
            Password = ImapTestServer.UserPassword,
            Folder = Folder,
            EvidenceFolder = EvidenceFolder,
            Timeout = TimeSpan.FromSeconds(30),
        };
        tweak?.Invoke(options);
        return options;
    }

    protected ImapInboundMailSource Source(Action<ImapMailboxOptions>? tweak = null) => new(Options(tweak), Clock);

    protected Task AppendAsync(MimeMessage message, DateTimeOffset? arrived = null) => Server.AppendAsync(message, arrived, Folder);

    protected static async Task<List<InboundMail>> ReadAllAsync(IInboundMailSource source) =>
        await source.ReadAsync().ToListAsync();

    protected static MimeMessage CustomerReply(string inReplyTo, string body, params string[] references)
    {
        var reply = new MimeMessage();
        reply.From.Add(new MailboxAddress("Mario Rossi", "mario.rossi@cliente.example.it"));
        reply.To.Add(new MailboxAddress("Ufficio crediti", "crediti@acme.example.it"));
        reply.Subject = "Re: Sollecito di pagamento";
        reply.MessageId = "reply-" + Guid.NewGuid().ToString("N")[..12] + "@cliente.example.it";
        reply.InReplyTo = inReplyTo;
        foreach (var reference in references)
        {
            reply.References.Add(reference);
        }

        reply.Date = new DateTimeOffset(2026, 11, 23, 9, 30, 0, TimeSpan.FromHours(1));
        reply.Body = new TextPart("plain") { Text = body };
        return reply;
    }

    public void Dispose()
    {
        try
        {
            if (Directory.Exists(EvidenceFolder))
            {
                foreach (var file in Directory.EnumerateFiles(EvidenceFolder, "*", SearchOption.AllDirectories))
                {
                    File.SetAttributes(file, FileAttributes.Normal);
                }

                Directory.Delete(EvidenceFolder, recursive: true);
            }
        }
        catch (IOException)
        {
        }

        GC.SuppressFinalize(this);
    }
}
