namespace Nabla;

/// <summary>Shape arithmetic: strides, broadcasting, dimension wrapping, and PyTorch's way of printing shapes.</summary>
internal static class Shapes
{
    /// <summary>
    /// The most dimensions a tensor may have: PyTorch's limit wherever it lists dims in a 64-bit set
    /// (<c>dim_list_to_bitset</c>: sum, mean, max over a dim of a rank-65 tensor fail in 1.13).
    /// </summary>
    public const int MaxRank = 64;

    /// <summary>Refuses a rank above <see cref="MaxRank"/> with PyTorch's message, naming the rank.</summary>
    public static void CheckRank(int rank)
    {
        if (rank > MaxRank)
            throw new ArgumentException($"only tensors with up to {MaxRank} dims are supported, but got a tensor of {rank} dims");
    }

    /// <summary>Element count of a shape; every tensor and storage is sized here, so this is where the rank limit holds.</summary>
    public static long Numel(ReadOnlySpan<long> shape)
    {
        CheckRank(shape.Length);
        long n = 1;
        foreach (var s in shape) n *= s;
        return n;
    }

    public static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long s = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            strides[i] = s;
            s *= Math.Max(shape[i], 1);
        }
        return strides;
    }

    /// <summary>Whether <paramref name="strides"/> are exactly the row-major strides of <paramref name="shape"/> (<see cref="ContiguousStrides"/>).</summary>
    public static bool IsRowMajor(long[] shape, long[] strides)
    {
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (strides[i] != expected) return false;
            expected *= Math.Max(shape[i], 1);
        }
        return true;
    }

    public static bool IsContiguous(long[] shape, long[] strides)
    {
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] == 1) continue;
            if (shape[i] == 0) return true;
            if (strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    public static int NormalizeDim(long dim, int rank)
    {
        int r = Math.Max(rank, 1);
        if (dim < -r || dim >= r)
            throw new IndexOutOfRangeException($"Dimension out of range (expected to be in range of [{-r}, {r - 1}], but got {dim})");
        return (int)(dim < 0 ? dim + r : dim);
    }

    public static string Format(ReadOnlySpan<long> shape) => "[" + string.Join(", ", shape.ToArray()) + "]";

    /// <summary>PyTorch's "64x784" form used in matmul messages.</summary>
    public static string FormatX(ReadOnlySpan<long> shape) => string.Join("x", shape.ToArray());

    public static long[] Broadcast(long[] a, long[] b)
    {
        // Shape arrays are never written after a tensor is made, so equal shapes share one.
        if (ReferenceEquals(a, b) || SameShape(a, b)) return a;
        int rank = Math.Max(a.Length, b.Length);
        var result = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long da = i < rank - a.Length ? 1 : a[i - (rank - a.Length)];
            long db = i < rank - b.Length ? 1 : b[i - (rank - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException(
                    $"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}");
            result[i] = da == 1 ? db : da;
        }
        return result;
    }

    /// <summary>Strides of <paramref name="t"/> seen through a broadcast to <paramref name="shape"/>: 0 on expanded dims.</summary>
    public static long[] BroadcastStrides(Tensor t, long[] shape)
    {
        if (ReferenceEquals(t._shape, shape) || SameShape(t._shape, shape)) return t._strides;
        var strides = new long[shape.Length];
        int lead = shape.Length - t._shape.Length;
        for (int i = 0; i < t._shape.Length; i++)
            strides[lead + i] = t._shape[i] == 1 && shape[lead + i] != 1 ? 0 : t._strides[i];
        return strides;
    }

    public static bool SameShape(long[] a, long[] b) => a.AsSpan().SequenceEqual(b);

    /// <summary>Resolves a single -1 in a requested shape, as <c>view</c> and <c>reshape</c> do.</summary>
    public static long[] InferSize(long[] requested, long numel)
    {
        var shape = (long[])requested.Clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < shape.Length; i++)
        {
            if (shape[i] == -1)
            {
                if (infer >= 0) throw new ArgumentException("only one dimension can be inferred");
                infer = i;
            }
            else if (shape[i] < 0) throw new ArgumentException($"invalid shape dimension {shape[i]}");
            else known *= shape[i];
        }
        if (infer >= 0)
        {
            if (known == 0 || numel % known != 0)
                throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
            shape[infer] = numel / known;
        }
        else if (known != numel)
            throw new ArgumentException($"shape '{Format(requested)}' is invalid for input of size {numel}");
        return shape;
    }
}

/// <summary>A tensor's shape that prints as PyTorch's <c>torch.Size([2, 3])</c>.</summary>
public readonly struct TensorSize : IEquatable<TensorSize>
{
    private readonly long[] _dims;

    /// <summary>Wraps a copy of <paramref name="dims"/>.</summary>
    public TensorSize(long[] dims) => _dims = (long[])dims.Clone();

    /// <summary>Number of dimensions.</summary>
    public int Count => _dims?.Length ?? 0;

    /// <summary>The size of dimension <paramref name="i"/>.</summary>
    public long this[int i] => _dims[i];

    /// <summary>The dimensions as an array.</summary>
    public long[] ToArray() => (long[])(_dims ?? []).Clone();

    /// <inheritdoc/>
    public override string ToString() => "torch.Size(" + Shapes.Format(_dims ?? []) + ")";

    /// <inheritdoc/>
    public bool Equals(TensorSize other) => (_dims ?? []).AsSpan().SequenceEqual(other._dims ?? []);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is TensorSize s && Equals(s);

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var h = new HashCode();
        foreach (var d in _dims ?? []) h.Add(d);
        return h.ToHashCode();
    }

    /// <summary>Equal when all dimensions are equal.</summary>
    public static bool operator ==(TensorSize a, TensorSize b) => a.Equals(b);

    /// <summary>Not equal when any dimension differs.</summary>
    public static bool operator !=(TensorSize a, TensorSize b) => !a.Equals(b);
}
