using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>Reductions over the last axis of a contiguous [outer, n] block, and sums over the middle axis of [outer, n, inner].</summary>
internal static class Reduce
{
    // float32 sums accumulate in double: at least as accurate as PyTorch's cascade sum. Floating sums take a fixed
    // order (see FloatingSum) so results do not depend on the thread count or the machine's vector width.
    public static void Sum(ReadOnlySpan<float> src, int n, Span<float> dst)
    {
        if (dst.Length == 0) return;
        if (dst.Length == 1) dst[0] = (float)FloatingSum.Row(src);
        else ParallelSpans.MapRows(src, n, dst, 1, dst.Length, ParallelSpans.ElementwiseGrain, static (x, d) =>
        {
            int width = x.Length / d.Length;
            for (int o = 0; o < d.Length; o++) d[o] = (float)FloatingSum.Row(x.Slice(o * width, width));
        });
    }

    public static void Sum(ReadOnlySpan<double> src, int n, Span<double> dst)
    {
        if (dst.Length == 0) return;
        if (dst.Length == 1) dst[0] = FloatingSum.Row(src);
        else ParallelSpans.MapRows(src, n, dst, 1, dst.Length, ParallelSpans.ElementwiseGrain, static (x, d) =>
        {
            int width = x.Length / d.Length;
            for (int o = 0; o < d.Length; o++) d[o] = FloatingSum.Row(x.Slice(o * width, width));
        });
    }

    // Integer sums wrap and are exact in any order.
    public static void Sum<T>(ReadOnlySpan<T> src, int n, Span<T> dst) where T : INumber<T>
    {
        for (int o = 0; o < dst.Length; o++) dst[o] = TensorPrimitives.Sum(src.Slice(o * n, n));
    }

    /// <summary>
    /// dst[o, j] = sum over i of src[o, i, j] for a contiguous [outer, n, inner] block (a bias gradient is [1, batch, features]):
    /// each column accumulates in order of i, in double for float32, so SIMD across columns keeps the scalar result.
    /// </summary>
    public static void SumColumns(ReadOnlySpan<float> src, int outer, int n, int inner, Span<float> dst)
    {
        Span<double> acc = inner <= 1024 ? stackalloc double[inner] : new double[inner];
        for (int o = 0; o < outer; o++)
        {
            acc.Clear();
            for (int i = 0; i < n; i++) ColumnAccumulate.Add(acc, src.Slice((o * n + i) * inner, inner));
            for (int j = 0; j < inner; j++) dst[o * inner + j] = (float)acc[j];
        }
    }

    /// <inheritdoc cref="SumColumns(ReadOnlySpan{float}, int, int, int, Span{float})"/>
    public static void SumColumns(ReadOnlySpan<double> src, int outer, int n, int inner, Span<double> dst)
    {
        for (int o = 0; o < outer; o++)
        {
            var acc = dst.Slice(o * inner, inner);
            acc.Clear();
            for (int i = 0; i < n; i++) TensorPrimitives.Add(acc, src.Slice((o * n + i) * inner, inner), acc);
        }
    }

    /// <summary>Max or min of each row and the index of its first occurrence; NaN wins, as in PyTorch.</summary>
    public static void Extremum<T>(ReadOnlySpan<T> src, int n, Span<T> values, Span<long> indices, bool max) where T : INumber<T>
    {
        for (int o = 0; o < values.Length; o++)
        {
            var row = src.Slice(o * n, n);
            T best = row[0];
            long at = 0;
            for (int i = 1; i < n && !T.IsNaN(best); i++)
            {
                var v = row[i];
                if (T.IsNaN(v) || (max ? v > best : v < best)) { best = v; at = i; }
            }
            values[o] = best;
            if (!indices.IsEmpty) indices[o] = at;
        }
    }
}
