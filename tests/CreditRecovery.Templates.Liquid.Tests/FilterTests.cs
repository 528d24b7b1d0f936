namespace CreditRecovery.Templates.Liquid.Tests;

public sealed class FilterTests
{
    [Theory]
    [InlineData("it", "{{ total_residual | money }}", "€ 4.534,56")]
    [InlineData("en", "{{ total_residual | money }}", "€4,534.56")]
    [InlineData("it", "{{ 1234567.891 | money }}", "€ 1.234.567,89")]
    [InlineData("it", "{{ -12.5 | money }}", "-€ 12,50")]
    [InlineData("en", "{{ -12.5 | money }}", "-€12.50")]
    [InlineData("it", "{{ 1234.5 | money: 'chf' }}", "CHF 1.234,50")]
    [InlineData("en", "{{ 1234.5 | money: 'CHF' }}", "CHF 1,234.50")]
    [InlineData("en", "{{ 10 | money: 'GBP' }}", "£10.00")]
    [InlineData("it", "{{ 0 | money }}", "€ 0,00")]
    [InlineData("it", "{{ operator_text | money }}|{{ customer.name | money }}", "|")]
    [InlineData("it", "{{ total_residual | number }}", "4.534,56")]
    [InlineData("en", "{{ total_residual | number: 0 }}", "4,535")]
    [InlineData("it", "{{ total_residual }}", "4534,56")]
    [InlineData("en", "{{ total_residual }}", "4534.56")]
    [InlineData("it", "{{ interest.lines[0].rate_percent | percent }}", "10,15%")]
    [InlineData("en", "{{ interest.lines[0].rate_percent | percent: 1 }}", "10.2%")]
    [InlineData("it", "{{ business_date }}|{{ business_date | date }}|{{ business_date | date: 'long' }}", "16/03/2026|16/03/2026|16 marzo 2026")]
    [InlineData("en", "{{ business_date | date: 'long' }}|{{ lines[0].due_date | date: 'long' }}", "16 March 2026|31 December 2025")]
    [InlineData("it", "{{ lines[2].document_date | date: 'MMMM yyyy' }}", "gennaio 2026")]
    [InlineData("it", "{{ business_date.year }}-{{ business_date.month }}-{{ business_date.day }}", "2026-3-16")]
    [InlineData("it", "{{ lines[2].unpaid_receipt_date | date }}|{{ lines[0].unpaid_receipt_date | date }}|", "13/02/2026||")]
    [InlineData("it", "{{ lines[2].payment_type }}: {{ lines[2].payment_type_label }}", "bank_receipt: ricevuta bancaria (RiBa)")]
    [InlineData("en", "{{ lines[0].payment_type }}: {{ lines[0].payment_type_label }}", "bank_transfer: bank transfer")]
    [InlineData("it", "{% for line in lines %}{{ line.row }}.{{ line.installment_number }}/{{ line.days_overdue }} {% endfor %}", "1.1/75 2.2/44 3.1/34")]
    [InlineData("it", "{{ line_count }} {{ max_days_overdue }} {{ currency }} {{ language }} {{ step_name }}", "3 75 EUR it Messa in mora (PEC)")]
    [InlineData("en", "{{ company.address.one_line }} / {{ customer.address.city }}", "Via Roma 1, 20121 Milano (MI) / Torino")]
    [InlineData("it", "{{ customer.name | upcase }} {{ lines | map: 'document_number' | uniq | join: ', ' }}", "ROSSI IMPIANTI S.R.L. FT-2025/0912, FT-2026/0041")]
    [InlineData("it", "{% if total_residual > 1000 %}alto{% else %}basso{% endif %} {{ interest.compensations.size }}", "alto 2")]
    [InlineData("it", "{{ operator_text | newline_to_br }}", "Vi informiamo che dal 1° aprile i nostri uffici osservano un nuovo orario.\nGrazie per la collaborazione.")]
    public void Filters_and_variables_write_in_the_message_language(string language, string text, string expected)
    {
        using var dir = new TemplateDirectory(($"t.{language}.subject.liquid", "s"), ($"t.{language}.text.liquid", text), ("t.it.subject.liquid", "s"), ("t.it.text.liquid", text));
        var renderer = dir.Renderer();
        Assert.Empty(renderer.Validate("t"));
        Assert.Equal(expected, renderer.Render("t", Models.Realistic(language)).TextBody);
    }
}
