using System.Collections;

namespace Nabla.Data;

/// <summary>The subsets <see cref="Dataset.RandomSplit{T}(Dataset{T}, IReadOnlyList{double}, Generator?)"/> returns, in order; deconstructs into two or three.</summary>
public sealed class DatasetSplit<T> : IReadOnlyList<Subset<T>>
{
    private readonly Subset<T>[] _subsets;

    internal DatasetSplit(Subset<T>[] subsets) => _subsets = subsets;

    /// <summary>The subset at <paramref name="index"/>.</summary>
    public Subset<T> this[int index] => _subsets[index];

    /// <summary>The number of subsets.</summary>
    public int Count => _subsets.Length;

    /// <summary><c>var (train, test) = Dataset.RandomSplit(data, [0.8, 0.2]);</c></summary>
    public void Deconstruct(out Subset<T> first, out Subset<T> second)
    {
        if (_subsets.Length != 2) throw new InvalidOperationException($"The split has {_subsets.Length} subsets, not 2.");
        (first, second) = (_subsets[0], _subsets[1]);
    }

    /// <summary><c>var (train, validation, test) = Dataset.RandomSplit(data, [0.8, 0.1, 0.1]);</c></summary>
    public void Deconstruct(out Subset<T> first, out Subset<T> second, out Subset<T> third)
    {
        if (_subsets.Length != 3) throw new InvalidOperationException($"The split has {_subsets.Length} subsets, not 3.");
        (first, second, third) = (_subsets[0], _subsets[1], _subsets[2]);
    }

    /// <summary>The subsets in order.</summary>
    public IEnumerator<Subset<T>> GetEnumerator() => ((IEnumerable<Subset<T>>)_subsets).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
