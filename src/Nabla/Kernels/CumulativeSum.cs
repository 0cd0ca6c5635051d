using System.Numerics;

namespace Nabla.Kernels;

/// <summary>Running sums along each row of a contiguous [outer, n] block, forward or from the end; float accumulates in double as PyTorch's CPU kernel does.</summary>
internal static class CumulativeSum
{
    public static void Rows<T, TAcc>(ReadOnlySpan<T> src, int n, bool reverse, Span<T> dst) where T : INumber<T> where TAcc : INumber<TAcc>
    {
        int rows = n == 0 ? 0 : src.Length / n;
        for (int o = 0; o < rows; o++)
        {
            TAcc acc = TAcc.Zero;
            for (int j = 0; j < n; j++)
            {
                int i = o * n + (reverse ? n - 1 - j : j);
                acc += TAcc.CreateTruncating(src[i]);
                dst[i] = T.CreateTruncating(acc);
            }
        }
    }
}
