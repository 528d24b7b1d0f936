using BenchmarkDotNet.Attributes;
using CreditRecovery.Ports;
using CreditRecovery.Running;
using CreditRecovery.Templates.Liquid;

namespace CreditRecovery.Benchmarks;

/// <summary>
/// Rendering a dunning letter with the default Italian Liquid templates, parsed once and cached by the renderer
/// (subject, text and HTML bodies): a consolidated letter listing 5 installments against the baseline of a letter for one.
/// Target: ≥ 20,000 consolidated letters per second per core, i.e. ≤ 50 µs each.
/// </summary>
[MemoryDiagnoser]
[BenchmarkCategory("template render")]
public class TemplateRenderBenchmarks
{
    private LiquidTemplateRenderer _renderer = null!;
    private MessageModel _single = null!;
    private MessageModel _consolidated = null!;

    [GlobalSetup]
    public void Setup()
    {
        _renderer = LiquidTemplateRenderer.Create();
        _single = Model(1);
        _consolidated = Model(5);
    }

    [Benchmark(Baseline = true, Description = "letter for 1 installment")]
    public ValueTask<RenderedMessage> Single() => _renderer.RenderAsync("dunning-1", _single);

    [Benchmark(Description = "consolidated letter, 5 installments")]
    public ValueTask<RenderedMessage> Consolidated() => _renderer.RenderAsync("dunning-1", _consolidated);

    private static MessageModel Model(int installments)
    {
        var lines = Enumerable.Range(0, installments)
            .Select(n => MessageFactory.Line(BenchBook.Case(BenchBook.Installment(1, n, BenchBook.Today.PlusDays(-10 - n))), BenchBook.Today))
            .ToList();
        return new MessageModel
        {
            Company = new CompanyProfile { Name = "Bench S.p.A.", Email = "crediti@bench.example", Iban = "IT60X0542811101000000123456" },
            Customer = BenchBook.Customer(1) with { Address = new PostalAddress("Via Roma 1", "20100", "Milano", "MI") },
            Lines = lines,
            TotalOriginal = Money.Eur(lines.Sum(l => l.OriginalAmount.Amount)),
            TotalResidual = Money.Eur(lines.Sum(l => l.Residual.Amount)),
            StepName = "1° sollecito",
            BusinessDate = BenchBook.Today,
            Language = "it",
        };
    }
}
