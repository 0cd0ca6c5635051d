using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

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
            if (mat.ColStride == 1 && typeof(T) == typeof(float) && Fma.IsSupported && k >= Vector256<float>.Count)
                RowDots((float*)mat.Data, mat.RowStride, rows, k, (float*)(xCopy is null ? x : xc), (float*)y, yStride, accumulate);
            else if (mat.ColStride == 1)
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

    /// <summary>
    /// y[i] (=|+=) row i · x for float rows with unit stride, four rows at a time: each x vector is loaded once for
    /// four rows, and each row keeps two accumulators (eight independent FMA chains cover the FMA latency). Rows are
    /// summed lane-wise in k order, the two accumulators then the lanes pairwise, then the tail in k order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void RowDots(float* mat, nint rowStride, int rows, int k, float* x, float* y, nint yStride, bool accumulate)
    {
        const int L = 8;
        int body = k & ~(2 * L - 1);
        int i = 0;
        for (; i + 4 <= rows; i += 4)
        {
            float* r0 = mat + i * rowStride, r1 = r0 + rowStride, r2 = r1 + rowStride, r3 = r2 + rowStride;
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default;
            Vector256<float> b0 = default, b1 = default, b2 = default, b3 = default;
            for (int p = 0; p < body; p += 2 * L)
            {
                var x0 = Avx.LoadVector256(x + p);
                var x1 = Avx.LoadVector256(x + p + L);
                a0 = Fma.MultiplyAdd(Avx.LoadVector256(r0 + p), x0, a0);
                a1 = Fma.MultiplyAdd(Avx.LoadVector256(r1 + p), x0, a1);
                a2 = Fma.MultiplyAdd(Avx.LoadVector256(r2 + p), x0, a2);
                a3 = Fma.MultiplyAdd(Avx.LoadVector256(r3 + p), x0, a3);
                b0 = Fma.MultiplyAdd(Avx.LoadVector256(r0 + p + L), x1, b0);
                b1 = Fma.MultiplyAdd(Avx.LoadVector256(r1 + p + L), x1, b1);
                b2 = Fma.MultiplyAdd(Avx.LoadVector256(r2 + p + L), x1, b2);
                b3 = Fma.MultiplyAdd(Avx.LoadVector256(r3 + p + L), x1, b3);
            }
            Store(y + i * yStride, Finish(a0 + b0, r0, x, body, k), accumulate);
            Store(y + (i + 1) * yStride, Finish(a1 + b1, r1, x, body, k), accumulate);
            Store(y + (i + 2) * yStride, Finish(a2 + b2, r2, x, body, k), accumulate);
            Store(y + (i + 3) * yStride, Finish(a3 + b3, r3, x, body, k), accumulate);
        }
        for (; i < rows; i++)
        {
            float* r = mat + i * rowStride;
            Vector256<float> a = default, b = default;
            for (int p = 0; p < body; p += 2 * L)
            {
                a = Fma.MultiplyAdd(Avx.LoadVector256(r + p), Avx.LoadVector256(x + p), a);
                b = Fma.MultiplyAdd(Avx.LoadVector256(r + p + L), Avx.LoadVector256(x + p + L), b);
            }
            Store(y + i * yStride, Finish(a + b, r, x, body, k), accumulate);
        }

        static void Store(float* at, float dot, bool accumulate) => *at = accumulate ? *at + dot : dot;

        static float Finish(Vector256<float> acc, float* row, float* x, int from, int k)
        {
            var half = acc.GetLower() + acc.GetUpper();
            var pair = half + Vector128.Shuffle(half, Vector128.Create(2, 3, 0, 1));
            float sum = pair.ToScalar() + pair.GetElement(1);
            for (int p = from; p < k; p++) sum = MathF.FusedMultiplyAdd(row[p], x[p], sum);
            return sum;
        }
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
