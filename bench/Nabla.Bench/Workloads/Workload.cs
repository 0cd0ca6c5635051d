namespace Nabla.Bench;

/// <summary>The report's sections; each has its own columns.</summary>
internal enum Section { Gemm, Inference, Training, Elementwise, Normalization, SmallOps }

/// <summary>
/// A row of the report. <see cref="Build"/> makes the shared inputs and the contenders only when the row
/// runs, so a filtered-out or finished row holds no memory.
/// </summary>
/// <param name="FlopsPerIteration">Floating-point operations per iteration, for GFLOPS; 0 where not meaningful.</param>
internal sealed record Workload(Section Section, string Name, Func<Contenders> Build, double FlopsPerIteration = 0);

/// <summary>Nabla and the libraries it is measured against, doing the same work on the same inputs.</summary>
internal sealed record Contenders(Contender Nabla, params Contender[] Anchors);

/// <summary>One library's way of doing a row's work: given a thread count, prepares its state and returns the step to time.</summary>
internal sealed record Contender(string Library, Func<int, Step> Prepare);

/// <summary>One timed iteration and how to release what it holds (native tensors, sessions) when the row is done.</summary>
internal sealed class Step(Action run, Action? release = null) : IDisposable
{
    public Action Run { get; } = run;

    public void Dispose() => release?.Invoke();
}

/// <summary>The names the report prints for each library.</summary>
internal static class Library
{
    public const string Nabla = "Nabla";
    public const string TorchSharp = "TorchSharp";
    public const string OnnxRuntime = "ONNX Runtime";
}
