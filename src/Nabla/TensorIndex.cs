namespace Nabla;

/// <summary>
/// One entry of a tensor index, as in PyTorch's <c>t[...]</c>: an integer, a slice (C# ranges too),
/// <see cref="Ellipsis"/>, <see cref="None"/> (a new axis), or an int64 index / bool mask tensor.
/// </summary>
public readonly struct TensorIndex
{
    internal enum IndexKind { Integer, Slice, Ellipsis, None, Tensor }

    internal IndexKind Kind { get; init; }
    internal long Integer { get; init; }
    internal long? Start { get; init; }
    internal long? Stop { get; init; }
    internal long Step { get; init; }
    internal Tensor? Tensor { get; init; }

    /// <summary>start:stop:step (<c>t[1:5:2]</c>); null bounds mean the ends.</summary>
    public static TensorIndex Slice(long? start = null, long? stop = null, long step = 1) => new() { Kind = IndexKind.Slice, Start = start, Stop = stop, Step = step };

    /// <summary>"All remaining dimensions" (<c>...</c>).</summary>
    public static TensorIndex Ellipsis { get; } = new() { Kind = IndexKind.Ellipsis };

    /// <summary>A new axis of size 1 (<c>None</c>).</summary>
    public static TensorIndex None { get; } = new() { Kind = IndexKind.None };

    /// <summary>An integer index (negative counts from the end).</summary>
    public static implicit operator TensorIndex(long i) => new() { Kind = IndexKind.Integer, Integer = i };

    /// <summary>An integer index (negative counts from the end).</summary>
    public static implicit operator TensorIndex(int i) => new() { Kind = IndexKind.Integer, Integer = i };

    /// <summary>A C# index: <c>^1</c> is the last element.</summary>
    public static implicit operator TensorIndex(Index i) => new() { Kind = IndexKind.Integer, Integer = i.IsFromEnd ? -i.Value : i.Value };

    /// <summary>A C# range as a slice: <c>..</c>, <c>1..</c>, <c>..^1</c>.</summary>
    public static implicit operator TensorIndex(Range r) => new()
    {
        Kind = IndexKind.Slice,
        Start = r.Start.IsFromEnd ? (r.Start.Value == 0 ? long.MaxValue : -r.Start.Value) : r.Start.Value,
        Stop = r.End.IsFromEnd ? (r.End.Value == 0 ? null : -r.End.Value) : r.End.Value,
        Step = 1,
    };

    /// <summary>An int64 index tensor or a bool mask.</summary>
    public static implicit operator TensorIndex(Tensor t) => new() { Kind = IndexKind.Tensor, Tensor = t };

    // Dimensions of the indexed tensor this entry consumes.
    internal int Consumes => Kind switch
    {
        IndexKind.Integer or IndexKind.Slice => 1,
        IndexKind.Tensor => Tensor!.DType == DType.Bool ? Math.Max(Tensor.Dim, 1) : 1,
        _ => 0,
    };
}
