using System.Numerics;

namespace Nabla.Kernels;

/// <summary>Reductions over the last axis of a contiguous [outer, n] block.</summary>
internal static class Reduce
{
    // float32 sums accumulate in double: at least as accurate as PyTorch's cascade sum, and order-independent for small n.
    public static void Sum(ReadOnlySpan<float> src, int n, Span<float> dst)
    {
        for (int o = 0; o < dst.Length; o++)
        {
            double acc = 0;
            foreach (var v in src.Slice(o * n, n)) acc += v;
            dst[o] = (float)acc;
        }
    }

    public static void Sum<T>(ReadOnlySpan<T> src, int n, Span<T> dst) where T : INumber<T>
    {
        for (int o = 0; o < dst.Length; o++)
        {
            T acc = T.Zero;
            foreach (var v in src.Slice(o * n, n)) acc += v;
            dst[o] = acc;
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
