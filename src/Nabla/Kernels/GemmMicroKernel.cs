using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// The register-blocked inner kernel: a <see cref="Rows"/> x (2 vectors) tile of C held in 12 accumulators
/// (+ 2 B vectors + 1 broadcast = 15 of AVX2's 16 registers) while it walks the packed panels with one FMA per
/// accumulator per k step. 6 x 16 for fp32 and 6 x 8 for fp64 on AVX2; 6 x 32 and 6 x 16 on AVX-512.
/// </summary>
internal static unsafe class GemmMicroKernel
{
    /// <summary>Rows of a tile (MR); the packed A panel is this tall.</summary>
    public const int Rows = 6;

    /// <summary>Columns of a tile (NR) for a lane type; the packed B panel is this wide.</summary>
    public static int Columns<T, TVec, TLanes>() where T : unmanaged where TVec : struct where TLanes : IGemmLanes<T, TVec>
        => 2 * TLanes.Count;

    /// <summary>
    /// C tile = (addToC ? C tile : 0) + A panel (kc x Rows, k-major) · B panel (kc x Columns, k-major), summed in k order
    /// onto C's value; then + bias[column] when <paramref name="bias"/> is not null, then ReLU when <paramref name="relu"/>.
    /// Only the first <paramref name="rows"/> rows of C are read and written (a matrix's last row panel may be shorter;
    /// the packed A panel is zero below it, and the rows past it are computed and dropped).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Tile<T, TVec, TLanes>(int kc, T* a, T* b, T* c, nint ldc, bool addToC, T* bias, bool relu, int rows = Rows)
        where T : unmanaged where TVec : struct where TLanes : IGemmLanes<T, TVec>
    {
        nint w = TLanes.Count;
        TVec c00 = TLanes.Zero, c01 = TLanes.Zero, c10 = TLanes.Zero, c11 = TLanes.Zero, c20 = TLanes.Zero, c21 = TLanes.Zero;
        TVec c30 = TLanes.Zero, c31 = TLanes.Zero, c40 = TLanes.Zero, c41 = TLanes.Zero, c50 = TLanes.Zero, c51 = TLanes.Zero;
        if (addToC)
        {
            // Start from C so a product split into k blocks sums exactly like one pass over k.
            c00 = TLanes.Load(c); c01 = TLanes.Load(c + w);
            if (rows > 1) { c10 = TLanes.Load(c + ldc); c11 = TLanes.Load(c + ldc + w); }
            if (rows > 2) { c20 = TLanes.Load(c + 2 * ldc); c21 = TLanes.Load(c + 2 * ldc + w); }
            if (rows > 3) { c30 = TLanes.Load(c + 3 * ldc); c31 = TLanes.Load(c + 3 * ldc + w); }
            if (rows > 4) { c40 = TLanes.Load(c + 4 * ldc); c41 = TLanes.Load(c + 4 * ldc + w); }
            if (rows > 5) { c50 = TLanes.Load(c + 5 * ldc); c51 = TLanes.Load(c + 5 * ldc + w); }
        }
        for (int p = 0; p < kc; p++)
        {
            TVec b0 = TLanes.Load(b), b1 = TLanes.Load(b + w);
            TVec ai = TLanes.Broadcast(a[0]);
            c00 = TLanes.MultiplyAdd(ai, b0, c00);
            c01 = TLanes.MultiplyAdd(ai, b1, c01);
            ai = TLanes.Broadcast(a[1]);
            c10 = TLanes.MultiplyAdd(ai, b0, c10);
            c11 = TLanes.MultiplyAdd(ai, b1, c11);
            ai = TLanes.Broadcast(a[2]);
            c20 = TLanes.MultiplyAdd(ai, b0, c20);
            c21 = TLanes.MultiplyAdd(ai, b1, c21);
            ai = TLanes.Broadcast(a[3]);
            c30 = TLanes.MultiplyAdd(ai, b0, c30);
            c31 = TLanes.MultiplyAdd(ai, b1, c31);
            ai = TLanes.Broadcast(a[4]);
            c40 = TLanes.MultiplyAdd(ai, b0, c40);
            c41 = TLanes.MultiplyAdd(ai, b1, c41);
            ai = TLanes.Broadcast(a[5]);
            c50 = TLanes.MultiplyAdd(ai, b0, c50);
            c51 = TLanes.MultiplyAdd(ai, b1, c51);
            a += Rows;
            b += 2 * w;
        }
        StoreRow<T, TVec, TLanes>(c, c00, c01, bias, relu);
        if (rows > 1) StoreRow<T, TVec, TLanes>(c + ldc, c10, c11, bias, relu);
        if (rows > 2) StoreRow<T, TVec, TLanes>(c + 2 * ldc, c20, c21, bias, relu);
        if (rows > 3) StoreRow<T, TVec, TLanes>(c + 3 * ldc, c30, c31, bias, relu);
        if (rows > 4) StoreRow<T, TVec, TLanes>(c + 4 * ldc, c40, c41, bias, relu);
        if (rows > 5) StoreRow<T, TVec, TLanes>(c + 5 * ldc, c50, c51, bias, relu);
    }

    // Same operations in the same order as the unfused path: the finished sum + bias, then ReLU.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void StoreRow<T, TVec, TLanes>(T* c, TVec v0, TVec v1, T* bias, bool relu)
        where T : unmanaged where TVec : struct where TLanes : IGemmLanes<T, TVec>
    {
        nint w = TLanes.Count;
        if (bias != null)
        {
            v0 = TLanes.Add(v0, TLanes.Load(bias));
            v1 = TLanes.Add(v1, TLanes.Load(bias + w));
        }
        if (relu)
        {
            v0 = TLanes.Relu(v0);
            v1 = TLanes.Relu(v1);
        }
        TLanes.Store(c, v0);
        TLanes.Store(c + w, v1);
    }
}
