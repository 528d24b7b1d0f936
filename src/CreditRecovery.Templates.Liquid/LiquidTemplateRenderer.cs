using System.Collections.Frozen;
using System.Text;
using CreditRecovery.Ports;
using Scriban.Syntax;

namespace CreditRecovery.Templates.Liquid;

/// <summary>
/// Renders message templates written in Liquid (with Scriban) from the <see cref="MessageModel"/>. Templates are loaded
/// and parsed once, when the renderer is built: the shipped defaults, then the files of
/// <see cref="LiquidTemplateOptions.Directory"/>; syntax errors and variables outside the documented model are reported by
/// <see cref="Validate"/> with file, line and column. Each message renders with a fresh context that sees only the model,
/// with the message language's culture and the configured limits. Thread-safe; build one and share it.
/// </summary>
/// <remarks>
/// Template ids shipped: <c>pre-due-reminder</c>, <c>dunning-1</c>, <c>dunning-2</c>, <c>unpaid-receipt</c>,
/// <c>formal-demand</c>, <c>hand-over-notice</c>, <c>mass-email</c>, each in Italian (<c>it</c>) and English (<c>en</c>).
/// See docs/templates.md for the model and the filters.
/// </remarks>
public sealed class LiquidTemplateRenderer : ITemplateRenderer
{
    private readonly LiquidTemplateOptions _options;
    private readonly FrozenDictionary<string, TemplateEntry> _templates;

    /// <summary>Loads, parses and checks the templates.</summary>
    /// <param name="options">The options.</param>
    /// <exception cref="ArgumentException">The options are invalid; every problem is listed.</exception>
    public LiquidTemplateRenderer(LiquidTemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = options.Validate();
        if (errors.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", errors), nameof(options));
        }

        _options = options.Copy();
        _templates = TemplateSet.Load(_options);
    }

    /// <summary>Builds a renderer without dependency injection, e.g. for <c>CreditRecoveryEngineBuilder.UseTemplates</c>.</summary>
    /// <param name="configure">Sets the options; <see langword="null"/> uses the shipped defaults.</param>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public static LiquidTemplateRenderer Create(Action<LiquidTemplateOptions>? configure = null)
    {
        var options = new LiquidTemplateOptions();
        configure?.Invoke(options);
        return new LiquidTemplateRenderer(options);
    }

    /// <summary>The ids of every template loaded.</summary>
    public IReadOnlyCollection<string> TemplateIds => _templates.Keys;

    /// <summary>The problems of every template, for a start-up log or a health check; empty when all are sound.</summary>
    public IReadOnlyList<TemplateProblem> Problems => _templates.Values.SelectMany(t => t.Problems).ToList();

    /// <summary>The languages a template has (e.g. <c>en</c>, <c>it</c>), empty when it does not exist.</summary>
    /// <param name="templateId">The template id.</param>
    public IReadOnlyList<string> Languages(string templateId) =>
        _templates.TryGetValue(templateId, out var entry) ? entry.Variants.Keys.Order(StringComparer.Ordinal).ToList() : [];

    /// <inheritdoc />
    public bool HasTemplate(string templateId) => templateId is not null && _templates.TryGetValue(templateId, out var entry) && entry.Variants.Count > 0;

    /// <inheritdoc />
    public IReadOnlyList<TemplateProblem> Validate(string templateId)
    {
        ArgumentNullException.ThrowIfNull(templateId);
        return _templates.TryGetValue(templateId, out var entry)
            ? entry.Problems
            : [new TemplateProblem(templateId, templateId, 0, 0, "the template does not exist")];
    }

    /// <inheritdoc />
    public ValueTask<RenderedMessage> RenderAsync(string templateId, MessageModel model, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Render(templateId, model));
    }

    /// <summary>
    /// Renders a message synchronously (rendering does no I/O): the subject on one line, the text body and, when the
    /// template has one, the HTML body with every value escaped. The language is the model's, else its primary subtag
    /// (<c>it-IT</c> → <c>it</c>), else <see cref="LiquidTemplateOptions.FallbackLanguage"/>.
    /// </summary>
    /// <param name="templateId">The template id.</param>
    /// <param name="model">The model: the only data the template can see.</param>
    /// <exception cref="TemplateRenderException">The template does not exist, has problems, or failed while rendering (e.g. a loop limit).</exception>
    public RenderedMessage Render(string templateId, MessageModel model)
    {
        ArgumentNullException.ThrowIfNull(templateId);
        ArgumentNullException.ThrowIfNull(model);
        if (!_templates.TryGetValue(templateId, out var entry) || entry.Variants.Count == 0)
        {
            throw new TemplateRenderException(templateId, $"Template '{templateId}' does not exist.", []);
        }

        if (entry.Problems.Count > 0)
        {
            throw new TemplateRenderException(templateId, $"Template '{templateId}' has problems and is not rendered: {string.Join("; ", entry.Problems)}", entry.Problems);
        }

        var variant = Pick(entry, model.Language)
            ?? throw new TemplateRenderException(templateId, $"Template '{templateId}' has no '{model.Language}' version and no '{_options.FallbackLanguage}' fallback.", []);
        var state = new RenderState(model, variant.Formatting);
        var context = new RenderContext(TemplateFilters.Builtins, new ModelView(model, TemplateModel.Root, state), variant.Formatting, _options);
        var subject = OneLine(RenderPart(entry, variant.Subject!, context, html: false));
        var text = RenderPart(entry, variant.Text!, context, html: false).Trim();
        var htmlBody = variant.Html is { } html ? RenderPart(entry, html, context, html: true).Trim() : null;
        return new RenderedMessage(subject, text, htmlBody);
    }

    private TemplateVariant? Pick(TemplateEntry entry, string? language)
    {
        if (!string.IsNullOrEmpty(language))
        {
            var code = language.ToLowerInvariant();
            if (entry.Variants.TryGetValue(code, out var exact))
            {
                return exact;
            }

            var dash = code.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && entry.Variants.TryGetValue(code[..dash], out var primary))
            {
                return primary;
            }
        }

        return entry.Variants.GetValueOrDefault(_options.FallbackLanguage.ToLowerInvariant());
    }

    private static string RenderPart(TemplateEntry entry, TemplateFile file, RenderContext context, bool html)
    {
        context.Html = html;
        try
        {
            return file.Template.Render(context);
        }
        catch (ScriptRuntimeException e)
        {
            var problem = new TemplateProblem(entry.Id, file.File, e.Span.Start.Line + 1, e.Span.Start.Column + 1, e.OriginalMessage);
            throw new TemplateRenderException(entry.Id, $"Template '{entry.Id}' failed: {problem}", [problem], e);
        }
    }

    /// <summary>A subject is one line: line breaks and runs of spaces become one space (no header injection).</summary>
    private static string OneLine(string text)
    {
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c))
            {
                space = builder.Length > 0;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }
}

/// <summary>A template could not be rendered: it does not exist, it has problems, or it failed while running.</summary>
public sealed class TemplateRenderException : CreditRecoveryException
{
    /// <summary>Creates the exception.</summary>
    public TemplateRenderException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public TemplateRenderException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public TemplateRenderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates the exception for a template.</summary>
    /// <param name="templateId">The template.</param>
    /// <param name="message">The message.</param>
    /// <param name="problems">The problems, with file, line and column.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TemplateRenderException(string templateId, string message, IReadOnlyList<TemplateProblem> problems, Exception? innerException = null)
        : base(message, innerException!)
    {
        TemplateId = templateId;
        Problems = problems;
    }

    /// <summary>The template.</summary>
    public string? TemplateId { get; }

    /// <summary>The problems, with file, line and column.</summary>
    public IReadOnlyList<TemplateProblem> Problems { get; } = [];
}
