using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

// Single-matrix products on spans with one operand optionally transposed, for kernels (conv) that
// parallelise outside the product. Row-major throughout; `accumulate` adds into C instead of overwriting it.
internal static partial class Gemm
{
    /// <summary>C (m x n) = A (m x k) @ B (k x n).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var cRow = c.Slice(i * n, n);
            if (!accumulate) cRow.Clear();
            for (int p = 0; p < k; p++)
                TensorPrimitives.MultiplyAdd(b.Slice(p * n, n), a[i * k + p], cRow, cRow);
        }
    }

    /// <summary>C (k x n) = Aᵀ @ B with A (m x k) and B (m x n).</summary>
    public static void MultiplyTransposedA<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        for (int p = 0; p < k; p++)
        {
            var cRow = c.Slice(p * n, n);
            if (!accumulate) cRow.Clear();
            for (int i = 0; i < m; i++)
                TensorPrimitives.MultiplyAdd(b.Slice(i * n, n), a[i * k + p], cRow, cRow);
        }
    }

    /// <summary>C (m x k) = A (m x n) @ Bᵀ with B (k x n): one dot product of two rows per element.</summary>
    public static void MultiplyTransposedB<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        for (int i = 0; i < m; i++)
        {
            var aRow = a.Slice(i * n, n);
            for (int p = 0; p < k; p++)
            {
                T dot = TensorPrimitives.Dot(aRow, b.Slice(p * n, n));
                c[i * k + p] = accumulate ? c[i * k + p] + dot : dot;
            }
        }
    }
}
