using System.Numerics;

namespace Nabla.Kernels;

/// <summary>Variance (or standard deviation) of each row of a contiguous [outer, n] block, accumulated in double as PyTorch's CPU kernel does.</summary>
internal static class Moments
{
    public static void Variance<T>(ReadOnlySpan<T> src, int n, double correction, bool takeSqrt, Span<T> dst) where T : INumber<T>
    {
        double divisor = Math.Max(0, n - correction);
        for (int o = 0; o < dst.Length; o++)
        {
            var row = src.Slice(o * n, n);
            double sum = 0;
            foreach (var v in row) sum += double.CreateTruncating(v);
            double mean = sum / n, squares = 0;
            foreach (var v in row)
            {
                double dv = double.CreateTruncating(v) - mean;
                squares += dv * dv;
            }
            double variance = squares / divisor;
            dst[o] = T.CreateTruncating(takeSqrt ? Math.Sqrt(variance) : variance);
        }
    }
}
