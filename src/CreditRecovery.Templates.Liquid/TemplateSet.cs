using System.Collections.Frozen;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using CreditRecovery.Ports;
using Scriban;
using Scriban.Parsing;

namespace CreditRecovery.Templates.Liquid;

/// <summary>The part of a message a template file renders.</summary>
internal enum TemplatePart
{
    Subject,
    Text,
    Html,
}

/// <summary>One parsed file.</summary>
/// <param name="File">The file name (<c>dunning-1.it.text.liquid</c>).</param>
/// <param name="Origin">Where it came from: <c>default</c> or the path of the override.</param>
/// <param name="Template">The parsed template.</param>
internal sealed record TemplateFile(string File, string Origin, Template Template);

/// <summary>One language of a template: subject, text body and optional HTML body.</summary>
internal sealed class TemplateVariant(string language)
{
    public string Language => language;

    public TemplateLanguage Formatting { get; } = TemplateLanguage.For(language);

    public TemplateFile? Subject { get; set; }

    public TemplateFile? Text { get; set; }

    public TemplateFile? Html { get; set; }
}

/// <summary>A template: its languages and the problems found when it was loaded.</summary>
internal sealed class TemplateEntry(string id)
{
    public string Id => id;

    public Dictionary<string, TemplateVariant> Variants { get; } = new(StringComparer.Ordinal);

    public List<TemplateProblem> Problems { get; } = [];
}

/// <summary>
/// Loads the template set once: the embedded defaults, then the override directory file by file; parses every file as
/// Liquid and checks it against the model. Nothing is read from disk after this.
/// </summary>
internal static partial class TemplateSet
{
    private const string ResourcePrefix = "CreditRecovery.Templates.Liquid.Defaults.";

    public static bool IsLanguage(string code) => LanguagePattern().IsMatch(code);

    public static FrozenDictionary<string, TemplateEntry> Load(LiquidTemplateOptions options)
    {
        var files = new Dictionary<(string Id, string Language, TemplatePart Part), (string File, string Origin, string Text)>();
        var entries = new Dictionary<string, TemplateEntry>(StringComparer.Ordinal);
        if (options.UseDefaultTemplates)
        {
            var assembly = typeof(TemplateSet).Assembly;
            foreach (var resource in assembly.GetManifestResourceNames().Where(r => r.StartsWith(ResourcePrefix, StringComparison.Ordinal)))
            {
                var file = resource[ResourcePrefix.Length..];
                using var stream = assembly.GetManifestResourceStream(resource)!;
                using var reader = new StreamReader(stream);
                Add(file, "default", reader.ReadToEnd());
            }
        }

        if (options.Directory is { } directory)
        {
            foreach (var path in System.IO.Directory.EnumerateFiles(directory, "*.liquid", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal))
            {
                Add(Path.GetFileName(path), path, File.ReadAllText(path));
            }
        }

        foreach (var ((id, language, part), (file, origin, text)) in files)
        {
            var entry = Entry(id);
            if (!entry.Variants.TryGetValue(language, out var variant))
            {
                entry.Variants[language] = variant = new TemplateVariant(language);
            }

            var parsed = Parse(entry, file, origin, text);
            switch (part)
            {
                case TemplatePart.Subject:
                    variant.Subject = parsed;
                    break;
                case TemplatePart.Text:
                    variant.Text = parsed;
                    break;
                default:
                    variant.Html = parsed;
                    break;
            }
        }

        foreach (var entry in entries.Values)
        {
            foreach (var variant in entry.Variants.Values.OrderBy(v => v.Language, StringComparer.Ordinal))
            {
                if (variant.Subject is null)
                {
                    entry.Problems.Add(new TemplateProblem(entry.Id, $"{entry.Id}.{variant.Language}.subject.liquid", 0, 0, "the subject file is missing"));
                }

                if (variant.Text is null)
                {
                    entry.Problems.Add(new TemplateProblem(entry.Id, $"{entry.Id}.{variant.Language}.text.liquid", 0, 0, "the text body file is missing"));
                }
            }

            if (entry.Variants.Count > 0 && !entry.Variants.ContainsKey(options.FallbackLanguage))
            {
                entry.Problems.Add(new TemplateProblem(entry.Id, $"{entry.Id}.{options.FallbackLanguage}.*.liquid", 0, 0,
                    $"there is no '{options.FallbackLanguage}' version, the fallback for messages in other languages"));
            }
        }

        return entries.ToFrozenDictionary(StringComparer.Ordinal);

        void Add(string file, string origin, string text)
        {
            var match = FileNamePattern().Match(file);
            if (!match.Success)
            {
                var id = file.Split('.')[0].ToLowerInvariant();
                Entry(id).Problems.Add(new TemplateProblem(id, file, 0, 0,
                    $"the file name must be <id>.<language>.<subject|text|html>.liquid (from {origin}), so it was not loaded"));
                return;
            }

            var part = Enum.Parse<TemplatePart>(match.Groups["part"].Value, ignoreCase: true);
            var key = (match.Groups["id"].Value.ToLowerInvariant(), match.Groups["lang"].Value.ToLowerInvariant(), part);
            files[key] = (file, origin, text);
        }

        TemplateEntry Entry(string id)
        {
            if (!entries.TryGetValue(id, out var entry))
            {
                entries[id] = entry = new TemplateEntry(id);
            }

            return entry;
        }
    }

    private static TemplateFile Parse(TemplateEntry entry, string file, string origin, string text)
    {
        var template = Template.ParseLiquid(text, file);
        if (template.HasErrors)
        {
            foreach (var message in template.Messages.Where(m => m.Type == ParserMessageType.Error))
            {
                entry.Problems.Add(Problem(entry.Id, file, text, message.Span, message.Message));
            }
        }
        else
        {
            foreach (var (span, message) in TemplateChecker.Check(template.Page!, TemplateModel.Root.Type, TemplateFilters.Names))
            {
                entry.Problems.Add(Problem(entry.Id, file, text, span, message));
            }
        }

        return new TemplateFile(file, origin, template);
    }

    /// <summary>A problem at a Scriban span (0-based; -1 at the end of the file), reported 1-based.</summary>
    private static TemplateProblem Problem(string id, string file, string text, SourceSpan span, string message)
    {
        var (line, column) = (span.Start.Line, span.Start.Column);
        if (line < 0)
        {
            var lines = text.Split('\n');
            (line, column) = (lines.Length - 1, lines[^1].Length);
        }

        return new TemplateProblem(id, file, line + 1, column + 1, message);
    }

    [GeneratedRegex(@"^(?<id>[A-Za-z0-9][A-Za-z0-9_-]*)\.(?<lang>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?)\.(?<part>subject|text|html)\.liquid$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex FileNamePattern();

    [GeneratedRegex(@"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$", RegexOptions.CultureInvariant)]
    private static partial Regex LanguagePattern();
}
