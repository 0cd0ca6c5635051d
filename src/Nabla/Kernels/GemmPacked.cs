using System.Runtime.CompilerServices;
using System.Buffers;
using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// The BLIS loop nest for one matrix on one thread: jc (NC columns) → pc (KC of k) → pack B → ic (MC rows) → pack A
/// → jr (NR) → ir (MR) → micro-kernel. A KC x NR panel of B stays in L1, an MC x KC block of A in L2, the
/// KC x NC block of B in L3. A tile short of rows reads and writes only its rows of C; one short of columns is computed
/// whole into a scratch tile and its valid part copied out.
/// </summary>
internal static unsafe class GemmPacked
{
    private const int L1PanelBytes = 16 * 1024; // half of a 32 KiB L1d: room for the A panel and C lines
    private const int L2BlockBytes = 144 * 1024; // well inside a 512 KiB L2, with room for B panels
    private const int ColumnBlock = 4096;

    public static void Multiply<T, TVec, TLanes>(StridedMatrix<T> a, StridedMatrix<T> b, T* c, nint ldc, int m, int k, int n, bool accumulate, GemmEpilogue<T> epilogue)
        where T : unmanaged, INumber<T> where TVec : struct where TLanes : IGemmLanes<T, TVec>
        => Multiply<T, TVec, TLanes, StridedPanels<T, TVec, TLanes>>(a, new(b), c, ldc, m, k, n, accumulate, epilogue);

    private static int KcMax<T>(int nr) where T : unmanaged => Math.Clamp(L1PanelBytes / (nr * sizeof(T)), 64, 512);

    /// <summary>
    /// The k block for a product with k rows of B and panels nr wide: equal blocks (784 → 4 x 196, not 3 x 256 + 16) so
    /// no block is a sliver that pays the C update alone. Block pc of B spans rows [pc, pc + kc).
    /// </summary>
    public static int BlockK<T>(int k, int nr) where T : unmanaged
    {
        int kcMax = KcMax<T>(nr);
        int kSteps = Math.Max(1, (k + kcMax - 1) / kcMax);
        return (k + kSteps - 1) / kSteps;
    }

    /// <summary>The same loop nest with B's panels packed by <paramref name="b"/> (a strided matrix, or an indexed one such as a convolution's unrolled image).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply<T, TVec, TLanes, TPanels>(StridedMatrix<T> a, TPanels b, T* c, nint ldc, int m, int k, int n, bool accumulate, GemmEpilogue<T> epilogue)
        where T : unmanaged, INumber<T> where TVec : struct where TLanes : IGemmLanes<T, TVec> where TPanels : struct, IPanelSource<T>
    {
        const int mr = GemmMicroKernel.Rows;
        int nr = GemmMicroKernel.Columns<T, TVec, TLanes>();
        int kcMax = KcMax<T>(nr), kc = BlockK<T>(k, nr);
        int mc = Math.Max(mr, L2BlockBytes / (kcMax * sizeof(T)) / mr * mr);
        int nc = ColumnBlock / nr * nr;
        int ncUsed = Math.Min(nc, (n + nr - 1) / nr * nr), mcUsed = Math.Min(mc, (m + mr - 1) / mr * mr);
        var packA = ArrayPool<T>.Shared.Rent(mcUsed * kc);
        var packB = ArrayPool<T>.Shared.Rent(ncUsed * kc);
        T* tile = stackalloc T[mr * nr];
        fixed (T* pa = packA, pb = packB)
        {
            for (int jc = 0; jc < n; jc += nc)
            {
                int ncb = Math.Min(nc, n - jc);
                for (int pc = 0; pc < k; pc += kc)
                {
                    int kcb = Math.Min(kc, k - pc);
                    bool addToC = accumulate || pc > 0, last = pc + kcb == k;
                    T* panels = b.Pack(pc, jc, kcb, ncb, pb);
                    for (int ic = 0; ic < m; ic += mc)
                    {
                        int mcb = Math.Min(mc, m - ic);
                        GemmPacking.PackA(a.From(ic, pc), mcb, kcb, pa);
                        for (int jr = 0; jr < ncb; jr += nr)
                        {
                            int cols = Math.Min(nr, ncb - jr), col = jc + jr;
                            T* bias = last && epilogue.Bias != null ? epilogue.Bias + col : null;
                            bool relu = last && epilogue.Relu;
                            for (int ir = 0; ir < mcb; ir += mr)
                            {
                                int rows = Math.Min(mr, mcb - ir);
                                T* aPanel = pa + ir * kcb, bPanel = panels + jr * kcb, cTile = c + (ic + ir) * ldc + col;
                                if (cols == nr)
                                {
                                    GemmMicroKernel.Tile<T, TVec, TLanes>(kcb, aPanel, bPanel, cTile, ldc, addToC, bias, relu, rows);
                                    continue;
                                }
                                new Span<T>(tile, mr * nr).Clear();
                                if (addToC)
                                    for (int i = 0; i < rows; i++)
                                        for (int j = 0; j < cols; j++) tile[i * nr + j] = cTile[i * ldc + j];
                                GemmMicroKernel.Tile<T, TVec, TLanes>(kcb, aPanel, bPanel, tile, nr, addToC, null, false);
                                for (int i = 0; i < rows; i++)
                                    for (int j = 0; j < cols; j++)
                                        cTile[i * ldc + j] = last ? epilogue.Apply(tile[i * nr + j], col + j) : tile[i * nr + j];
                            }
                        }
                    }
                }
            }
        }
        ArrayPool<T>.Shared.Return(packA);
        ArrayPool<T>.Shared.Return(packB);
    }
}
