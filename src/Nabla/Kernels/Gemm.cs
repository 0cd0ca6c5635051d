using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Batched C[b] = A[b] @ B[b] on contiguous row-major blocks (A: m x k, B: k x n, C: m x n).
/// Row-streaming form (C row += a_ik * B row), vectorised by TensorPrimitives and parallel over rows
/// when the work is large; a packed, register-blocked kernel can replace it behind the same signature.
/// </summary>
internal static partial class Gemm
{
    private const long ParallelThreshold = 1 << 16;

    public static void Batched<T>(T[] a, T[] b, T[] c, int batch, int m, int k, int n) where T : unmanaged, INumber<T>
    {
        long work = (long)batch * m * k * n;
        int rows = batch * m;
        if (work < ParallelThreshold || rows < 2)
        {
            for (int r = 0; r < rows; r++) Row(a, b, c, r, m, k, n);
            return;
        }
        Parallelism.ForRanges(rows, Parallelism.Threads, (r0, r1) => { for (int r = r0; r < r1; r++) Row(a, b, c, r, m, k, n); });
    }

    private static void Row<T>(T[] a, T[] b, T[] c, int row, int m, int k, int n) where T : unmanaged, INumber<T>
    {
        int batchIndex = row / m;
        var cRow = c.AsSpan(row * n, n);
        cRow.Clear();
        var aRow = a.AsSpan(row * k, k);
        int bBase = batchIndex * k * n;
        for (int p = 0; p < k; p++)
        {
            T av = aRow[p];
            if (av == T.Zero) continue;
            TensorPrimitives.MultiplyAdd(b.AsSpan(bBase + p * n, n), av, cRow, cRow);
        }
    }
}
