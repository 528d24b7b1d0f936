using System.Text;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using MimeKit;

namespace CreditRecovery.Delivery.Email.Tests;

/// <summary>Invariants of the builder, the pickup file names and the fax numbers, over generated inputs.</summary>
public sealed class MailProperties
{
    [Property(MaxTest = 200)]
    public Property Any_outbox_id_gives_a_Message_ID_that_survives_writing_and_reading_and_leads_back_to_it(NonEmptyString id, bool pec)
    {
        var outboxId = id.Get;
        var channel = pec ? DeliveryChannel.Pec : DeliveryChannel.Email;
        var message = TestMail.Message(id: outboxId, channel: channel);
        var built = new OutgoingMailBuilder(TestMail.Clock()).Build(message, new MailBuildSettings { Channel = channel });
        if (string.IsNullOrWhiteSpace(outboxId))
        {
            return (built.Failure is { Permanent: true } failure && failure.Error!.Contains("field Id", StringComparison.Ordinal)).Label("a blank id is a permanent failure");
        }

        var mail = built.Mail!;

        using var stream = new MemoryStream();
        mail.Message.WriteTo(stream);
        stream.Position = 0;
        var read = MimeMessage.Load(stream);
        var name = PickupFolderChannel.FileNameFor(mail.MessageId);

        return (read.MessageId == mail.MessageId).Label($"Message-ID read back: {read.MessageId}")
            .And(OutboxMessageIds.TryParse(read.MessageId, out var company, out var parsed) && company.Value == "ACME" && parsed == outboxId).Label("leads back to the outbox id")
            .And(read.Headers[OutgoingMailBuilder.OutboxIdHeader] is { } header && !header.Contains('\n', StringComparison.Ordinal)).Label("outbox id header on one line")
            .And(name.All(c => c < 0x80 && (char.IsAsciiLetterOrDigit(c) || "._-@+=".Contains(c, StringComparison.Ordinal)))).Label($"safe file name {name}");
    }

    [Property(MaxTest = 300)]
    public Property A_normalised_fax_number_normalises_to_itself(PositiveInt seed, bool plus, byte separators)
    {
        // A plausible Italian number (0 and an area code that never starts with 0: "00" is the international prefix),
        // 7-12 digits, an optional +39, separators sprinkled in.
        var random = new Random(seed.Get);
        var digits = new StringBuilder().Append('0').Append((char)('1' + random.Next(9)));
        for (var i = random.Next(5, 11); i > 0; i--)
        {
            digits.Append((char)('0' + random.Next(10)));
        }

        var written = new StringBuilder(plus ? "+39 " : string.Empty);
        foreach (var c in plus ? digits.ToString()[1..] : digits.ToString())
        {
            written.Append(c);
            if (random.Next(256) < separators / 4)
            {
                written.Append(" -./"[random.Next(4)]);
            }
        }

        return Prop.ForAll(
            Gen.Elements(FaxNumberFormat.National, FaxNumberFormat.InternationalPlus, FaxNumberFormat.InternationalZeroZero).ToArbitrary(),
            format =>
            {
                var numbers = new FaxNumbers("39", format);
                var once = numbers.Normalize(written.ToString(), out var error);
                var twice = numbers.Normalize(once, out _);
                return (once is not null && once == twice).Label($"'{written}' -> '{once}' -> '{twice}' ({error})");
            });
    }
}
