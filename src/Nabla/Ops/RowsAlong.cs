namespace Nabla;

// Row-wise kernels (sort, cumsum, softmax) see the data with one dimension last and contiguous.
public partial class Tensor
{
    /// <summary>This tensor's values with dimension <paramref name="d"/> moved last, contiguous, no graph; a 0-d tensor becomes one row of one.</summary>
    internal (Tensor Rows, int[] Perm) RowsAlong(int d, DType? dtype = null)
    {
        var perm = new int[Math.Max(Dim, 1)];
        for (int i = 0; i < perm.Length; i++) perm[i] = i;
        if (Dim == 0) return (new Tensor(_storage, [1], [1], _offset).CastRaw(dtype ?? DType).ContiguousRaw(), perm);
        (perm[d], perm[^1]) = (perm[^1], perm[d]);
        return (PermuteRaw(perm).CastRaw(dtype ?? DType).ContiguousRaw(), perm);
    }

    /// <summary>The inverse of <see cref="RowsAlong"/>: rows moved back to their dimension, contiguous, with <paramref name="rank"/> dimensions.</summary>
    internal static Tensor FromRows(Tensor rows, int[] perm, int rank)
        => rank == 0 ? new Tensor(rows._storage, [], [], rows._offset) : rows.PermuteRaw(perm).ContiguousRaw();
}
