namespace Nabla.Data;

/// <summary>
/// A map-style dataset (<c>torch.utils.data.Dataset</c>): a fixed number of samples, each read by its index.
/// </summary>
/// <typeparam name="T">One sample, e.g. <c>(Tensor Image, Tensor Label)</c>.</typeparam>
public abstract class Dataset<T>
{
    /// <summary>The number of samples (<c>len(dataset)</c>).</summary>
    public abstract int Count { get; }

    /// <summary>The sample at <paramref name="index"/> (<c>dataset[index]</c>), for 0 ≤ index &lt; <see cref="Count"/>.</summary>
    public abstract T this[int index] { get; }
}

/// <summary>Operations on datasets (<c>torch.utils.data</c>'s functions).</summary>
public static class Dataset
{
    /// <summary>
    /// Splits <paramref name="dataset"/> into non-overlapping subsets of the given lengths, like
    /// <c>torch.utils.data.random_split(dataset, lengths, generator)</c>: one <c>randperm(len(dataset))</c> through
    /// <paramref name="generator"/> (the default generator when null) is cut into consecutive pieces.
    /// </summary>
    public static DatasetSplit<T> RandomSplit<T>(Dataset<T> dataset, IReadOnlyList<int> lengths, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (lengths.Sum() != dataset.Count)
            throw new ArgumentException("Sum of input lengths does not equal the length of the input dataset!");
        var perm = Torch.Randperm(dataset.Count, generator: generator).ToArray<long>();
        var subsets = new Subset<T>[lengths.Count];
        int offset = 0;
        for (int i = 0; i < lengths.Count; i++)
        {
            subsets[i] = new Subset<T>(dataset, perm.AsSpan(offset, lengths[i]).ToArray().Select(p => (int)p).ToArray());
            offset += lengths[i];
        }
        return new DatasetSplit<T>(subsets);
    }

    /// <summary>
    /// Splits by fractions that sum to 1, as <c>random_split(dataset, [0.8, 0.2])</c> does (PyTorch 1.13 and 2.x alike):
    /// each length is <c>floor(len(dataset) * fraction)</c>, and the remainder is handed out one at a time, round robin
    /// from the first split. Lengths that do not sum to 1 are read as counts and must be whole numbers.
    /// </summary>
    public static DatasetSplit<T> RandomSplit<T>(Dataset<T> dataset, IReadOnlyList<double> lengths, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        double sum = lengths.Sum();
        if (!(Math.Abs(sum - 1) <= 1e-9 * Math.Max(1, Math.Abs(sum)) && sum <= 1))
        {
            if (lengths.Any(l => l != Math.Floor(l)))
                throw new ArgumentException("Lengths must be whole numbers, or fractions that sum to 1.");
            return RandomSplit(dataset, lengths.Select(l => (int)l).ToArray(), generator);
        }
        var counts = new int[lengths.Count];
        for (int i = 0; i < lengths.Count; i++)
        {
            if (lengths[i] < 0 || lengths[i] > 1) throw new ArgumentException($"Fraction at index {i} is not between 0 and 1");
            counts[i] = (int)Math.Floor(dataset.Count * lengths[i]);
        }
        int remainder = dataset.Count - counts.Sum();
        for (int i = 0; i < remainder; i++) counts[i % counts.Length]++;
        return RandomSplit(dataset, counts, generator);
    }
}
