using System.Diagnostics;
using System.Runtime;

namespace Nabla.Bench;

/// <summary>
/// Runs the sides of one row in the same process, alternating sample batches (ABBA order) so that
/// whatever else the machine is doing falls on both sides alike; ratios of medians are then fair.
/// </summary>
internal static class Interleaved
{
    public static SideResult[] Measure(IReadOnlyList<(string Library, Action Run)> sides, SamplingPlan plan)
    {
        double[] secondsPerIteration = [.. sides.Select(s => WarmUp(s.Run, plan))];
        long[] iterationsPerSample = [.. secondsPerIteration.Select(t => Math.Max(1L, (long)(plan.SampleSeconds / t)))];
        double slowestSample = sides.Select((_, i) => iterationsPerSample[i] * secondsPerIteration[i]).Max();
        int samples = Math.Clamp((int)(plan.BudgetSeconds / slowestSample), plan.MinSamples, plan.Samples);

        // Start both sides from a collected heap, with finalizers (TorchSharp's undisposed tensors) run.
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        var times = sides.Select(_ => new double[samples]).ToArray();
        var totals = new ProcessCounters[sides.Count];
        for (int s = 0; s < samples; s++)
        {
            for (int k = 0; k < sides.Count; k++)
            {
                int i = s % 2 == 0 ? k : sides.Count - 1 - k;
                var before = ProcessCounters.Now();
                long start = Stopwatch.GetTimestamp();
                Repeat(sides[i].Run, iterationsPerSample[i]);
                times[i][s] = Stopwatch.GetElapsedTime(start).TotalSeconds / iterationsPerSample[i];
                totals[i] += ProcessCounters.Now() - before;
            }
        }
        return [.. sides.Select((side, i) => new SideResult(side.Library, Median(times[i]), samples, samples * iterationsPerSample[i], totals[i]))];
    }

    /// <summary>
    /// Runs until warm: at least <see cref="SamplingPlan.WarmupSeconds"/> and two iterations, and until the JIT has been
    /// quiet for <see cref="JitQuietSeconds"/> (tiered compilation promotes hot methods in the background after a
    /// 100 ms delay; timing before that measures tier-0 code). Slow rows stop at <see cref="SamplingPlan.WarmupLimitSeconds"/>.
    /// Returns the time per iteration since the JIT went quiet.
    /// </summary>
    private static double WarmUp(Action run, SamplingPlan plan)
    {
        var clock = Stopwatch.StartNew();
        long iterations = 0, quietIterations = 0;
        long compiled = JitInfo.GetCompiledMethodCount();
        TimeSpan quietSince = TimeSpan.Zero;
        while (true)
        {
            run();
            iterations++;
            var now = clock.Elapsed;
            if (JitInfo.GetCompiledMethodCount() is var count && count != compiled) (compiled, quietSince, quietIterations) = (count, now, 0);
            else quietIterations++;
            bool warm = iterations >= 2 && now.TotalSeconds >= plan.WarmupSeconds && (now - quietSince).TotalSeconds >= JitQuietSeconds;
            if (warm || now.TotalSeconds >= plan.WarmupLimitSeconds)
                return quietIterations > 0 ? (now - quietSince).TotalSeconds / quietIterations : now.TotalSeconds / iterations;
        }
    }

    private const double JitQuietSeconds = 0.25;

    private static void Repeat(Action run, long iterations)
    {
        for (long i = 0; i < iterations; i++) run();
    }

    private static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        int mid = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
    }
}
