using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CreditRecovery.Benchmarks.Tests;

/// <summary>
/// CI's smoke run of the BenchmarkDotNet suite: every benchmark once, BenchmarkDotNet's dry job (one iteration, no
/// pilot, no warm-up), in process, so that a broken benchmark fails CI while timings never do.
/// </summary>
public sealed class BenchmarkSuiteSmokeTests
{
    [Fact]
    public void Every_benchmark_runs_once_in_a_dry_job()
    {
        var artifacts = Path.Combine(Path.GetTempPath(), "creditrecovery-bdn-" + Guid.NewGuid().ToString("N"));
        var log = new AccumulationLogger();
        var config = ManualConfig.CreateEmpty()
            .AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
            .AddLogger(log)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(artifacts)

            // Tests build in Debug; the smoke run checks that benchmarks run, not how fast.
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.DisableLogFile);
        try
        {
            var summaries = BenchmarkRunner.Run(typeof(StateTransitionBenchmarks).Assembly, config);

            var types = summaries.SelectMany(s => s.BenchmarksCases).Select(c => c.Descriptor.Type.Name).Distinct().Order().ToList();
            Assert.Equal(["GroupingBenchmarks", "ProcedureResolutionBenchmarks", "ReconciliationBenchmarks", "StateTransitionBenchmarks", "TemplateRenderBenchmarks"], types);
            foreach (var summary in summaries)
            {
                Assert.False(summary.HasCriticalValidationErrors, string.Join("\n", summary.ValidationErrors.Select(e => e.Message)) + "\n" + log.GetLog());
                Assert.All(summary.Reports, r => Assert.True(r.Success, $"{r.BenchmarkCase.DisplayInfo} failed:\n{log.GetLog()}"));
                Assert.NotEmpty(summary.Reports);
            }
        }
        finally
        {
            if (Directory.Exists(artifacts))
            {
                Directory.Delete(artifacts, recursive: true);
            }
        }
    }
}
