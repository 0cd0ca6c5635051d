using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>Where the packed GEMM gets B's panels from: it asks for the block of rows [p0, p0 + kc) and columns [j0, j0 + nc).</summary>
internal unsafe interface IPanelSource<T> where T : unmanaged
{
    /// <summary>
    /// B's (kc x nc) block at (p0, j0) in <see cref="GemmPacking.PackB{T, TVec, TLanes}"/>'s layout: packed into
    /// <paramref name="scratch"/>, or where it already lies packed; returns where it is.
    /// </summary>
    T* Pack(int p0, int j0, int kc, int nc, T* scratch);
}

/// <summary>B as a strided matrix in memory.</summary>
internal readonly unsafe struct StridedPanels<T, TVec, TLanes>(StridedMatrix<T> b) : IPanelSource<T>
    where T : unmanaged where TVec : struct where TLanes : IGemmLanes<T, TVec>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T* Pack(int p0, int j0, int kc, int nc, T* scratch)
    {
        GemmPacking.PackB<T, TVec, TLanes>(b.From(p0, j0), kc, nc, scratch);
        return scratch;
    }
}

/// <summary>
/// B whose element (p, j) is <c>data[rowOffsets[p] + columnOffsets[j]]</c>: a convolution's unrolled image (im2col)
/// read straight from the image, tap p at window position j, so the unrolled matrix is never written out. A half
/// panel whose columns are consecutive in memory (window positions along one output row) is one vector load.
/// </summary>
internal readonly unsafe struct IndexedPanels<T, TVec, TLanes>(T* data, int* rowOffsets, int* columnOffsets) : IPanelSource<T>
    where T : unmanaged where TVec : struct where TLanes : IGemmLanes<T, TVec>
{
    public T* Pack(int p0, int j0, int kc, int nc, T* scratch)
    {
        T* destination = scratch;
        int w = TLanes.Count, nr = 2 * w;
        int* rows = rowOffsets + p0;
        for (int jr = 0; jr < nc; jr += nr, destination += nr * kc)
        {
            int cols = Math.Min(nr, nc - jr);
            int* columns = columnOffsets + j0 + jr;
            T* d = destination;
            if (cols == nr && Consecutive(columns, w) && Consecutive(columns + w, w))
            {
                int first = columns[0], second = columns[w];
                for (int p = 0; p < kc; p++)
                {
                    T* source = data + rows[p];
                    TLanes.Store(d + p * nr, TLanes.Load(source + first));
                    TLanes.Store(d + p * nr + w, TLanes.Load(source + second));
                }
                continue;
            }
            for (int p = 0; p < kc; p++)
            {
                T* source = data + rows[p], panelRow = d + p * nr;
                for (int j = 0; j < cols; j++) panelRow[j] = source[columns[j]];
                for (int j = cols; j < nr; j++) panelRow[j] = default;
            }
        }
        return scratch;
    }

    private static bool Consecutive(int* offsets, int count)
    {
        for (int i = 1; i < count; i++)
            if (offsets[i] != offsets[0] + i) return false;
        return true;
    }
}

/// <summary>
/// B packed once for every k block (<see cref="PackedMatrix{T}"/>): block pc at pc·PaddedN, its panel of column j at
/// j·kcb. The kernel reads the panels where they lie.
/// </summary>
internal readonly unsafe struct PrepackedPanels<T>(T* data, int paddedN, int firstColumn) : IPanelSource<T> where T : unmanaged
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T* Pack(int p0, int j0, int kc, int nc, T* scratch) => data + (nint)p0 * paddedN + (nint)(firstColumn + j0) * kc;
}
