namespace Nabla.Data;

/// <summary>Collate functions: how a loader joins a batch's samples (<c>torch.utils.data.default_collate</c>).</summary>
public static class Collate
{
    /// <summary>
    /// Stacks samples along a new first dimension, as <c>default_collate</c> does for tensors: a <see cref="Tensor"/>, each
    /// element of a <c>(Tensor, Tensor)</c> or <c>(Tensor, Tensor, Tensor)</c> tuple, or each position of a <c>Tensor[]</c>.
    /// </summary>
    /// <exception cref="NotSupportedException">For other sample types; give the loader a collate function instead.</exception>
    public static T Default<T>(IReadOnlyList<T> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        object batch = samples switch
        {
            IReadOnlyList<Tensor> tensors => Torch.Stack(tensors),
            IReadOnlyList<(Tensor, Tensor)> pairs => (Stack(pairs, s => s.Item1), Stack(pairs, s => s.Item2)),
            IReadOnlyList<(Tensor, Tensor, Tensor)> triples => (Stack(triples, s => s.Item1), Stack(triples, s => s.Item2), Stack(triples, s => s.Item3)),
            IReadOnlyList<Tensor[]> arrays => Enumerable.Range(0, arrays[0].Length).Select(i => Stack(arrays, s => s[i])).ToArray(),
            _ => throw new NotSupportedException(
                $"default_collate: batch must contain tensors, tuples of tensors or tensor arrays; found {typeof(T).Name}. Pass collate: to the DataLoader."),
        };
        return (T)batch;
    }

    private static Tensor Stack<TSample>(IReadOnlyList<TSample> samples, Func<TSample, Tensor> part)
        => Torch.Stack(samples.Select(part).ToArray());
}
