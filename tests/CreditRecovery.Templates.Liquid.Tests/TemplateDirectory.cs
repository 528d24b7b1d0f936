namespace CreditRecovery.Templates.Liquid.Tests;

/// <summary>A temporary override directory of template files, deleted on dispose.</summary>
internal sealed class TemplateDirectory : IDisposable
{
    public TemplateDirectory(params (string File, string Text)[] files)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "cr-templates-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        foreach (var (file, text) in files)
        {
            File.WriteAllText(System.IO.Path.Combine(Path, file), text);
        }
    }

    public string Path { get; }

    /// <summary>A renderer over the defaults plus this directory.</summary>
    public LiquidTemplateRenderer Renderer(Action<LiquidTemplateOptions>? configure = null) =>
        LiquidTemplateRenderer.Create(o =>
        {
            o.Directory = Path;
            configure?.Invoke(o);
        });

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
