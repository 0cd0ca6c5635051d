using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// Statistics and the affine map of batch, layer and group normalisation on a [outer, channels, inner] block,
/// where the statistics of channel c cover every (outer, inner) position: batch norm is [N, C, H·W],
/// layer norm [1, rows, normalized], group norm [1, N·groups, C/groups·H·W].
/// </summary>
internal static class Normalization
{
    /// <summary>
    /// Per channel: the mean (summed in double, rounded to T) and the sum of squared deviations (x − mean)² with the
    /// difference and square in T and the sum in double, as PyTorch's batch-norm statistics kernel computes them.
    /// </summary>
    public static void Moments<T>(ReadOnlySpan<T> x, int outer, int channels, int inner, Span<T> mean, Span<double> squaredDeviations)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long count = (long)outer * inner;
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int o = 0; o < outer; o++)
                foreach (var v in x.Slice((o * channels + c) * inner, inner)) sum += double.CreateTruncating(v);
            T m = T.CreateTruncating(sum / count);
            double dev = 0;
            for (int o = 0; o < outer; o++)
                foreach (var v in x.Slice((o * channels + c) * inner, inner))
                {
                    T d = v - m;
                    dev += double.CreateTruncating(d * d);
                }
            mean[c] = m;
            squaredDeviations[c] = dev;
        }
    }

    /// <summary>y = x · alpha[c] + beta[c] over a [outer, channels, inner] block.</summary>
    public static void ChannelAffine<T>(ReadOnlySpan<T> x, int outer, int channels, int inner, ReadOnlySpan<T> alpha, ReadOnlySpan<T> beta, Span<T> y)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = 0; o < outer; o++)
            for (int c = 0; c < channels; c++)
            {
                int at = (o * channels + c) * inner;
                T a = alpha[c], b = beta[c];
                var src = x.Slice(at, inner);
                var dst = y.Slice(at, inner);
                for (int i = 0; i < inner; i++) dst[i] = src[i] * a + b;
            }
    }
}
