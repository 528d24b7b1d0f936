using CreditRecovery.Work;
using NodaTime;

namespace CreditRecovery.Ports;

/// <summary>
/// Renders message templates (Liquid) with a <see cref="MessageModel"/>. The templates package implements it; the
/// engine checks template names when procedures load and renders when the dispatcher sends.
/// </summary>
public interface ITemplateRenderer
{
    /// <summary>Whether a template with this id exists (in any language).</summary>
    /// <param name="templateId">The template id.</param>
    bool HasTemplate(string templateId);

    /// <summary>Renders a template.</summary>
    /// <param name="templateId">The template id.</param>
    /// <param name="model">The model: the only data the template can see.</param>
    /// <param name="cancellationToken">Cancels the rendering.</param>
    ValueTask<RenderedMessage> RenderAsync(string templateId, MessageModel model, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checks a template when procedures load: syntax errors and variables outside the documented model, each with the
    /// template, file, line and column. Empty when the template is sound; renderers that cannot check return empty.
    /// </summary>
    /// <param name="templateId">The template id.</param>
    IReadOnlyList<TemplateProblem> Validate(string templateId) => [];
}

/// <summary>A problem found in a template when it was loaded or checked.</summary>
/// <param name="TemplateId">The template id.</param>
/// <param name="File">The file or part with the problem (e.g. <c>dunning-1.it.text.liquid</c>).</param>
/// <param name="Line">Line, from 1 (0 when the problem concerns the whole template).</param>
/// <param name="Column">Column, from 1 (0 when the problem concerns the whole template).</param>
/// <param name="Message">What is wrong.</param>
public sealed record TemplateProblem(string TemplateId, string File, int Line, int Column, string Message)
{
    /// <summary>Formats as <c>file(line,column): message</c>.</summary>
    public override string ToString() =>
        Line > 0
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{File}({Line},{Column}): {Message}")
            : $"{File}: {Message}";
}

/// <summary>Rendered content.</summary>
/// <param name="Subject">Subject line (e-mail, PEC) or heading (letter).</param>
/// <param name="TextBody">Plain-text body.</param>
/// <param name="HtmlBody">HTML body, if the template has one.</param>
public sealed record RenderedMessage(string Subject, string TextBody, string? HtmlBody = null);

/// <summary>
/// What a message template can see: the company, the customer and contact person, the installments at this step with
/// totals, the operator in charge, and dates.
/// </summary>
public sealed record MessageModel
{
    /// <summary>The creditor company.</summary>
    public required CompanyProfile Company { get; init; }

    /// <summary>The customer.</summary>
    public required Customer Customer { get; init; }

    /// <summary>The installments at this step.</summary>
    public required IReadOnlyList<MessageLine> Lines { get; init; }

    /// <summary>Sum of the original amounts of <see cref="Lines"/>.</summary>
    public required Money TotalOriginal { get; init; }

    /// <summary>Sum of the open residuals of <see cref="Lines"/>.</summary>
    public required Money TotalResidual { get; init; }

    /// <summary>The operator in charge of the customer, if any.</summary>
    public Operator? Operator { get; init; }

    /// <summary>The procedure step's name.</summary>
    public required string StepName { get; init; }

    /// <summary>The business date the message belongs to.</summary>
    public required LocalDate BusinessDate { get; init; }

    /// <summary>The language to write in (BCP 47, e.g. <c>it</c>).</summary>
    public required string Language { get; init; }

    /// <summary>
    /// The statutory late-payment interest and compensation claimed with this message, when the step claims them
    /// (<see cref="Procedures.ProcedureStep.ClaimLatePaymentInterest"/>); otherwise <see langword="null"/>.
    /// </summary>
    public InterestStatement? Interest { get; init; }

    /// <summary>
    /// Free text written by an operator (a mass e-mail, H5), shown by templates that include it; <see langword="null"/>
    /// for messages of a procedure step.
    /// </summary>
    public string? OperatorText { get; init; }
}

/// <summary>The creditor company as it signs its messages.</summary>
public sealed record CompanyProfile
{
    /// <summary>Company name (*ragione sociale*).</summary>
    public required string Name { get; init; }

    /// <summary>VAT number.</summary>
    public string? VatNumber { get; init; }

    /// <summary>Postal address.</summary>
    public PostalAddress? Address { get; init; }

    /// <summary>Sender e-mail address.</summary>
    public string? Email { get; init; }

    /// <summary>Sender PEC address.</summary>
    public string? Pec { get; init; }

    /// <summary>Phone.</summary>
    public string? Phone { get; init; }

    /// <summary>IBAN to pay to.</summary>
    public string? Iban { get; init; }

    /// <summary>Where replies should go, if not the sender.</summary>
    public string? ReplyTo { get; init; }
}
