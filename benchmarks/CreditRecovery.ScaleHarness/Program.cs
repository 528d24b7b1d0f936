using System.Globalization;
using CreditRecovery.ScaleHarness;

// dotnet run -c Release --project benchmarks/CreditRecovery.ScaleHarness -- --size 100000
//   --size N      the largest book; the ladder 10k, 100k, 1M is run up to N (N itself when it is not on the ladder)
//   --sizes a,b   exactly these sizes
//   --seed S      the generator's seed (default 20260311)
//   --out PATH    where to write the Markdown (default docs/benchmarks.md of the repository; --no-write to skip)
//   --work DIR    where the databases go (default a temporary folder), --keep to keep them
var sizes = new List<int>();
var seed = 20260311;
string? output = null;
var write = true;
string? work = null;
var keep = false;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--size":
            var max = int.Parse(args[++i], CultureInfo.InvariantCulture);
            sizes.AddRange(new[] { 10_000, 100_000, 1_000_000 }.Where(s => s < max));
            sizes.Add(max);
            break;
        case "--sizes":
            sizes.AddRange(args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)));
            break;
        case "--seed":
            seed = int.Parse(args[++i], CultureInfo.InvariantCulture);
            break;
        case "--out":
            output = args[++i];
            break;
        case "--no-write":
            write = false;
            break;
        case "--work":
            work = args[++i];
            break;
        case "--keep":
            keep = true;
            break;
        default:
            Console.Error.WriteLine($"Unknown argument '{args[i]}'. Use --size N, --sizes a,b,c, --seed S, --out PATH, --no-write, --work DIR, --keep.");
            return 2;
    }
}

if (sizes.Count == 0)
{
    sizes.AddRange([10_000, 100_000]);
}

var result = await Harness.RunAsync(new HarnessOptions
{
    Sizes = sizes.Distinct().Order().ToList(),
    Seed = seed,
    WorkDirectory = work,
    Keep = keep,
    Log = Console.Out,
});

Console.WriteLine();
Console.WriteLine(result.ToText());
if (write)
{
    output ??= BenchmarksDocument.DefaultPath();
    BenchmarksDocument.Write(output, result, args);
    Console.WriteLine($"Written to {output}");
}

return 0;
