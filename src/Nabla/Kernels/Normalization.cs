using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla.Kernels;

/// <summary>
/// Statistics and the affine map of batch, layer and group normalisation on a [outer, channels, inner] block,
/// where the statistics of channel c cover every (outer, inner) position: batch norm is [N, C, H·W],
/// layer norm [1, rows, normalized], group norm [1, N·groups, C/groups·H·W]. Large blocks are split between threads
/// by channel (statistics) or by plane (affine map); each value is computed the same way whatever the thread count.
/// </summary>
internal static unsafe class Normalization
{
    /// <summary>
    /// Per channel: the mean (summed in double, rounded to T) and the sum of squared deviations (x − mean)² with the
    /// difference and square in T and the sum in double, as PyTorch's batch-norm statistics kernel computes them.
    /// Each sum runs in <see cref="FloatingSum"/>'s order over each of the channel's <paramref name="outer"/> runs of
    /// <paramref name="inner"/> elements, the runs added in order; channels are split between threads.
    /// </summary>
    public static void Moments<T>(ReadOnlySpan<T> x, int outer, int channels, int inner, Span<T> mean, Span<double> squaredDeviations)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Two passes over each channel's elements.
        int chunks = Parallelism.Chunks(channels, 2L * outer * inner, ParallelSpans.ElementwiseGrain);
        if (chunks <= 1) MomentsOf(x, outer, channels, inner, mean, squaredDeviations, 0, channels);
        else MomentsChunks(x, outer, channels, inner, mean, squaredDeviations, chunks);
    }

    // Apart, so that its closure is allocated only when the channels are split.
    private static void MomentsChunks<T>(ReadOnlySpan<T> x, int outer, int channels, int inner, Span<T> mean, Span<double> squaredDeviations, int chunks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, pm = mean)
        fixed (double* pd = squaredDeviations)
        {
            nint ax = (nint)px, am = (nint)pm, ad = (nint)pd;
            int length = x.Length;
            Parallelism.ForRanges(channels, chunks, (first, end) => MomentsOf(new ReadOnlySpan<T>((T*)ax, length), outer, channels, inner,
                new Span<T>((T*)am, channels), new Span<double>((double*)ad, channels), first, end));
        }
    }

    private static void MomentsOf<T>(ReadOnlySpan<T> x, int outer, int channels, int inner, Span<T> mean, Span<double> squaredDeviations, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long count = (long)outer * inner;
        for (int c = first; c < end; c++)
        {
            double sum = 0;
            for (int o = 0; o < outer; o++) sum += FloatingSum.RowOf(x.Slice((o * channels + c) * inner, inner));
            T m = T.CreateTruncating(sum / count);
            double dev = 0;
            for (int o = 0; o < outer; o++) dev += SquaredDeviations(x.Slice((o * channels + c) * inner, inner), m);
            mean[c] = m;
            squaredDeviations[c] = dev;
        }
    }

    // (x − m)² formed in T, summed in double in FloatingSum's order.
    private static double SquaredDeviations<T>(ReadOnlySpan<T> row, T m) where T : unmanaged, IFloatingPointIeee754<T>
        => typeof(T) == typeof(float)
            ? FloatingSum.SquaredDeviations(MemoryMarshal.Cast<T, float>(row), float.CreateTruncating(m))
            : FloatingSum.SquaredDeviations(MemoryMarshal.Cast<T, double>(row), double.CreateTruncating(m));

    /// <summary>
    /// y = x · alpha[c] + beta[c] over a [outer, channels, inner] block, then · gamma[i] and + delta[i] by position within
    /// the inner run when those are given (layer norm's weight and bias): each product and sum rounded to T (no fused
    /// multiply-add), in SIMD lanes or scalar alike; planes split between threads when large.
    /// </summary>
    public static void ChannelAffine<T>(ReadOnlySpan<T> x, int outer, int channels, int inner, ReadOnlySpan<T> alpha, ReadOnlySpan<T> beta, Span<T> y,
        ReadOnlySpan<T> gamma = default, ReadOnlySpan<T> delta = default)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int planes = outer * channels;
        int chunks = Parallelism.Chunks(planes, inner, ParallelSpans.ElementwiseGrain);
        if (chunks <= 1) AffinePlanes(x, channels, inner, alpha, beta, gamma, delta, y, 0, planes);
        else AffineChunks(x, channels, inner, alpha, beta, gamma, delta, y, planes, chunks);
    }

    // Apart, so that its closure is allocated only when the planes are split.
    private static void AffineChunks<T>(ReadOnlySpan<T> x, int channels, int inner, ReadOnlySpan<T> alpha, ReadOnlySpan<T> beta,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> delta, Span<T> y, int planes, int chunks)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        fixed (T* px = x, pa = alpha, pb = beta, pg = gamma, pd = delta, py = y)
        {
            nint ax = (nint)px, aa = (nint)pa, ab = (nint)pb, ag = (nint)pg, ad = (nint)pd, ay = (nint)py;
            int length = x.Length, gammaLength = gamma.Length, deltaLength = delta.Length;
            Parallelism.ForRanges(planes, chunks, (first, end) => AffinePlanes(new ReadOnlySpan<T>((T*)ax, length), channels, inner,
                new ReadOnlySpan<T>((T*)aa, channels), new ReadOnlySpan<T>((T*)ab, channels),
                new ReadOnlySpan<T>((T*)ag, gammaLength), new ReadOnlySpan<T>((T*)ad, deltaLength), new Span<T>((T*)ay, length), first, end));
        }
    }

    private static void AffinePlanes<T>(ReadOnlySpan<T> x, int channels, int inner, ReadOnlySpan<T> alpha, ReadOnlySpan<T> beta,
        ReadOnlySpan<T> gamma, ReadOnlySpan<T> delta, Span<T> y, int first, int end)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        bool scaled = !gamma.IsEmpty, shifted = !delta.IsEmpty;
        for (int plane = first; plane < end; plane++)
        {
            int c = plane % channels, at = plane * inner;
            T a = alpha[c], b = beta[c];
            var src = x.Slice(at, inner);
            var dst = y.Slice(at, inner);
            int i = 0;
            if (Vector.IsHardwareAccelerated && inner >= Vector<T>.Count)
            {
                Vector<T> va = new(a), vb = new(b);
                for (; i <= inner - Vector<T>.Count; i += Vector<T>.Count)
                {
                    var v = new Vector<T>(src[i..]) * va + vb;
                    if (scaled) v *= new Vector<T>(gamma[i..]);
                    if (shifted) v += new Vector<T>(delta[i..]);
                    v.CopyTo(dst[i..]);
                }
            }
            for (; i < inner; i++)
            {
                T v = src[i] * a + b;
                if (scaled) v *= gamma[i];
                if (shifted) v += delta[i];
                dst[i] = v;
            }
        }
    }
}
