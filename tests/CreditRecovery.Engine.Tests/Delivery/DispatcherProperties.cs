using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using NodaTime;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Delivery;

/// <summary>Invariants of delivery under any sequence of channel answers.</summary>
public sealed class DispatcherProperties
{
    private static readonly LocalDate Due = new(2026, 1, 12);

    /// <summary>0 = accepted, 1 = transient failure, 2 = permanent failure.</summary>
    public static Arbitrary<int[]> Answers() => Gen.ArrayOf(Gen.Frequency((3, Gen.Constant(0)), (4, Gen.Constant(1)), (1, Gen.Constant(2)))).ToArbitrary();

    [Property(Arbitrary = [typeof(DispatcherProperties)], MaxTest = 40)]
    public async Task<bool> No_message_is_ever_handed_to_the_channel_after_it_was_accepted_and_each_ends_sent_or_failed(int[] answers)
    {
        var email = new RecordingChannel(DeliveryChannel.Email);
        var next = 0;
        email.Answer = _ => (answers.Length == 0 ? 0 : answers[next++ % answers.Length]) switch
        {
            0 => DeliveryResult.Success(),
            1 => DeliveryResult.TransientFailure("451 busy"),
            _ => DeliveryResult.PermanentFailure("550 no such user"),
        };
        var h = new EngineHarness(o => o.Delivery = new DeliveryOptions { MaxAttempts = 4 }, ports: b => b.UseChannel(email).UseTemplates(new ModelTemplateRenderer()));
        foreach (var c in new[] { "C1", "C2", "C3", "C4" })
        {
            h.Ledger.Put(Customer(c)).Put(Installment(c + "-1", c, Due, 100m));
        }

        await h.DayAsync(Due.PlusDays(10));
        for (var round = 0; round < 8; round++)
        {
            await h.Engine.Dispatcher.DispatchAsync(Company);
            h.Clock.Advance(Duration.FromHours(5));
        }

        var acceptedTwice = email.Accepted.GroupBy(m => m.Message.Id).Any(g => g.Count() > 1);
        var callsAfterAcceptance = email.Calls
            .Select((m, i) => (m.Message.Id, i))
            .Any(x => email.Accepted.Any(a => a.Message.Id == x.Id) && email.Calls.FindIndex(c => c.Message.Id == x.Id && email.Accepted.Contains(c)) < x.i);
        var sent = await h.Store.ReadOutboxAsync(Company, OutboxStatus.Sent).CountAsync();
        var failed = await h.Store.ReadOutboxAsync(Company, OutboxStatus.Failed).CountAsync();
        var pending = await h.Store.ReadOutboxAsync(Company, OutboxStatus.Pending).CountAsync();
        return !acceptedTwice && !callsAfterAcceptance && pending == 0 && sent + failed == 4 && sent == email.Accepted.Count;
    }
}
