using System.Runtime.CompilerServices;
namespace Nabla.Kernels;

/// <summary>
/// Copies blocks of A and B into the panel layouts the micro-kernel streams through: k-major, one cache line
/// after another, zero-padded to whole panels so edge tiles need no special case inside the kernel.
/// Any strides are read; the loop order follows the unit stride when there is one, so transposed views pack
/// as fast as contiguous ones.
/// </summary>
internal static unsafe class GemmPacking
{
    /// <summary>A block (mc x kc) into panels of <see cref="GemmMicroKernel.Rows"/> rows: element (r·Rows + i, p) at panel r, offset p·Rows + i.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackA<T>(StridedMatrix<T> a, int mc, int kc, T* destination) where T : unmanaged
    {
        const int mr = GemmMicroKernel.Rows;
        for (int ir = 0; ir < mc; ir += mr, destination += mr * kc)
        {
            int rows = Math.Min(mr, mc - ir);
            var panel = a.From(ir, 0);
            T* d = destination;
            if (typeof(T) == typeof(float) && panel.ColStride == 1 && rows == mr && GemmTransposeAvx.IsSupported)
                GemmTransposeAvx.PackRows6((float*)panel.Data, panel.RowStride, kc, (float*)d);
            else if (panel.ColStride == 1)
                for (int i = 0; i < rows; i++)
                {
                    T* src = panel.At(i, 0);
                    for (int p = 0; p < kc; p++) d[p * mr + i] = src[p];
                }
            else
                for (int p = 0; p < kc; p++)
                {
                    T* src = panel.At(0, p);
                    for (int i = 0; i < rows; i++) d[p * mr + i] = src[i * panel.RowStride];
                }
            for (int i = rows; i < mr; i++)
                for (int p = 0; p < kc; p++) d[p * mr + i] = default;
        }
    }

    /// <summary>B block (kc x nc) into panels of NR = 2 vectors of columns: element (p, r·NR + j) at panel r, offset p·NR + j.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void PackB<T, TVec, TLanes>(StridedMatrix<T> b, int kc, int nc, T* destination)
        where T : unmanaged where TVec : struct where TLanes : IGemmLanes<T, TVec>
    {
        int w = TLanes.Count, nr = 2 * w;
        for (int jr = 0; jr < nc; jr += nr, destination += nr * kc)
        {
            int cols = Math.Min(nr, nc - jr);
            var panel = b.From(0, jr);
            T* d = destination;
            if (panel.ColStride == 1 && cols == nr)
                for (int p = 0; p < kc; p++)
                {
                    T* src = panel.At(p, 0);
                    TLanes.Store(d + p * nr, TLanes.Load(src));
                    TLanes.Store(d + p * nr + w, TLanes.Load(src + w));
                }
            else if (typeof(T) == typeof(float) && panel.RowStride == 1 && cols % 8 == 0 && GemmTransposeAvx.IsSupported)
                GemmTransposeAvx.PackColumns((float*)panel.Data, panel.ColStride, cols, kc, (float*)d, nr);
            else if (panel.ColStride == 1)
                for (int p = 0; p < kc; p++)
                {
                    T* src = panel.At(p, 0);
                    for (int j = 0; j < cols; j++) d[p * nr + j] = src[j];
                }
            else
                for (int j = 0; j < cols; j++)
                {
                    T* src = panel.At(0, j);
                    for (int p = 0; p < kc; p++) d[p * nr + j] = src[p * panel.RowStride];
                }
            for (int j = cols; j < nr; j++)
                for (int p = 0; p < kc; p++) d[p * nr + j] = default;
        }
    }
}
