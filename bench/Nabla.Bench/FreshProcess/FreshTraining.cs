using System.Diagnostics;
using System.Runtime.CompilerServices;
using TorchSharp;

namespace Nabla.Bench;

/// <summary>
/// What a child process does for the fresh-process figures: the MLP training step (SGD, batch 64) from a cold
/// start, timed from process start to the end of the first step, then 200 more steps for the peak working set.
/// Each side touches only its own library, so the other is never loaded.
/// </summary>
internal static class FreshTraining
{
    public const string NablaChild = "mlp-nabla";
    public const string TorchSharpChild = "mlp-torchsharp";
    private const int SteadySteps = 200;

    /// <summary>Runs child <paramref name="name"/> and prints its figures for <see cref="ChildProcess"/> to read.</summary>
    public static int Run(string name, int threads)
    {
        Action step = name switch
        {
            NablaChild => NablaStep(threads),
            TorchSharpChild => TorchSharpStep(threads),
            _ => throw new ArgumentException($"unknown child '{name}'; known: {NablaChild}, {TorchSharpChild}"),
        };
        step();
        var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
        for (int i = 0; i < SteadySteps; i++) step();
        Console.WriteLine($"{ChildProcess.FirstStepKey}={sinceStart.TotalMilliseconds:R}");
        Console.WriteLine($"{ChildProcess.PeakKey}={ProcessCounters.PeakWorkingSetBytes()}");
        return 0;
    }

    // Not inlined into Run: inlining would make the JIT load both libraries whichever child runs.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Action NablaStep(int threads)
    {
        Torch.SetNumThreads(threads);
        Torch.ManualSeed(0);
        var model = NablaModels.Mlp();
        return TrainingWorkloads.NablaStep(model, TrainingWorkloads.NablaSgd(model.Parameters()), Torch.Randn(64, 784), Torch.Randint(0, 10, [64]));
    }

    // TorchSharp's own initialisation: same shapes and work, without loading Nabla into this process.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Action TorchSharpStep(int threads)
    {
        torch.set_num_threads(threads);
        torch.manual_seed(0);
        var model = TorchSharpModels.Mlp();
        return TrainingWorkloads.TorchSharpStep(model, TrainingWorkloads.TorchSharpSgd(model.parameters()), torch.randn(64, 784), torch.randint(0, 10, [64]));
    }
}
