using CreditRecovery.Operators;
using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using CreditRecovery.Work;
using NodaTime;
using static CreditRecovery.Engine.Tests.EngineHarness;

namespace CreditRecovery.Engine.Tests.Delivery;

/// <summary>Mass e-mail (H5): one text with attachments to a selection of customers, each send in their history.</summary>
public sealed class MassEmailTests
{
    private static readonly LocalDate Day = new(2026, 2, 2);

    [Fact]
    public async Task One_text_goes_to_each_selected_customer_with_attachments_and_lands_in_their_history_once()
    {
        var email = new RecordingChannel(DeliveryChannel.Email);
        var templates = new ModelTemplateRenderer();
        var h = new EngineHarness(ports: b => b.UseChannel(email).UseTemplates(templates));
        h.Ledger.Put(Customer("C1")).Put(Customer("C2", c => c with { Email = null })).Put(Customer("C3"))
            .Put(Installment("C1-1", "C1", Day.PlusDays(20), 700m));
        await h.DayAsync(Day);
        var attachment = Path.Combine(Path.GetTempPath(), $"listino-{Guid.NewGuid():N}.pdf");
        await File.WriteAllBytesAsync(attachment, "%PDF-1.4 listino"u8.ToArray());
        try
        {
            var request = new MassEmailRequest
            {
                CustomerCodes = ["C1", "C2", "C3"],
                Subject = "Nuove coordinate bancarie",
                Text = "Dal 1° marzo il nostro IBAN cambia.",
                AttachmentFiles = [attachment],
            };

            var results = await h.Engine.Desk.SendMassEmailAsync(OperatorId.System, Company, request);
            var repeated = await h.Engine.Desk.SendMassEmailAsync(OperatorId.System, Company, request);
            var report = await h.Engine.Dispatcher.DispatchAsync(Company);

            Assert.Equal("customer C2 has no e-mail address", Assert.Single(results, r => r.MessageId is null).NotQueuedBecause);
            Assert.Equal(results, repeated);
            Assert.Equal(2, report.Sent);
            Assert.Equal(["C1", "C3"], email.Accepted.Select(m => m.Message.CustomerCode).Order());
            Assert.All(email.Accepted, m =>
            {
                Assert.Equal("Nuove coordinate bancarie", m.Content.Subject);
                Assert.Contains("Dal 1° marzo il nostro IBAN cambia.", m.Content.TextBody, StringComparison.Ordinal);
                Assert.Equal("listino", Path.GetFileNameWithoutExtension(m.Attachments.Single().FileName)[..7]);
            });
            Assert.Contains("TOTAL 700.00", email.Accepted.Single(m => m.Message.CustomerCode == "C1").Content.TextBody, StringComparison.Ordinal);
            var history = await h.Store.ReadActivitiesAsync(Company, "C3").ToListAsync();
            var sent = Assert.Single(history);
            Assert.Equal(ActivityKind.MessageSent, sent.Kind);
            Assert.Equal("Dal 1° marzo il nostro IBAN cambia.", sent.Notes);
        }
        finally
        {
            File.Delete(attachment);
        }
    }

    [Fact]
    public async Task An_operator_can_only_write_to_customers_in_their_scope()
    {
        var h = new EngineHarness(ports: b => b.UseChannel(new RecordingChannel(DeliveryChannel.Email)).UseTemplates(new ModelTemplateRenderer()));
        h.Ledger.Put(Customer("C1"));
        await h.DayAsync(Day);
        var anna = new OperatorId("anna");
        await h.Engine.Desk.SaveOperatorAsync(OperatorId.System, Company, new Operator { Id = anna, Name = "Anna", Companies = new HashSet<CompanyId> { Company } });

        await Assert.ThrowsAsync<AccessDeniedException>(async () => await h.Engine.Desk.SendMassEmailAsync(anna, Company, new MassEmailRequest
        {
            CustomerCodes = ["C1"],
            Subject = "x",
            Text = "y",
        }));
        Assert.Empty(await h.Store.ReadOutboxAsync(Company, OutboxStatus.Pending).ToListAsync());
    }
}
