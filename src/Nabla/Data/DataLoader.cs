using System.Collections;

namespace Nabla.Data;

/// <summary>
/// Batches of a dataset (<c>torch.utils.data.DataLoader</c> with <c>num_workers=0</c>): samples are taken in order, or in a
/// random order drawn exactly as PyTorch's <c>RandomSampler</c> draws it, grouped by <c>batchSize</c> and joined by a collate
/// function. Each pass (each <c>foreach</c>) draws, as PyTorch's iterator does, one 64-bit word for its worker base seed from
/// <c>generator</c> (the default generator when null) and then, when shuffling, its permutation, and one more when the order
/// runs out, as PyTorch's sampler does; the same seed therefore gives PyTorch's batches and leaves the generators where
/// PyTorch leaves them.
/// </summary>
/// <typeparam name="T">A sample and a batch: <c>(Tensor, Tensor)</c> for a <see cref="TensorDataset"/>.</typeparam>
public sealed class DataLoader<T> : IEnumerable<T>
{
    private readonly Dataset<T> _dataset;
    private readonly Func<IReadOnlyList<T>, T> _collate;
    private readonly Generator? _generator;

    /// <summary>
    /// A loader over <paramref name="dataset"/>, like <c>DataLoader(dataset, batch_size, shuffle, drop_last=dropLast,
    /// collate_fn=collate, generator=generator)</c>.
    /// </summary>
    /// <param name="dataset">The samples.</param>
    /// <param name="batchSize">Samples per batch.</param>
    /// <param name="shuffle">Draw a new random order on each pass.</param>
    /// <param name="dropLast">Leave out a last batch smaller than <paramref name="batchSize"/>.</param>
    /// <param name="collate">Joins a batch's samples; by default <see cref="Collate.Default{T}"/> stacks tensors, tuples of tensors and tensor arrays.</param>
    /// <param name="generator">The generator for the base seed and the order; the default generator when null.</param>
    /// <param name="prefetch">Batches to read and collate ahead on a background thread; 0 reads each batch when it is asked for.</param>
    public DataLoader(Dataset<T> dataset, int batchSize = 1, bool shuffle = false, bool dropLast = false,
        Func<IReadOnlyList<T>, T>? collate = null, Generator? generator = null, int prefetch = 0)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        if (batchSize <= 0) throw new ArgumentException($"batch_size should be a positive integer value, but got batch_size={batchSize}");
        if (prefetch < 0) throw new ArgumentException($"prefetch should be a non-negative integer value, but got prefetch={prefetch}");
        _dataset = dataset;
        BatchSize = batchSize;
        Shuffle = shuffle;
        DropLast = dropLast;
        _collate = collate ?? Collate.Default;
        _generator = generator;
        Prefetch = prefetch;
    }

    /// <summary>Samples per batch (<c>loader.batch_size</c>).</summary>
    public int BatchSize { get; }

    /// <summary>Whether each pass draws a new order.</summary>
    public bool Shuffle { get; }

    /// <summary>Whether a last, smaller batch is left out (<c>loader.drop_last</c>).</summary>
    public bool DropLast { get; }

    /// <summary>Batches read ahead on a background thread.</summary>
    public int Prefetch { get; }

    /// <summary>The number of batches in a pass (<c>len(loader)</c>).</summary>
    public int Count => DropLast ? _dataset.Count / BatchSize : (_dataset.Count + BatchSize - 1) / BatchSize;

    /// <summary>Starts a pass: draws the base seed now and the order when the first batch is asked for, as PyTorch does.</summary>
    public IEnumerator<T> GetEnumerator()
    {
        (_generator ?? Generator.Default).Random64();
        return Pass();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<T> Pass()
    {
        var order = Shuffle ? SampleOrder.Random(_dataset.Count, _generator) : Enumerable.Range(0, _dataset.Count);
        if (Prefetch == 0)
        {
            foreach (var indices in Batches(order)) yield return ReadBatch(indices);
            yield break;
        }
        // Ahead of the reader the order is drawn, PyTorch's closing draw included, when the pass starts.
        var batches = Batches(order).ToArray();
        using var queue = new PrefetchQueue<T>(batches.Select(ReadBatch), Prefetch);
        foreach (var batch in queue.Items()) yield return batch;
    }

    // PyTorch's BatchSampler, which asks the sampler for one index more than it yields: the ask that ends the order.
    private IEnumerable<List<int>> Batches(IEnumerable<int> order)
    {
        if (DropLast)
        {
            using var e = order.GetEnumerator();
            while (true)
            {
                var batch = new List<int>(BatchSize);
                for (int k = 0; k < BatchSize; k++)
                {
                    if (!e.MoveNext()) yield break;
                    batch.Add(e.Current);
                }
                yield return batch;
            }
        }
        var current = new List<int>(BatchSize);
        foreach (int index in order)
        {
            current.Add(index);
            if (current.Count < BatchSize) continue;
            yield return current;
            current = new List<int>(BatchSize);
        }
        if (current.Count > 0) yield return current;
    }

    private T ReadBatch(List<int> indices)
    {
        var samples = new T[indices.Count];
        for (int i = 0; i < samples.Length; i++) samples[i] = _dataset[indices[i]];
        return _collate(samples);
    }
}
