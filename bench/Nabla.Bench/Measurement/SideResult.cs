namespace Nabla.Bench;

/// <summary>One side of a row after measurement: the median time per iteration and what the iterations cost in memory.</summary>
internal sealed record SideResult(string Library, double MedianSeconds, int Samples, long Iterations, ProcessCounters Totals)
{
    public bool HasPageFaults => Totals.PageFaults >= 0;
    public double PageFaultsPerIteration => (double)Totals.PageFaults / Iterations;
    public double Gen0Per100 => 100.0 * Totals.Gen0 / Iterations;
    public double Gen1Per100 => 100.0 * Totals.Gen1 / Iterations;
    public double Gen2Per100 => 100.0 * Totals.Gen2 / Iterations;

    /// <summary>Managed bytes allocated per iteration on all threads.</summary>
    public double AllocatedBytesPerIteration => (double)Totals.AllocatedBytes / Iterations;

    /// <summary>Managed bytes allocated per iteration by the measuring thread alone: exact for single-threaded small ops.</summary>
    public double ThreadAllocatedBytesPerIteration => (double)Totals.ThreadAllocatedBytes / Iterations;
}
