using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Activation functions over contiguous spans, in the element type and operation order of PyTorch's portable
/// CPU kernels (so float32 results match theirs), with C library math for exp, tanh and erf.
/// </summary>
internal static class ActivationKernels
{
    public static void LeakyRelu<T>(ReadOnlySpan<T> x, T negativeSlope, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = x[i] > T.Zero ? x[i] : x[i] * negativeSlope;
    }

    // PyTorch 1.13's elu: (exp(x) - 1) * alpha for x <= 0 (not expm1).
    public static void Elu<T>(ReadOnlySpan<T> x, T alpha, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = x[i] <= T.Zero ? (T.Exp(x[i]) - T.One) * alpha : x[i];
    }

    public static void Silu<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        for (int i = 0; i < d.Length; i++) d[i] = x[i] / (T.One + T.Exp(-x[i]));
    }

    // x * 0.5 * (1 + erf(x / sqrt(2))).
    public static void GeluExact<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        T alpha = T.CreateTruncating(0.70710678118654752440), half = T.CreateTruncating(0.5);
        for (int i = 0; i < d.Length; i++) d[i] = x[i] * half * (T.One + ErfOp<T>.Apply(x[i] * alpha));
    }

    // 0.5 * x * (1 + tanh(sqrt(2/pi) * (x + 0.044715 x^3))).
    public static void GeluTanh<T>(ReadOnlySpan<T> x, Span<T> d) where T : IFloatingPointIeee754<T>
    {
        T beta = T.CreateTruncating(GeluBeta), kappa = T.CreateTruncating(0.044715), half = T.CreateTruncating(0.5);
        for (int i = 0; i < d.Length; i++)
        {
            T v = x[i];
            T cube = v * v * v;
            T inner = beta * (v + kappa * cube);
            d[i] = half * v * (T.One + T.Tanh(inner));
        }
    }

    /// <summary>sqrt(2) * (2/sqrt(pi)) * 0.5 = sqrt(2/pi), as PyTorch forms it in double.</summary>
    public const double GeluBeta = 1.41421356237309504880 * 1.12837916709551257390 * 0.5;

    /// <summary>Softmax (or log-softmax) of each row of a contiguous [outer, n] block, subtracting the row maximum first; rows split across threads when large.</summary>
    public static void Softmax<T>(ReadOnlySpan<T> src, int n, bool log, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = n == 0 ? 0 : src.Length / n;
        if (Parallelism.Chunks(rows, (long)n * SoftmaxWork, ParallelSpans.ElementwiseGrain) <= 1) SoftmaxRows(src, n, log, dst);
        else ParallelSpans.MapRows(src, n, dst, n, rows, ParallelSpans.ElementwiseGrain / SoftmaxWork, (x, y) => SoftmaxRows(x, n, log, y));
    }

    // A C-library exp per element dominates, as in the elementwise kernels.
    private const int SoftmaxWork = 16;

    private static void SoftmaxRows<T>(ReadOnlySpan<T> src, int n, bool log, Span<T> dst) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int rows = n == 0 ? 0 : src.Length / n;
        for (int o = 0; o < rows; o++)
        {
            var x = src.Slice(o * n, n);
            var y = dst.Slice(o * n, n);
            T max = x[0];
            for (int i = 1; i < n && !T.IsNaN(max); i++) if (T.IsNaN(x[i]) || x[i] > max) max = x[i];
            for (int i = 0; i < n; i++) y[i] = T.Exp(x[i] - max);
            T sum = LaneSum<T>(y);
            // x - max - logSum and y * (1 / sum): two exact SIMD passes with the scalar loop's roundings.
            if (log)
            {
                TensorPrimitives.Subtract(x, max, y);
                TensorPrimitives.Subtract(y, T.Log(sum), y);
            }
            else TensorPrimitives.Multiply(y, T.One / sum, y);
        }
    }

    /// <summary>
    /// The gradient of softmax (or log-softmax) over contiguous rows of <paramref name="n"/>, from the output y and the
    /// upstream gradient g, in one pass per row with the roundings of the composite it stands for: log-softmax
    /// g - exp(y)·s with s = Σg, softmax y·(g - s) with s = Σ(g·y); each s summed in <see cref="FloatingSum"/>'s row order
    /// and rounded to <typeparamref name="T"/>, as <c>Sum(dim, keepdim: true)</c> does.
    /// </summary>
    public static void SoftmaxBackward<T>(T[] y, int yOffset, T[] g, int gOffset, T[] d, int rows, int n, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        int chunks = Parallelism.Chunks(rows, (long)n * SoftmaxWork, ParallelSpans.ElementwiseGrain);
        if (chunks <= 1) SoftmaxBackwardRows(y, yOffset, g, gOffset, d, 0, rows, n, log);
        else SoftmaxBackwardChunks(y, yOffset, g, gOffset, d, rows, n, log, chunks);
    }

    // Apart, so that its closure is allocated only when the rows are split.
    private static void SoftmaxBackwardChunks<T>(T[] y, int yOffset, T[] g, int gOffset, T[] d, int rows, int n, bool log, int chunks)
        where T : unmanaged, IFloatingPointIeee754<T>
        => Parallelism.ForRanges(rows, chunks, (first, end) => SoftmaxBackwardRows(y, yOffset, g, gOffset, d, first, end, n, log));

    private static void SoftmaxBackwardRows<T>(T[] y, int yOffset, T[] g, int gOffset, T[] d, int first, int end, int n, bool log)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int o = first; o < end; o++)
        {
            var yr = new ReadOnlySpan<T>(y, yOffset + o * n, n);
            var gr = new ReadOnlySpan<T>(g, gOffset + o * n, n);
            var dr = new Span<T>(d, o * n, n);
            if (log)
            {
                T s = T.CreateTruncating(FloatingSum.RowOf(gr)); // rounded once, as Sum(dim) does
                for (int i = 0; i < n; i++) dr[i] = gr[i] - T.Exp(yr[i]) * s;
            }
            else
            {
                for (int i = 0; i < n; i++) dr[i] = gr[i] * yr[i];
                T s = T.CreateTruncating(FloatingSum.RowOf<T>(dr));
                for (int i = 0; i < n; i++) dr[i] = yr[i] * (gr[i] - s);
            }
        }
    }

    // The order of PyTorch's vec::reduce_all with 32-byte vectors: lane-wise partial sums, then lanes in order.
    private static T LaneSum<T>(ReadOnlySpan<T> v) where T : unmanaged, IFloatingPointIeee754<T>
    {
        int lanes = 32 / System.Runtime.CompilerServices.Unsafe.SizeOf<T>();
        if (v.Length < lanes)
        {
            T s = v.Length > 0 ? v[0] : T.Zero;
            for (int i = 1; i < v.Length; i++) s += v[i];
            return s;
        }
        Span<T> acc = stackalloc T[8];
        acc = acc[..lanes];
        v[..lanes].CopyTo(acc);
        int d = lanes;
        for (; d + lanes <= v.Length; d += lanes)
            for (int j = 0; j < lanes; j++) acc[j] += v[d + j];
        for (int j = 0; d + j < v.Length; j++) acc[j] += v[d + j];
        T total = acc[0];
        for (int j = 1; j < lanes; j++) total += acc[j];
        return total;
    }
}
