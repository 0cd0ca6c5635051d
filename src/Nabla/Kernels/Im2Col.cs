using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Numerics;

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
        if (image.Length < channels * w.Plane || col.Length < channels * w.KernelSize * w.OutPlane)
            throw new ArgumentException("im2col: image or column buffer too short");
        // Rows are tens of elements and there are tens of thousands of them per batch: references, not slices.
        ref T image0 = ref MemoryMarshal.GetReference(image);
        ref T col0 = ref MemoryMarshal.GetReference(col);
        for (int c = 0; c < channels; c++)
        {
            ref T plane = ref Unsafe.Add(ref image0, c * w.Plane);
            for (int ki = 0; ki < w.KernelH; ki++)
                for (int kj = 0; kj < w.KernelW; kj++)
                {
                    ref T row = ref Unsafe.Add(ref col0, ((c * w.KernelH + ki) * w.KernelW + kj) * w.OutPlane);
                    int colOffset = kj * w.DilationW - w.PadLeft;
                    var (owBegin, owEnd) = ValidRange(colOffset, w.StrideW, w.Width, outW);
                    for (int oh = 0; oh < outH; oh++)
                    {
                        ref T dst = ref Unsafe.Add(ref row, oh * outW);
                        int ih = oh * w.StrideH - w.PadTop + ki * w.DilationH;
                        if ((uint)ih >= (uint)w.Height || owBegin >= owEnd)
                        {
                            MemoryMarshal.CreateSpan(ref dst, outW).Clear();
                            continue;
                        }
                        if (owBegin > 0) MemoryMarshal.CreateSpan(ref dst, owBegin).Clear();
                        if (owEnd < outW) MemoryMarshal.CreateSpan(ref Unsafe.Add(ref dst, owEnd), outW - owEnd).Clear();
                        ref T src = ref Unsafe.Add(ref plane, ih * w.Width + colOffset);
                        if (w.StrideW == 1)
                            CopyShort(ref Unsafe.Add(ref src, owBegin), ref Unsafe.Add(ref dst, owBegin), owEnd - owBegin);
                        else
                            for (int ow = owBegin; ow < owEnd; ow++) Unsafe.Add(ref dst, ow) = Unsafe.Add(ref src, ow * w.StrideW);
                    }
                }
        }
    }

    /// <summary>image = col2im(col): every tap's value added to the pixel it came from; the image is overwritten.</summary>
    public static void Fold<T>(ReadOnlySpan<T> col, int channels, in Window2d w, Span<T> image) where T : unmanaged, INumber<T>
    {
        if (image.Length < channels * w.Plane || col.Length < channels * w.KernelSize * w.OutPlane)
            throw new ArgumentException("col2im: image or column buffer too short");
        image.Slice(0, channels * w.Plane).Clear();
        int outH = w.OutH, outW = w.OutW;
        ref T image0 = ref MemoryMarshal.GetReference(image);
        ref T col0 = ref MemoryMarshal.GetReference(col);
        for (int c = 0; c < channels; c++)
        {
            ref T plane = ref Unsafe.Add(ref image0, c * w.Plane);
            for (int ki = 0; ki < w.KernelH; ki++)
                for (int kj = 0; kj < w.KernelW; kj++)
                {
                    ref T row = ref Unsafe.Add(ref col0, ((c * w.KernelH + ki) * w.KernelW + kj) * w.OutPlane);
                    int colOffset = kj * w.DilationW - w.PadLeft;
                    var (owBegin, owEnd) = ValidRange(colOffset, w.StrideW, w.Width, outW);
                    if (owBegin >= owEnd) continue;
                    for (int oh = 0; oh < outH; oh++)
                    {
                        int ih = oh * w.StrideH - w.PadTop + ki * w.DilationH;
                        if ((uint)ih >= (uint)w.Height) continue;
                        ref T src = ref Unsafe.Add(ref row, oh * outW);
                        ref T dst = ref Unsafe.Add(ref plane, ih * w.Width + colOffset);
                        // Each pixel gets one add per tap, in the same order as the scalar loop: SIMD is exact.
                        if (w.StrideW == 1)
                            AddShort(ref Unsafe.Add(ref src, owBegin), ref Unsafe.Add(ref dst, owBegin), owEnd - owBegin);
                        else
                            for (int ow = owBegin; ow < owEnd; ow++) Unsafe.Add(ref dst, ow * w.StrideW) += Unsafe.Add(ref src, ow);
                    }
                }
        }
    }

    // Image rows are short (tens of elements): a vector loop beats Memmove's size dispatch, called once per row and tap.
    // The last vector may overlap the one before it: a copy writes the same values twice.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CopyShort<T>(ref T source, ref T destination, int n) where T : unmanaged
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported && n >= Vector256<T>.Count)
        {
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                Vector256.LoadUnsafe(ref source, (nuint)i).StoreUnsafe(ref destination, (nuint)i);
            if (i < n) Vector256.LoadUnsafe(ref source, (nuint)(n - Vector256<T>.Count)).StoreUnsafe(ref destination, (nuint)(n - Vector256<T>.Count));
            return;
        }
        for (; i < n; i++) Unsafe.Add(ref destination, i) = Unsafe.Add(ref source, i);
    }

    // destination[i] += source[i]: one add per element, as the scalar loop (no overlap here: an add is not idempotent).
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AddShort<T>(ref T source, ref T destination, int n) where T : unmanaged, INumber<T>
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; i + Vector256<T>.Count <= n; i += Vector256<T>.Count)
                (Vector256.LoadUnsafe(ref destination, (nuint)i) + Vector256.LoadUnsafe(ref source, (nuint)i)).StoreUnsafe(ref destination, (nuint)i);
        for (; i < n; i++) Unsafe.Add(ref destination, i) += Unsafe.Add(ref source, i);
    }

    // Window columns ow whose tap column ow·stride + offset lies inside [0, size).
    private static (int Begin, int End) ValidRange(int offset, int stride, int size, int outSize)
    {
        int begin = offset >= 0 ? 0 : (-offset + stride - 1) / stride;
        int end = size - offset <= 0 ? 0 : Math.Min(outSize, (size - offset + stride - 1) / stride);
        return (Math.Min(begin, outSize), end);
    }
}
