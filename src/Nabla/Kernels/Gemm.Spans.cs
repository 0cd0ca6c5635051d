using System.Numerics;
using System.Runtime.Intrinsics;

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

    /// <summary>Whether <see cref="MultiplyIndexed{T}"/> takes a product of this shape (the packed path, floating point).</summary>
    public static bool TakesIndexed<T>(int m, int k, int n)
        => (typeof(T) == typeof(float) || typeof(T) == typeof(double)) && m > 0 && n > 0 && Choose(m, k, n) == Path.Packed;

    /// <summary>
    /// C (m x n) = A (m x k) @ B on the calling thread, where B's element (p, j) is image[rowOffsets[p] + columnOffsets[j]]
    /// (a convolution's unrolled image, read in place), for shapes <see cref="TakesIndexed{T}"/> accepts. The sums are
    /// those of <see cref="Multiply{T}"/> on the unrolled B, bit for bit.
    /// </summary>
    public static void MultiplyIndexed<T>(ReadOnlySpan<T> a, T* image, int* rowOffsets, int* columnOffsets, Span<T> c, int m, int k, int n)
        where T : unmanaged, INumber<T>
    {
        if (!TakesIndexed<T>(m, k, n)) throw new ArgumentException($"gemm: {m}x{k}x{n} does not take the packed path");
        fixed (T* pa = a, pc = c)
        {
            var sa = new StridedMatrix<T>(pa, k, 1);
            switch (CurrentIsa)
            {
                case Isa.Vector512:
                    GemmPacked.Multiply<T, Vector512<T>, Lanes512<T>, IndexedPanels<T, Vector512<T>, Lanes512<T>>>(sa, new(image, rowOffsets, columnOffsets), pc, n, m, k, n, false, default);
                    break;
                case Isa.Vector256:
                    GemmPacked.Multiply<T, Vector256<T>, Lanes256<T>, IndexedPanels<T, Vector256<T>, Lanes256<T>>>(sa, new(image, rowOffsets, columnOffsets), pc, n, m, k, n, false, default);
                    break;
                case Isa.Vector128:
                    GemmPacked.Multiply<T, Vector128<T>, Lanes128<T>, IndexedPanels<T, Vector128<T>, Lanes128<T>>>(sa, new(image, rowOffsets, columnOffsets), pc, n, m, k, n, false, default);
                    break;
                default:
                    GemmPacked.Multiply<T, T, ScalarLanes<T>, IndexedPanels<T, T, ScalarLanes<T>>>(sa, new(image, rowOffsets, columnOffsets), pc, n, m, k, n, false, default);
                    break;
            }
        }
    }
}
