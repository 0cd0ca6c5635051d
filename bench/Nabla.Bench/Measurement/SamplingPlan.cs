namespace Nabla.Bench;

/// <summary>
/// How long each side of a row is warmed up and measured. A sample is a batch of back-to-back
/// iterations long enough for the stopwatch to be exact; the median over samples resists the noise of
/// other processes on the machine.
/// </summary>
/// <param name="WarmupSeconds">Least warm-up per side; warm-up also waits for the JIT to go quiet.</param>
/// <param name="WarmupLimitSeconds">Most warm-up per side, for rows whose iterations are slow.</param>
/// <param name="SampleSeconds">Target length of one sample batch.</param>
/// <param name="Samples">Samples per side when time allows.</param>
/// <param name="MinSamples">Samples per side even when one iteration is slow.</param>
/// <param name="BudgetSeconds">Per side; slow rows take fewer samples to stay within it.</param>
/// <param name="FreshProcessRuns">Child processes per side for the fresh-process figures.</param>
internal sealed record SamplingPlan(double WarmupSeconds, double WarmupLimitSeconds, double SampleSeconds, int Samples, int MinSamples, double BudgetSeconds, int FreshProcessRuns)
{
    public static readonly SamplingPlan Full = new(WarmupSeconds: 0.5, WarmupLimitSeconds: 3, SampleSeconds: 0.05, Samples: 21, MinSamples: 5, BudgetSeconds: 1.5, FreshProcessRuns: 3);
    public static readonly SamplingPlan Quick = new(WarmupSeconds: 0.1, WarmupLimitSeconds: 0.5, SampleSeconds: 0.01, Samples: 3, MinSamples: 2, BudgetSeconds: 0.1, FreshProcessRuns: 1);
}
