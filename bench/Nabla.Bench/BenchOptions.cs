namespace Nabla.Bench;

/// <summary>The command line: <c>--threads 1,2 --filter text --quick --out PATH</c>, <c>--micro [BenchmarkDotNet args]</c>, <c>--child NAME</c>.</summary>
internal sealed record BenchOptions(int[] Threads, string? Filter, bool Quick, string? OutPath, string? Child, bool Micro, string[] MicroArgs)
{
    public static BenchOptions Parse(string[] args)
    {
        int[] threads = [1, 2];
        string? filter = null, outPath = null, child = null;
        bool quick = false;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                // Everything after --micro belongs to BenchmarkDotNet's switcher.
                case "--micro": return new(threads, filter, quick, outPath, child, true, args[(i + 1)..]);
                case "--threads": threads = [.. Value(args, ref i).Split(',').Select(int.Parse)]; break;
                case "--filter": filter = Value(args, ref i); break;
                case "--out": outPath = Value(args, ref i); break;
                case "--child": child = Value(args, ref i); break;
                case "--quick": quick = true; break;
                default: throw new ArgumentException($"unknown option '{args[i]}'; use --threads 1,2 --filter TEXT --quick --out PATH, or --micro [BenchmarkDotNet options]");
            }
        }
        if (threads.Length == 0 || threads.Any(t => t < 1)) throw new ArgumentException("--threads takes positive counts, e.g. 1,2");
        return new(threads, filter, quick, outPath, child, false, []);
    }

    private static string Value(string[] args, ref int i)
        => ++i < args.Length ? args[i] : throw new ArgumentException($"{args[i - 1]} needs a value");

    /// <summary>Whether a row named <paramref name="name"/> passes <c>--filter</c> (case-insensitive substring).</summary>
    public bool Selects(string name) => Filter is null || name.Contains(Filter, StringComparison.OrdinalIgnoreCase);

    /// <summary>How long to measure: short for smoke runs, longer for the report.</summary>
    public SamplingPlan Plan => Quick ? SamplingPlan.Quick : SamplingPlan.Full;
}
