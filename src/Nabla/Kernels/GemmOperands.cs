using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// A matrix read in place: element (i, j) at <c>Data[i * RowStride + j * ColStride]</c>, so a transposed view is the
/// same data with the strides swapped. Pointers are valid only while the caller keeps the array pinned.
/// </summary>
internal readonly unsafe struct StridedMatrix<T>(T* data, nint rowStride, nint colStride) where T : unmanaged
{
    public readonly T* Data = data;
    public readonly nint RowStride = rowStride;
    public readonly nint ColStride = colStride;

    public T* At(nint row, nint col) => Data + row * RowStride + col * ColStride;

    /// <summary>The sub-matrix whose (0, 0) is this one's (row, col).</summary>
    public StridedMatrix<T> From(nint row, nint col) => new(At(row, col), RowStride, ColStride);

    public StridedMatrix<T> Transposed => new(Data, ColStride, RowStride);
}

/// <summary>
/// What happens to each finished element of C after the whole k-sum: + bias[column] (Linear's addmm, added once after
/// the dot product as PyTorch does), then ReLU (inference fusion). The default does nothing.
/// </summary>
internal readonly unsafe struct GemmEpilogue<T>(T* bias, bool relu) where T : unmanaged, INumber<T>
{
    /// <summary>Per-column bias with unit stride, or null.</summary>
    public readonly T* Bias = bias;
    public readonly bool Relu = relu;

    public bool IsNone => Bias == null && !Relu;

    /// <summary>The epilogue of the columns from <paramref name="col"/> on.</summary>
    public GemmEpilogue<T> FromColumn(nint col) => new(Bias == null ? null : Bias + col, Relu);

    public T Apply(T value, nint col)
    {
        if (Bias != null) value += Bias[col];
        return Relu && value < T.Zero ? T.Zero : value;
    }

    public void ApplyRows(T* c, nint ldc, int m, int n)
    {
        if (IsNone) return;
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) c[i * ldc + j] = Apply(c[i * ldc + j], j);
    }
}
