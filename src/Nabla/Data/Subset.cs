namespace Nabla.Data;

/// <summary>The samples of a dataset at the given indices, in that order (<c>torch.utils.data.Subset</c>).</summary>
public sealed class Subset<T> : Dataset<T>
{
    /// <summary>A view of <paramref name="dataset"/> holding the samples at <paramref name="indices"/>.</summary>
    public Subset(Dataset<T> dataset, IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(indices);
        Source = dataset;
        Indices = indices;
    }

    /// <summary>The dataset the samples come from (<c>subset.dataset</c>).</summary>
    public Dataset<T> Source { get; }

    /// <summary>The indices into <see cref="Source"/> (<c>subset.indices</c>).</summary>
    public IReadOnlyList<int> Indices { get; }

    /// <inheritdoc/>
    public override int Count => Indices.Count;

    /// <inheritdoc/>
    public override T this[int index] => Source[Indices[index]];
}
