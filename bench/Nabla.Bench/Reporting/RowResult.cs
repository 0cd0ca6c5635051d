namespace Nabla.Bench;

/// <summary>A measured row: one workload at one thread count, Nabla and each anchor.</summary>
internal sealed record RowResult(Workload Workload, int Threads, SideResult Nabla, IReadOnlyList<SideResult> Anchors);

/// <summary>The fresh-process figures at one thread count: medians over child processes of each side.</summary>
internal sealed record FreshRow(string Name, int Threads, FreshFigures Nabla, FreshFigures TorchSharp);
