using BenchmarkDotNet.Running;

// dotnet run -c Release --project benchmarks/CreditRecovery.Benchmarks -- --filter '*'            (full runs)
// dotnet run -c Release --project benchmarks/CreditRecovery.Benchmarks -- --filter '*' --job short (quick look)
// Compare Ratio and Alloc Ratio within one run; absolute times on shared 2-core machines are informative only.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);

/// <summary>Entry point type, for <see cref="BenchmarkSwitcher"/>.</summary>
public partial class Program;
