using System.Numerics;

namespace Nabla.Kernels;

// Single-matrix products on spans with one operand optionally transposed, for kernels (conv) that
// parallelise outside the product: they run on the calling thread. Row-major throughout; `accumulate`
// adds into C instead of overwriting it. The transposed operand is read in place through swapped strides.
internal static unsafe partial class Gemm
{
    /// <summary>C (m x n) = A (m x k) @ B (k x n).</summary>
    public static void Multiply<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        fixed (T* pa = a, pb = b, pc = c)
            Serial(new StridedMatrix<T>(pa, k, 1), new StridedMatrix<T>(pb, n, 1), pc, n, m, k, n, accumulate);
    }

    /// <summary>C (k x n) = Aᵀ @ B with A (m x k) and B (m x n).</summary>
    public static void MultiplyTransposedA<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int k, int n, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        fixed (T* pa = a, pb = b, pc = c)
            Serial(new StridedMatrix<T>(pa, 1, k), new StridedMatrix<T>(pb, n, 1), pc, n, k, m, n, accumulate);
    }

    /// <summary>C (m x k) = A (m x n) @ Bᵀ with B (k x n).</summary>
    public static void MultiplyTransposedB<T>(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> c, int m, int n, int k, bool accumulate)
        where T : unmanaged, INumber<T>
    {
        fixed (T* pa = a, pb = b, pc = c)
            Serial(new StridedMatrix<T>(pa, n, 1), new StridedMatrix<T>(pb, 1, n), pc, k, m, n, k, accumulate);
    }
}
