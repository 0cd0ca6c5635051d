using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace Nabla.Bench;

/// <summary>
/// Kernel micro-benchmarks for BenchmarkDotNet (<c>--micro</c>, then BenchmarkDotNet's own options such as
/// <c>--filter *Gemm*</c>). They run in this process with a short job: the side-by-side runner is the report;
/// these are for kernel work between reports.
/// </summary>
internal static class MicroBenchmarks
{
    public static int Run(string[] args)
    {
        // Artifacts go beside the binaries (ignored by git), not into whatever directory the bench was started from.
        var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).AsDefault())
            .WithArtifactsPath(Path.Combine(AppContext.BaseDirectory, "BenchmarkDotNet.Artifacts"));
        var summaries = BenchmarkSwitcher.FromTypes([typeof(GemmBenchmarks), typeof(ConvBenchmarks), typeof(ElementwiseBenchmarks)])
            .Run(args.Length == 0 ? ["--filter", "*"] : args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
