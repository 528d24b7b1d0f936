namespace CreditRecovery.Templates.Liquid.Tests;

public sealed class Scratch
{
    [Fact]
    public void Print()
    {
        var r = LiquidTemplateRenderer.Create();
        foreach (var p in r.Problems) System.Console.WriteLine(p);
        foreach (var id in r.TemplateIds.Order())
        {
            var m = r.Render(id, Models.Realistic());
            System.IO.File.WriteAllText($"/tmp/render-{id}.txt", m.Subject + "\n=====\n" + m.TextBody + "\n=====\n" + m.HtmlBody);
        }
    }
}
