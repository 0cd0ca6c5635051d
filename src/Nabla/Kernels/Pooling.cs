using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Max, average and adaptive average pooling over [planes, height, width] blocks (one plane per batch·channel),
/// following PyTorch's CPU kernels: max takes the first maximum (NaN wins), average sums in the element type and divides
/// by the window size, with or without padding. Planes run in parallel when there is enough work.
/// </summary>
internal static class Pooling
{
    private const long ParallelWork = 1 << 15;

    public static void MaxForward<T>(ReadOnlySpan<T> input, int planes, in Window2d w, Span<T> output, Span<long> indices)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float) && Avx2.IsSupported && AllInside(w))
        {
            MaxInsideAvx2(MemoryMarshal.Cast<T, float>(input), planes, w, MemoryMarshal.Cast<T, float>(output), indices);
            return;
        }
        for (int p = 0; p < planes; p++)
            MaxPlane(input.Slice(p * w.Plane, w.Plane), w, output.Slice(p * w.OutPlane, w.OutPlane), indices.Slice(p * w.OutPlane, w.OutPlane));
    }

    private static void MaxPlane<T>(ReadOnlySpan<T> x, in Window2d w, Span<T> y, Span<long> idx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (AllInside(w))
        {
            MaxPlaneInside(x, w, y, idx);
            return;
        }
        for (int oh = 0; oh < w.OutH; oh++)
        {
            int h0 = oh * w.StrideH - w.PadTop;
            int h1 = Math.Min(h0 + (w.KernelH - 1) * w.DilationH + 1, w.Height);
            while (h0 < 0) h0 += w.DilationH;
            for (int ow = 0; ow < w.OutW; ow++)
            {
                int w0 = ow * w.StrideW - w.PadLeft;
                int w1 = Math.Min(w0 + (w.KernelW - 1) * w.DilationW + 1, w.Width);
                while (w0 < 0) w0 += w.DilationW;
                long best = (long)h0 * w.Width + w0;
                T max = T.NegativeInfinity;
                for (int ih = h0; ih < h1; ih += w.DilationH)
                    for (int iw = w0; iw < w1; iw += w.DilationW)
                    {
                        int at = ih * w.Width + iw;
                        T v = x[at];
                        if (v > max || T.IsNaN(v))
                        {
                            max = v;
                            best = at;
                        }
                    }
                y[oh * w.OutW + ow] = max;
                idx[oh * w.OutW + ow] = best;
            }
        }
    }

    // No padding, no dilation, no ceil-mode overhang: every window lies inside its plane.
    private static bool AllInside(in Window2d w) => w.DilationH == 1 && w.DilationW == 1 && w.InsidePlane;

    // Windows inside their planes, eight at a time across the flattened [plane, oh, ow] positions: each window element
    // is gathered for the eight windows and taken where it is greater than the running maximum or NaN, as in the
    // scalar scan, so values and indices are the same. Indices are stored relative to each window's plane.
    private static unsafe void MaxInsideAvx2(ReadOnlySpan<float> input, int planes, in Window2d w, Span<float> output, Span<long> indices)
    {
        int total = planes * w.OutPlane, width = w.Width, kh = w.KernelH, kw = w.KernelW;
        int rowStep = w.StrideH * width, colStep = w.StrideW;
        int* starts = stackalloc int[8];
        int* bases = stackalloc int[8];
        fixed (float* px = input, py = output)
        fixed (long* pi = indices)
        {
            int o = 0, p = 0, oh = 0, ow = 0;
            for (; o <= total - 8; o += 8)
            {
                for (int l = 0; l < 8; l++)
                {
                    bases[l] = p * w.Plane;
                    starts[l] = bases[l] + oh * rowStep + ow * colStep;
                    Advance(ref p, ref oh, ref ow, w);
                }
                var start = Avx.LoadVector256(starts);
                var max = Vector256.Create(float.NegativeInfinity);
                var best = start;
                for (int i = 0; i < kh; i++)
                    for (int j = 0; j < kw; j++)
                    {
                        var at = Avx2.Add(start, Vector256.Create(i * width + j));
                        var v = Avx2.GatherVector256(px, at, 4);
                        var take = Avx.Or(Avx.Compare(v, max, FloatComparisonMode.OrderedGreaterThanNonSignaling),
                            Avx.Compare(v, v, FloatComparisonMode.UnorderedNonSignaling));
                        max = Avx.BlendVariable(max, v, take);
                        best = Avx.BlendVariable(best.AsSingle(), at.AsSingle(), take).AsInt32();
                    }
                Avx.Store(py + o, max);
                var local = Avx2.Subtract(best, Avx.LoadVector256(bases));
                Avx.Store(pi + o, Avx2.ConvertToVector256Int64(local.GetLower()));
                Avx.Store(pi + o + 4, Avx2.ConvertToVector256Int64(local.GetUpper()));
            }
            for (; o < total; o++)
            {
                int baseAt = p * w.Plane, start = baseAt + oh * rowStep + ow * colStep, best = start;
                float max = float.NegativeInfinity;
                for (int i = 0; i < kh; i++)
                    for (int j = 0, at = start + i * width; j < kw; j++, at++)
                    {
                        float v = px[at];
                        if (v > max || float.IsNaN(v)) { max = v; best = at; }
                    }
                py[o] = max;
                pi[o] = best - baseAt;
                Advance(ref p, ref oh, ref ow, w);
            }
        }
    }

    // The next window position in [plane, oh, ow] order.
    private static void Advance(ref int p, ref int oh, ref int ow, in Window2d w)
    {
        if (++ow < w.OutW) return;
        ow = 0;
        if (++oh < w.OutH) return;
        oh = 0;
        p++;
    }

    // Every window inside the plane (no padding, no dilation, no ceil-mode overhang): the same scan in the same order
    // as the general loop, without its clipping, read through refs so the JIT drops the bounds checks.
    private static void MaxPlaneInside<T>(ReadOnlySpan<T> x, in Window2d w, Span<T> y, Span<long> idx) where T : unmanaged, IFloatingPointIeee754<T>
    {
        ref T x0 = ref MemoryMarshal.GetReference(x);
        ref T y0 = ref MemoryMarshal.GetReference(y);
        ref long i0 = ref MemoryMarshal.GetReference(idx);
        int width = w.Width, kh = w.KernelH, kw = w.KernelW, o = 0;
        for (int oh = 0; oh < w.OutH; oh++)
            for (int ow = 0; ow < w.OutW; ow++, o++)
            {
                int start = oh * w.StrideH * width + ow * w.StrideW, best = start;
                T max = T.NegativeInfinity;
                for (int i = 0; i < kh; i++)
                    for (int j = 0, at = start + i * width; j < kw; j++, at++)
                    {
                        T v = Unsafe.Add(ref x0, at);
                        if (v > max || T.IsNaN(v))
                        {
                            max = v;
                            best = at;
                        }
                    }
                Unsafe.Add(ref y0, o) = max;
                Unsafe.Add(ref i0, o) = best;
            }
    }

    /// <summary>gradInput[plane, indices] += gradOutput, in output order; gradInput is overwritten.</summary>
    public static void MaxBackward<T>(ReadOnlySpan<T> gradOutput, ReadOnlySpan<long> indices, int planes, int plane, int outPlane, Span<T> gradInput)
        where T : unmanaged, INumber<T>
    {
        gradInput.Clear();
        for (int p = 0; p < planes; p++)
        {
            var gi = gradInput.Slice(p * plane, plane);
            for (int o = 0; o < outPlane; o++) gi[(int)indices[p * outPlane + o]] += gradOutput[p * outPlane + o];
        }
    }

    // The window of an average pool at (oh, ow): clipped bounds and the divisor PyTorch uses.
    private static (int H0, int H1, int W0, int W1, long Divisor) AvgWindow(in Window2d w, int oh, int ow, bool countIncludePad, long? divisorOverride)
    {
        int h0 = oh * w.StrideH - w.PadTop, w0 = ow * w.StrideW - w.PadLeft;
        int h1 = Math.Min(h0 + w.KernelH, w.Height + w.PadTop);
        int w1 = Math.Min(w0 + w.KernelW, w.Width + w.PadLeft);
        int poolSize = (h1 - h0) * (w1 - w0);
        h0 = Math.Max(h0, 0);
        w0 = Math.Max(w0, 0);
        h1 = Math.Min(h1, w.Height);
        w1 = Math.Min(w1, w.Width);
        return (h0, h1, w0, w1, divisorOverride ?? (countIncludePad ? poolSize : (h1 - h0) * (w1 - w0)));
    }

    public static void AvgForward<T>(ReadOnlySpan<T> input, int planes, in Window2d w, bool countIncludePad, long? divisorOverride, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < planes; p++)
        {
            var x = input.Slice(p * w.Plane, w.Plane);
            for (int oh = 0; oh < w.OutH; oh++)
                for (int ow = 0; ow < w.OutW; ow++)
                {
                    var (h0, h1, w0, w1, divisor) = AvgWindow(w, oh, ow, countIncludePad, divisorOverride);
                    T sum = T.Zero;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++) sum += x[ih * w.Width + iw];
                    output[p * w.OutPlane + oh * w.OutW + ow] = h0 >= h1 || w0 >= w1 ? T.Zero : sum / T.CreateTruncating(divisor);
                }
        }
    }

    public static void AvgBackward<T>(ReadOnlySpan<T> gradOutput, int planes, in Window2d w, bool countIncludePad, long? divisorOverride, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        gradInput.Clear();
        for (int p = 0; p < planes; p++)
        {
            var gi = gradInput.Slice(p * w.Plane, w.Plane);
            for (int oh = 0; oh < w.OutH; oh++)
                for (int ow = 0; ow < w.OutW; ow++)
                {
                    var (h0, h1, w0, w1, divisor) = AvgWindow(w, oh, ow, countIncludePad, divisorOverride);
                    T delta = gradOutput[p * w.OutPlane + oh * w.OutW + ow] / T.CreateTruncating(divisor);
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++) gi[ih * w.Width + iw] += delta;
                }
        }
    }

    // Adaptive pooling bins: [floor(i·in/out), ceil((i+1)·in/out)).
    private static int Start(int i, int outSize, int inSize) => (int)((long)i * inSize / outSize);

    private static int End(int i, int outSize, int inSize) => (int)(((long)(i + 1) * inSize + outSize - 1) / outSize);

    public static void AdaptiveAvgForward<T>(ReadOnlySpan<T> input, int planes, int height, int width, int outH, int outW, Span<T> output)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int p = 0; p < planes; p++)
        {
            var x = input.Slice(p * height * width, height * width);
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = Start(oh, outH, height), h1 = End(oh, outH, height);
                for (int ow = 0; ow < outW; ow++)
                {
                    int w0 = Start(ow, outW, width), w1 = End(ow, outW, width);
                    T sum = T.Zero;
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++) sum += x[ih * width + iw];
                    output[(p * outH + oh) * outW + ow] = sum / T.CreateTruncating(h1 - h0) / T.CreateTruncating(w1 - w0);
                }
            }
        }
    }

    public static void AdaptiveAvgBackward<T>(ReadOnlySpan<T> gradOutput, int planes, int height, int width, int outH, int outW, Span<T> gradInput)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        gradInput.Clear();
        for (int p = 0; p < planes; p++)
        {
            var gi = gradInput.Slice(p * height * width, height * width);
            for (int oh = 0; oh < outH; oh++)
            {
                int h0 = Start(oh, outH, height), h1 = End(oh, outH, height);
                for (int ow = 0; ow < outW; ow++)
                {
                    int w0 = Start(ow, outW, width), w1 = End(ow, outW, width);
                    T delta = gradOutput[(p * outH + oh) * outW + ow] / T.CreateTruncating(h1 - h0) / T.CreateTruncating(w1 - w0);
                    for (int ih = h0; ih < h1; ih++)
                        for (int iw = w0; iw < w1; iw++) gi[ih * width + iw] += delta;
                }
            }
        }
    }

    /// <summary>Runs <paramref name="body"/> over [begin, end) plane ranges, in parallel when the work is large.</summary>
    public static void ForPlanes(int planes, long workPerPlane, Action<int, int> body)
    {
        if (planes * workPerPlane < ParallelWork || planes < 2) { body(0, planes); return; }
        Parallelism.ForRanges(planes, Math.Min(planes, Parallelism.Threads * 4), body);
    }
}
