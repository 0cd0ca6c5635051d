using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

/// <summary>
/// Unrolls the windows of a [channels, height, width] image into a matrix of [channels·kh·kw, outH·outW]
/// (one row per kernel tap, one column per window position), zeros where a tap falls in the padding; and
/// folds such a matrix back, adding overlapping taps (col2im).
/// </summary>
internal static class Im2Col
{
    public static void Unfold<T>(ReadOnlySpan<T> image, int channels, in Window2d w, Span<T> col) where T : unmanaged, INumber<T>
    {
        int outH = w.OutH, outW = w.OutW;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * w.Plane, w.Plane);
            for (int ki = 0; ki < w.KernelH; ki++)
                for (int kj = 0; kj < w.KernelW; kj++)
                {
                    var row = col.Slice(((c * w.KernelH + ki) * w.KernelW + kj) * w.OutPlane, w.OutPlane);
                    int colOffset = kj * w.DilationW - w.PadLeft;
                    var (owBegin, owEnd) = ValidRange(colOffset, w.StrideW, w.Width, outW);
                    for (int oh = 0; oh < outH; oh++)
                    {
                        var dst = row.Slice(oh * outW, outW);
                        int ih = oh * w.StrideH - w.PadTop + ki * w.DilationH;
                        if ((uint)ih >= (uint)w.Height || owBegin >= owEnd)
                        {
                            dst.Clear();
                            continue;
                        }
                        if (owBegin > 0) dst[..owBegin].Clear();
                        if (owEnd < outW) dst[owEnd..].Clear();
                        var src = plane.Slice(ih * w.Width, w.Width);
                        if (w.StrideW == 1)
                            CopyShort(src.Slice(owBegin + colOffset, owEnd - owBegin), dst[owBegin..owEnd]);
                        else
                            for (int ow = owBegin; ow < owEnd; ow++) dst[ow] = src[ow * w.StrideW + colOffset];
                    }
                }
        }
    }

    /// <summary>image = col2im(col): every tap's value added to the pixel it came from; the image is overwritten.</summary>
    public static void Fold<T>(ReadOnlySpan<T> col, int channels, in Window2d w, Span<T> image) where T : unmanaged, INumber<T>
    {
        image.Slice(0, channels * w.Plane).Clear();
        int outH = w.OutH, outW = w.OutW;
        for (int c = 0; c < channels; c++)
        {
            var plane = image.Slice(c * w.Plane, w.Plane);
            for (int ki = 0; ki < w.KernelH; ki++)
                for (int kj = 0; kj < w.KernelW; kj++)
                {
                    var row = col.Slice(((c * w.KernelH + ki) * w.KernelW + kj) * w.OutPlane, w.OutPlane);
                    int colOffset = kj * w.DilationW - w.PadLeft;
                    var (owBegin, owEnd) = ValidRange(colOffset, w.StrideW, w.Width, outW);
                    if (owBegin >= owEnd) continue;
                    for (int oh = 0; oh < outH; oh++)
                    {
                        int ih = oh * w.StrideH - w.PadTop + ki * w.DilationH;
                        if ((uint)ih >= (uint)w.Height) continue;
                        var src = row.Slice(oh * outW, outW);
                        var dst = plane.Slice(ih * w.Width, w.Width);
                        if (w.StrideW == 1)
                        {
                            // Each pixel gets one add per tap, in the same order as the scalar loop: SIMD is exact.
                            var pixels = dst.Slice(owBegin + colOffset, owEnd - owBegin);
                            TensorPrimitives.Add(pixels, src[owBegin..owEnd], pixels);
                        }
                        else
                            for (int ow = owBegin; ow < owEnd; ow++) dst[ow * w.StrideW + colOffset] += src[ow];
                    }
                }
        }
    }

    // Image rows are short (tens of elements): a vector loop beats Memmove's size dispatch, called once per row and tap.
    private static void CopyShort<T>(ReadOnlySpan<T> source, Span<T> destination) where T : unmanaged
    {
        int n = source.Length, i = 0;
        ref T s = ref MemoryMarshal.GetReference(source);
        ref T d = ref MemoryMarshal.GetReference(destination);
        if (n > destination.Length) throw new ArgumentException("destination too short", nameof(destination));
        if (Vector256<T>.IsSupported)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                Vector256.LoadUnsafe(ref s, (nuint)i).StoreUnsafe(ref d, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref d, i) = Unsafe.Add(ref s, i);
    }

    // Window columns ow whose tap column ow·stride + offset lies inside [0, size).
    private static (int Begin, int End) ValidRange(int offset, int stride, int size, int outSize)
    {
        int begin = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int end = size - offset <= 0 ? 0 : Math.Min(outSize, (size - offset + stride - 1) / stride);
        return (Math.Min(begin, outSize), end);
    }
}
