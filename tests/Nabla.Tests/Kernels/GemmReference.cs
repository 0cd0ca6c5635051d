using System.Numerics;
using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

/// <summary>Operands laid out in arrays with chosen strides, the naive double-precision product, and the error bound the kernel must meet.</summary>
internal static class GemmReference
{
    /// <summary>A batch of matrices in a fresh array: offset, then row-major or transposed (column-major) or every other element (no unit stride).</summary>
    public static MatrixBatch<T> RandomMatrices<T>(System.Random rng, int batch, int rows, int cols, string layout, int offset = 3, bool broadcast = false)
        where T : unmanaged, INumber<T>
    {
        long rs, cs, spread = layout == "strided" ? 2 : 1;
        (rs, cs) = layout == "transposed" ? (spread, rows * spread) : (cols * spread, spread);
        long batchStride = broadcast ? 0 : rows * cols * spread;
        var data = new T[offset + (broadcast ? 1 : batch) * rows * cols * spread + 1];
        for (int i = 0; i < data.Length; i++) data[i] = T.CreateTruncating(rng.NextDouble() * 2 - 1);
        if (typeof(T) == typeof(long) || typeof(T) == typeof(int))
            for (int i = 0; i < data.Length; i++) data[i] = T.CreateTruncating(rng.Next(-9, 10));
        return new MatrixBatch<T>(data, offset, batchStride, rs, cs);
    }

    public static MatrixBatch<T> Output<T>(int batch, int m, int n, T fill) where T : unmanaged
    {
        var c = new T[batch * m * n + 2];
        Array.Fill(c, fill);
        return new MatrixBatch<T>(c, 1, m * n, n, 1);
    }

    public static double At<T>(MatrixBatch<T> x, int b, int i, int j) where T : unmanaged, INumber<T>
        => double.CreateTruncating(x.Array[x.Offset + b * x.BatchStride + i * x.RowStride + j * x.ColStride]);

    /// <summary>
    /// Checks C against (C₀ when accumulating) + Σₚ A·B computed in double, within k-scaled rounding: |error| ≤ 2(k+2)·ε·Σ|terms|.
    /// </summary>
    public static void Check<T>(MatrixBatch<T> a, MatrixBatch<T> b, MatrixBatch<T> c, T[]? c0, int batch, int m, int k, int n, string context)
        where T : unmanaged, INumber<T>
    {
        double eps = typeof(T) == typeof(float) ? 1.2e-7 : typeof(T) == typeof(double) ? 2.3e-16 : 0;
        for (int bi = 0; bi < batch; bi++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++)
                {
                    double start = c0 is null ? 0 : double.CreateTruncating(c0[c.Offset + bi * c.BatchStride + i * c.RowStride + j]);
                    double sum = start, magnitude = Math.Abs(start);
                    for (int p = 0; p < k; p++)
                    {
                        double term = At(a, bi, i, p) * At(b, bi, p, j);
                        sum += term;
                        magnitude += Math.Abs(term);
                    }
                    double actual = At(c, bi, i, j);
                    double tolerance = 2 * (k + 2) * eps * magnitude;
                    if (Math.Abs(actual - sum) > tolerance)
                        Assert.Fail($"{context}: C[{bi}][{i},{j}] = {actual:R}, expected {sum:R} within {tolerance:G3}");
                }
    }
}
