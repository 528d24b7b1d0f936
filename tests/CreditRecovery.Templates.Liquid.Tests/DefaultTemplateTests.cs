using CreditRecovery.Ports;

namespace CreditRecovery.Templates.Liquid.Tests;

public sealed class DefaultTemplateTests
{
    public static readonly string[] Ids = ["pre-due-reminder", "dunning-1", "dunning-2", "unpaid-receipt", "formal-demand", "hand-over-notice", "mass-email"];

    private static readonly LiquidTemplateRenderer Renderer = LiquidTemplateRenderer.Create();

    public static TheoryData<string, string> IdsAndLanguages()
    {
        var data = new TheoryData<string, string>();
        foreach (var id in Ids)
        {
            data.Add(id, "it");
            data.Add(id, "en");
        }

        return data;
    }

    [Fact]
    public void The_shipped_templates_are_exactly_the_documented_ones_and_have_no_problems()
    {
        Assert.Equal(Ids.Order(), Renderer.TemplateIds.Order());
        Assert.Empty(Renderer.Problems);
        foreach (var id in Ids)
        {
            Assert.True(Renderer.HasTemplate(id));
            Assert.Empty(Renderer.Validate(id));
            Assert.Equal(["en", "it"], Renderer.Languages(id));
        }
    }

    [Theory]
    [MemberData(nameof(IdsAndLanguages))]
    public async Task Every_default_template_renders_a_realistic_message_with_the_amounts_in_the_language_format(string id, string language)
    {
        var model = Models.Realistic(language);
        var message = await Renderer.RenderAsync(id, model);

        Assert.False(string.IsNullOrWhiteSpace(message.Subject));
        Assert.DoesNotContain('\n', message.Subject);
        Assert.NotNull(message.HtmlBody);
        Assert.StartsWith("<!DOCTYPE html>", message.HtmlBody, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}\">", message.HtmlBody, StringComparison.Ordinal);
        foreach (var body in new[] { message.TextBody, message.HtmlBody })
        {
            Assert.Contains(model.Customer.Name, body, StringComparison.Ordinal);
            Assert.Contains("Acme Forniture S.p.A.", body, StringComparison.Ordinal);
            Assert.DoesNotContain("{{", body, StringComparison.Ordinal);
            Assert.DoesNotContain("{%", body, StringComparison.Ordinal);
            if (id == "mass-email")
            {
                Assert.Contains("nuovo orario", body, StringComparison.Ordinal);
                continue;
            }

            // The three installments, their residuals and the total, in the message language's format.
            Assert.Contains("FT-2025/0912", body, StringComparison.Ordinal);
            Assert.Contains("FT-2026/0041", body, StringComparison.Ordinal);
            Assert.Contains(language == "it" ? "€ 834,56" : "€834.56", body, StringComparison.Ordinal);
            Assert.Contains(language == "it" ? "€ 2.500,00" : "€2,500.00", body, StringComparison.Ordinal);
            Assert.Contains(language == "it" ? "€ 4.534,56" : "€4,534.56", body, StringComparison.Ordinal);
            Assert.Contains("31/01/2026", body, StringComparison.Ordinal);
            Assert.DoesNotContain("4534.56", body, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("it", "€ 58,88", "€ 40,00", "€ 4.673,44", "10,15%", "16 marzo 2026", "D.Lgs. 231/2002")]
    [InlineData("en", "€58.88", "€40.00", "€4,673.44", "10.15%", "16 March 2026", "Legislative Decree No. 231/2002")]
    public void The_formal_demand_shows_the_interest_breakdown_the_compensation_and_the_total_claimed(
        string language, string interest, string compensation, string claimed, string rate, string longDate, string law)
    {
        var message = Renderer.Render("formal-demand", Models.Realistic(language));
        foreach (var body in new[] { message.TextBody, message.HtmlBody! })
        {
            Assert.Contains(interest, body, StringComparison.Ordinal);
            Assert.Contains(compensation, body, StringComparison.Ordinal);
            Assert.Contains(claimed, body, StringComparison.Ordinal);
            Assert.Contains(rate, body, StringComparison.Ordinal);
            Assert.Contains(longDate, body, StringComparison.Ordinal);
            Assert.Contains(law, body, StringComparison.Ordinal);
            Assert.Contains("1219", body, StringComparison.Ordinal);

            // One line per interest period, one compensation per invoice (two invoices).
            Assert.Equal(3, Count(body, rate));
            Assert.Equal(2, Count(body, compensation));
        }
    }

    [Theory]
    [InlineData("it", "€ 4.534,56")]
    [InlineData("en", "€4,534.56")]
    public void Without_an_interest_statement_the_formal_demand_claims_the_residual_and_reserves_interest(string language, string residual)
    {
        var message = Renderer.Render("formal-demand", Models.Realistic(language, withInterest: false));
        Assert.Contains(residual, message.TextBody, StringComparison.Ordinal);
        Assert.Contains("231/2002", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("4.673,44", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("4,673.44", message.TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(IdsAndLanguages))]
    public void Every_default_template_renders_a_bare_model_without_contact_operator_address_or_iban(string id, string language)
    {
        var full = Models.Realistic(language, withInterest: false);
        var bare = full with
        {
            Company = new CompanyProfile { Name = "Acme" },
            Customer = full.Customer with { Contact = null, Address = null, VatNumber = null, Pec = null },
            Operator = null,
            OperatorText = null,
        };

        var message = Renderer.Render(id, bare);

        Assert.Contains("Acme", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("IBAN", message.TextBody, StringComparison.Ordinal);
        Assert.DoesNotContain("\n\n\n", message.TextBody, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("de", "it")]
    [InlineData("it-IT", "it")]
    [InlineData("EN", "en")]
    [InlineData("en-GB", "en")]
    [InlineData("", "it")]
    public void The_language_falls_back_to_its_primary_subtag_then_to_Italian(string requested, string expected)
    {
        var message = Renderer.Render("dunning-1", Models.Realistic() with { Language = requested });
        Assert.Contains(expected == "it" ? "Sollecito di pagamento" : "Payment reminder", message.Subject, StringComparison.Ordinal);
        Assert.Contains(expected == "it" ? "€ 4.534,56" : "€4,534.56", message.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public void The_mass_email_shows_the_operator_text_with_line_breaks_in_html()
    {
        var message = Renderer.Render("mass-email", Models.Realistic() with { OperatorText = "Riga 1 <b>non grassetto</b>\nRiga 2 & altro" });
        Assert.Contains("Riga 1 <b>non grassetto</b>\nRiga 2 & altro", message.TextBody, StringComparison.Ordinal);
        Assert.Contains("Riga 1 &lt;b&gt;non grassetto&lt;/b&gt;<br />\nRiga 2 &amp; altro", message.HtmlBody, StringComparison.Ordinal);
    }

    private static int Count(string text, string value)
    {
        var count = 0;
        for (var i = text.IndexOf(value, StringComparison.Ordinal); i >= 0; i = text.IndexOf(value, i + value.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
