using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// Packs float panels by 8x8 register transposes instead of element by element: a B panel whose columns are contiguous
/// (Linear's Wᵀ: W's rows; the forward pass of every Linear layer reads its weight this way), and row-major A panels. AVX only; callers fall back
/// to the scalar loop elsewhere.
/// </summary>
internal static unsafe class GemmTransposeAvx
{
    public static bool IsSupported => Avx.IsSupported;

    /// <summary>
    /// destination[p * stride + j] = column j's element p, for j in [0, columns) with columns a multiple of 8 and
    /// p in [0, kc); column j starts at <paramref name="source"/> + j * columnStride.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackColumns(float* source, nint columnStride, int columns, int kc, float* destination, int stride)
    {
        int kc8 = kc & ~7;
        for (int j = 0; j < columns; j += 8)
        {
            float* s = source + j * columnStride;
            for (int p = 0; p < kc8; p += 8) Transpose8x8(s + p, columnStride, destination + p * stride + j, stride);
            for (int p = kc8; p < kc; p++)
                for (int i = 0; i < 8; i++) destination[p * stride + j + i] = s[i * columnStride + p];
        }
    }

    /// <summary>
    /// A full A panel: destination[p * 6 + i] = row i's element p for the 6 rows starting at <paramref name="source"/>
    /// (row i at source + i * rowStride, unit stride along p), p in [0, kc). 8 x 8 transposes with two zero rows;
    /// each transposed vector is stored whole and its two padding lanes are overwritten by the next store.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackRows6(float* source, nint rowStride, int kc, float* destination)
    {
        const int rows = 6;
        int p = 0;
        for (; p + 8 < kc; p += 8)
        {
            float* s = source + p;
            Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + rowStride), r2 = Avx.LoadVector256(s + 2 * rowStride);
            Vector256<float> r3 = Avx.LoadVector256(s + 3 * rowStride), r4 = Avx.LoadVector256(s + 4 * rowStride), r5 = Avx.LoadVector256(s + 5 * rowStride);
            Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
            Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5);
            Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
            Vector256<float> u4 = Avx.Shuffle(t4, Vector256<float>.Zero, 0x44), u5 = Avx.Shuffle(t4, Vector256<float>.Zero, 0xEE);
            Vector256<float> u6 = Avx.Shuffle(t5, Vector256<float>.Zero, 0x44), u7 = Avx.Shuffle(t5, Vector256<float>.Zero, 0xEE);
            float* d = destination + p * rows;
            Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
            Avx.Store(d + rows, Avx.Permute2x128(u1, u5, 0x20));
            Avx.Store(d + 2 * rows, Avx.Permute2x128(u2, u6, 0x20));
            Avx.Store(d + 3 * rows, Avx.Permute2x128(u3, u7, 0x20));
            Avx.Store(d + 4 * rows, Avx.Permute2x128(u0, u4, 0x31));
            Avx.Store(d + 5 * rows, Avx.Permute2x128(u1, u5, 0x31));
            Avx.Store(d + 6 * rows, Avx.Permute2x128(u2, u6, 0x31));
            Avx.Store(d + 7 * rows, Avx.Permute2x128(u3, u7, 0x31)); // its padding lands on element p + 8, written below
        }
        for (; p < kc; p++)
            for (int i = 0; i < rows; i++) destination[p * rows + i] = source[i * rowStride + p];
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8(float* s, nint ss, float* d, nint ds)
    {
        Vector256<float> r0 = Avx.LoadVector256(s), r1 = Avx.LoadVector256(s + ss), r2 = Avx.LoadVector256(s + 2 * ss), r3 = Avx.LoadVector256(s + 3 * ss);
        Vector256<float> r4 = Avx.LoadVector256(s + 4 * ss), r5 = Avx.LoadVector256(s + 5 * ss), r6 = Avx.LoadVector256(s + 6 * ss), r7 = Avx.LoadVector256(s + 7 * ss);
        Vector256<float> t0 = Avx.UnpackLow(r0, r1), t1 = Avx.UnpackHigh(r0, r1), t2 = Avx.UnpackLow(r2, r3), t3 = Avx.UnpackHigh(r2, r3);
        Vector256<float> t4 = Avx.UnpackLow(r4, r5), t5 = Avx.UnpackHigh(r4, r5), t6 = Avx.UnpackLow(r6, r7), t7 = Avx.UnpackHigh(r6, r7);
        Vector256<float> u0 = Avx.Shuffle(t0, t2, 0x44), u1 = Avx.Shuffle(t0, t2, 0xEE), u2 = Avx.Shuffle(t1, t3, 0x44), u3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> u4 = Avx.Shuffle(t4, t6, 0x44), u5 = Avx.Shuffle(t4, t6, 0xEE), u6 = Avx.Shuffle(t5, t7, 0x44), u7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(d, Avx.Permute2x128(u0, u4, 0x20));
        Avx.Store(d + ds, Avx.Permute2x128(u1, u5, 0x20));
        Avx.Store(d + 2 * ds, Avx.Permute2x128(u2, u6, 0x20));
        Avx.Store(d + 3 * ds, Avx.Permute2x128(u3, u7, 0x20));
        Avx.Store(d + 4 * ds, Avx.Permute2x128(u0, u4, 0x31));
        Avx.Store(d + 5 * ds, Avx.Permute2x128(u1, u5, 0x31));
        Avx.Store(d + 6 * ds, Avx.Permute2x128(u2, u6, 0x31));
        Avx.Store(d + 7 * ds, Avx.Permute2x128(u3, u7, 0x31));
    }
}
