namespace Nabla.Data;

/// <summary>PyTorch's <c>RandomSampler(replacement=False)</c>: the order in which a shuffling loader visits samples.</summary>
internal static class SampleOrder
{
    /// <summary>
    /// <c>randperm(n, generator)</c>; without a generator, through a fresh one seeded from
    /// <c>torch.empty((), dtype=torch.int64).random_()</c> of the default generator. Lazy as PyTorch's is: nothing is drawn
    /// before the first index is asked for, and asking past the last draws the <c>randperm(n)[:num_samples % n]</c> that
    /// PyTorch's sampler draws then (an empty slice, but a full draw).
    /// </summary>
    public static IEnumerable<int> Random(int n, Generator? generator)
    {
        var g = generator ?? new Generator().ManualSeed(RandomInt64(Generator.Default));
        foreach (long i in Torch.Randperm(n, generator: g).ToArray<long>()) yield return (int)i;
        Torch.Randperm(n, generator: g);
    }

    /// <summary><c>torch.empty((), dtype=torch.int64).random_(generator=g)</c>: uniform over [0, 2^63).</summary>
    public static long RandomInt64(Generator g) => (long)(g.Random64() % (1UL << 63));
}
