namespace Nabla.Bench;

/// <summary>A report column: its header and how it reads one (row, anchor) pair.</summary>
internal sealed record Column(string Header, Func<RowResult, SideResult, string> Cell);

/// <summary>Each section's title, note and columns. Ratios are anchor time / Nabla time: above 1, Nabla is faster.</summary>
internal static class Tables
{
    private static readonly Column Name = new("Workload", (r, _) => r.Workload.Name);
    private static readonly Column Threads = new("Threads", (r, _) => r.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
    private static readonly Column AnchorName = new("Anchor", (_, a) => a.Library);
    private static readonly Column NablaTime = new("Nabla", (r, _) => Units.Time(r.Nabla.MedianSeconds));
    private static readonly Column AnchorTime = new("Anchor time", (_, a) => Units.Time(a.MedianSeconds));
    private static readonly Column Ratio = new("Ratio", (r, a) => Units.Ratio(a.MedianSeconds / r.Nabla.MedianSeconds));

    // Memory figures: page faults and GC counts over the steady-state samples of that side only.
    private static readonly Column[] Memory =
    [
        new("Faults/it Nabla", (r, _) => Faults(r.Nabla)),
        new("Faults/it anchor", (_, a) => Faults(a)),
        new("GC 0/1/2 per 100 it Nabla", (r, _) => Collections(r.Nabla)),
        new("GC 0/1/2 per 100 it anchor", (_, a) => Collections(a)),
        new("Alloc/it Nabla", (r, _) => Units.Bytes(r.Nabla.AllocatedBytesPerIteration)),
        new("Alloc/it anchor", (_, a) => Units.Bytes(a.AllocatedBytesPerIteration)),
    ];

    public static (string Title, string Note, Column[] Columns) For(Section section, MachineInfo machine) => section switch
    {
        Section.Gemm => ("GEMM, fp32", "Nabla `a.Matmul(b)` vs TorchSharp `a.matmul(b)`; `x Wᵀ` multiplies by a transposed view (`w.T()`), as `Linear` does. "
            + $"% of peak: Nabla's GFLOPS over the measured {machine.WidestVectorBits}-bit FMA peak at the same thread count.",
            [Name, Threads, NablaTime, new("TorchSharp", (_, a) => Units.Time(a.MedianSeconds)), Ratio,
             new("Nabla GFLOPS", (r, _) => Units.Number(r.Workload.FlopsPerIteration / r.Nabla.MedianSeconds / 1e9)),
             new("% of peak", (r, _) => PeakShare(r, machine))]),
        Section.Inference => ("MLP 784-256-128-10 inference", "Eval mode under `Torch.NoGrad()`. ONNX Runtime runs Nabla's ONNX export with its input and output bound once; TorchSharp runs the same weights under `no_grad`.",
            [Name, Threads, AnchorName, NablaTime, AnchorTime, Ratio, .. Memory]),
        Section.Training => ("Training steps", "ZeroGrad, forward, cross-entropy, Backward, Step. SGD: lr 0.01, momentum 0.9; Adam: lr 1e-3. TorchSharp starts from Nabla's initial weights and runs each step in a dispose scope.",
            [Name, Threads, AnchorName, NablaTime, AnchorTime, Ratio, .. Memory]),
        Section.Elementwise => ("Elementwise and reductions, fp32", "TorchSharp disposes each result at the next iteration; Nabla leaves results to the library except in the `with Dispose` rows.",
            [Name, Threads, AnchorName, NablaTime, AnchorTime, Ratio, .. Memory]),
        Section.Normalization => ("Normalisation layers, fp32", "The layer's forward under `Torch.NoGrad()` / `torch.no_grad()`, default parameters on both sides; training mode normalises by the batch's statistics (and updates the running ones). TorchSharp disposes each output at the next iteration; Nabla's returns to its pool at the next module call.",
            [Name, Threads, AnchorName, NablaTime, AnchorTime, Ratio, .. Memory]),
        Section.SmallOps => ("Small ops", "Per-op overhead. B/op: managed bytes allocated by the measuring thread per op (TorchSharp's native allocations are not seen). The seed step includes ZeroGrad so that it can repeat.",
            [Name, Threads, new("Nabla ns/op", (r, _) => Units.Number(r.Nabla.MedianSeconds * 1e9, "0")),
             new("TorchSharp ns/op", (_, a) => Units.Number(a.MedianSeconds * 1e9, "0")), Ratio,
             new("Nabla B/op", (r, _) => Units.Number(r.Nabla.ThreadAllocatedBytesPerIteration, "0")),
             new("TorchSharp B/op", (_, a) => Units.Number(a.ThreadAllocatedBytesPerIteration, "0"))]),
        _ => throw new ArgumentOutOfRangeException(nameof(section)),
    };

    private static string Faults(SideResult side) => side.HasPageFaults ? Units.Number(side.PageFaultsPerIteration, "0.##") : "n/a";

    private static string Collections(SideResult side) => $"{Units.Number(side.Gen0Per100, "0.#")}/{Units.Number(side.Gen1Per100, "0.#")}/{Units.Number(side.Gen2Per100, "0.#")}";

    private static string PeakShare(RowResult row, MachineInfo machine)
        => machine.PeakGflops(row.Threads) is { } peak ? $"{Units.Number(100 * row.Workload.FlopsPerIteration / row.Nabla.MedianSeconds / 1e9 / peak, "0")}%" : "n/a";
}
