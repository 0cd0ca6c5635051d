using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Microsoft.ML.OnnxRuntime;
using TorchSharp;

namespace Nabla.Bench;

/// <summary>What the report's header says about the machine and the libraries, gathered once at start.</summary>
internal sealed record MachineInfo(string Cpu, int Cores, string DotNet, bool Vector512, bool Vector256, string TorchSharpVersion,
    string LibTorchVersion, int TorchSharpDefaultThreads, string OnnxRuntimeVersion, string LoadAverage, IReadOnlyList<PeakRow> Peaks)
{
    /// <summary>The widest hardware-accelerated vector, the one a GEMM kernel would use.</summary>
    public int WidestVectorBits => Vector512 ? 512 : 256;

    public static MachineInfo Gather(IEnumerable<int> threadCounts)
    {
        bool v512 = System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated;
        int[] widths = v512 ? [256, 512] : [256];
        var peaks = widths.SelectMany(bits => threadCounts.Order().Select(t => new PeakRow(bits, t, MachinePeak.Gflops(bits, t)))).ToList();
        return new MachineInfo(CpuModel(), Environment.ProcessorCount, RuntimeInformation.FrameworkDescription, v512,
            System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated,
            typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "?", torch.__version__, torch.get_num_threads(),
            OrtEnv.Instance().GetVersionString(), ReadLoadAverage(), peaks);
    }

    /// <summary>The measured peak for the widest vector at <paramref name="threads"/>, if measured.</summary>
    public double? PeakGflops(int threads) => Peaks.FirstOrDefault(p => p.VectorBits == WidestVectorBits && p.Threads == threads)?.Gflops;

    // Other processes on the machine are the main source of noise; the report says how busy it was.
    private static string ReadLoadAverage()
        => File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static string CpuModel()
    {
        const string key = "model name";
        string? line = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) : null;
        return line is null ? RuntimeInformation.ProcessArchitecture.ToString() : line[(line.IndexOf(':') + 1)..].Trim();
    }
}

/// <summary>The FMA peak for one vector width and thread count.</summary>
internal sealed record PeakRow(int VectorBits, int Threads, double Gflops);
