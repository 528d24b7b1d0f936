using CreditRecovery.Ports;
using CreditRecovery.Procedures;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;

namespace CreditRecovery.Delivery.Email.Tests;

public sealed class OptionsTests
{
    private static OptionsValidationException StartFails(Action<IServiceCollection> register)
    {
        var services = new ServiceCollection();
        register(services);
        using var provider = services.BuildServiceProvider();
        return Assert.Throws<OptionsValidationException>(() => provider.GetServices<IMessageChannel>().ToList());
    }

    [Fact]
    public void SMTP_options_list_every_problem_by_name()
    {
        var error = StartFails(s => s.AddSmtpEmail(o =>
        {
            o.Port = 70000;
            o.UserName = "mailer";
            o.From = "not-an-address";
            o.Timeout = TimeSpan.Zero;
        }));

        Assert.Contains("SmtpEmailOptions.Host is required (the SMTP server's name or address).", error.Failures);
        Assert.Contains("SmtpEmailOptions.Port 70000 is out of range: use 1-65535, or 0 for the usual port.", error.Failures);
        Assert.Contains("SmtpEmailOptions.Password is required when SmtpEmailOptions.UserName is set (its value is never shown).", error.Failures);
        Assert.Contains("SmtpEmailOptions.From 'not-an-address' is not a valid e-mail address.", error.Failures);
        Assert.Contains("SmtpEmailOptions.Timeout must be positive (e.g. 30 seconds).", error.Failures);
    }

    [Fact]
    public void PEC_needs_its_address_a_password_and_TLS()
    {
        var error = StartFails(s => s.AddPecMail(o =>
        {
            o.Host = "smtps.pec.provider.example";
            o.Security = SmtpSecurity.None;
        }));

        Assert.Contains("PecMailOptions.From is required: the company's PEC address, the only sender a PEC provider accepts.", error.Failures);
        Assert.Contains("PecMailOptions.Security cannot be None: PEC providers require TLS (SslOnConnect on 465, or StartTls).", error.Failures);
        Assert.Contains("PecMailOptions.Password is required: a PEC mailbox always needs authentication (its value is never shown).", error.Failures);
    }

    [Fact]
    public void Fax_gateway_needs_a_pattern_with_the_number()
    {
        var missing = StartFails(s => s.AddFaxGateway(o => o.Host = "smtp.acme.example"));
        var noPlaceholder = StartFails(s => s.AddFaxGateway(o =>
        {
            o.Host = "smtp.acme.example";
            o.AddressPattern = "fax@provider.example";
        }));
        var badCountry = StartFails(s => s.AddFaxGateway(o =>
        {
            o.Host = "smtp.acme.example";
            o.AddressPattern = "{number}@fax.provider.example";
            o.CountryCode = "+39";
        }));

        Assert.Contains("FaxGatewayOptions.AddressPattern is required, e.g. '{number}@fax.provider.example'.", missing.Failures);
        Assert.Contains("FaxGatewayOptions.AddressPattern 'fax@provider.example' has no {number} placeholder, e.g. '{number}@fax.provider.example'.", noPlaceholder.Failures);
        Assert.Contains("FaxGatewayOptions.CountryCode '+39' must be a country calling code of 1-3 digits, e.g. '39'.", badCountry.Failures);
    }

    [Fact]
    public void Pickup_folder_needs_a_folder_and_mail_channels_only()
    {
        var error = StartFails(s => s.AddPickupFolder(o => o.Channels = new HashSet<DeliveryChannel> { DeliveryChannel.Email, DeliveryChannel.Letter }));

        Assert.Contains("PickupFolderOptions.Folder is required (where the .eml files are written).", error.Failures);
        Assert.Contains("PickupFolderOptions.Channels contains Letter: the pickup folder writes e-mails, so it stands in for Email, Pec and Fax only.", error.Failures);
    }

    [Fact]
    public void Validation_runs_on_start_with_the_generic_host_pattern()
    {
        var services = new ServiceCollection();
        services.AddSmtpEmail(o => o.Host = "");
        using var provider = services.BuildServiceProvider();

        // What the Generic Host does at start for ValidateOnStart.
        var validator = provider.GetRequiredService<IStartupValidator>();

        var error = Assert.Throws<OptionsValidationException>(validator.Validate);
        Assert.Contains("SmtpEmailOptions.Host is required (the SMTP server's name or address).", error.Failures);
    }

    [Fact]
    public void Passwords_are_never_shown()
    {
        const string secret = "Sup3r-Secret!";
        var options = new SmtpEmailOptions { Host = "smtp.acme.example", UserName = "mailer", Password = secret };
        var pec = new PecMailOptions { Host = "smtps.pec.example", From = "acme@pec.acme.example", Password = secret };
        var invalid = new PecMailOptions { Host = "", Password = secret, Security = SmtpSecurity.None };

        Assert.Equal("SmtpEmailOptions smtp.acme.example:587 StartTls user=mailer password=***", options.ToString());
        Assert.Equal("PecMailOptions smtps.pec.example:465 SslOnConnect user=acme@pec.acme.example password=***", pec.ToString());
        Assert.All(invalid.Validate(), e => Assert.DoesNotContain(secret, e, StringComparison.Ordinal));
        var thrown = Assert.Throws<ArgumentException>(() => new PecChannel(invalid, TestMail.Clock()));
        Assert.DoesNotContain(secret, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void All_channels_coexist_and_the_clock_defaults_to_the_system_clock()
    {
        var services = new ServiceCollection();
        services.AddSmtpEmail(o => o.Host = "smtp.acme.example");
        services.AddPecMail(o =>
        {
            o.Host = "smtps.pec.provider.example";
            o.From = "acme@pec.acme.example";
            o.Password = "x";
        });
        services.AddFaxGateway(o =>
        {
            o.Host = "smtp.acme.example";
            o.AddressPattern = "{number}@fax.provider.example";
        });
        services.AddSmtpEmail(o => o.Port = 2525); // a second call configures, it does not add a channel
        using var provider = services.BuildServiceProvider();

        var channels = provider.GetServices<IMessageChannel>().ToList();

        Assert.Equal([DeliveryChannel.Email, DeliveryChannel.Pec, DeliveryChannel.Fax], channels.Select(c => c.Channel));
        Assert.Same(provider.GetRequiredService<SmtpEmailChannel>(), channels[0]);
        Assert.NotNull(provider.GetRequiredService<IClock>());
        Assert.Equal(2525, provider.GetRequiredService<IOptions<SmtpEmailOptions>>().Value.EffectivePort);
    }
}
