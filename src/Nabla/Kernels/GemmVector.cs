using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Products with one side a vector (m == 1 or n == 1: batch-1 inference, mv), where packing would only add a pass:
/// y = M x as a dot product per row when M's rows are contiguous (x · Wᵀ reads W's rows in place), or as a sum
/// of scaled columns when M's columns are.
/// </summary>
internal static unsafe class GemmVector
{
    /// <summary>C (m x n, one of them 1) = or += A @ B.</summary>
    public static void Multiply<T>(StridedMatrix<T> a, StridedMatrix<T> b, T* c, nint ldc, int m, int k, int n, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        // A row times B is Bᵀ times that row: both cases become y = M x.
        if (m == 1) MatrixTimesVector(b.Transposed, n, k, a.Data, a.ColStride, c, 1, accumulate);
        else MatrixTimesVector(a, m, k, b.Data, b.RowStride, c, ldc, accumulate);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void MatrixTimesVector<T>(StridedMatrix<T> mat, int rows, int k, T* x, nint xStride, T* y, nint yStride, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        T[]? xCopy = null;
        if (xStride != 1)
        {
            xCopy = ArrayPool<T>.Shared.Rent(k);
            for (int p = 0; p < k; p++) xCopy[p] = x[p * xStride];
        }
        fixed (T* xc = xCopy)
        {
            var xs = new ReadOnlySpan<T>(xCopy is null ? x : xc, k);
            if (mat.ColStride == 1)
                for (int i = 0; i < rows; i++)
                {
                    T dot = TensorPrimitives.Dot(new ReadOnlySpan<T>(mat.At(i, 0), k), xs);
                    y[i * yStride] = accumulate ? y[i * yStride] + dot : dot;
                }
            else
                SumOfColumns(mat, rows, k, xs, y, yStride, accumulate);
        }
        if (xCopy is not null) ArrayPool<T>.Shared.Return(xCopy);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void SumOfColumns<T>(StridedMatrix<T> mat, int rows, int k, ReadOnlySpan<T> x, T* y, nint yStride, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        var sum = ArrayPool<T>.Shared.Rent(rows);
        var s = sum.AsSpan(0, rows);
        s.Clear();
        for (int p = 0; p < k; p++)
        {
            if (mat.RowStride == 1) TensorPrimitives.MultiplyAdd(new ReadOnlySpan<T>(mat.At(0, p), rows), x[p], s, s);
            else for (int i = 0; i < rows; i++) s[i] += *mat.At(i, p) * x[p];
        }
        for (int i = 0; i < rows; i++) y[i * yStride] = accumulate ? y[i * yStride] + s[i] : s[i];
        ArrayPool<T>.Shared.Return(sum);
    }
}
