using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>Where the packed GEMM gets B's panels from: it asks for the block of rows [p0, p0 + kc) and columns [j0, j0 + nc).</summary>
internal unsafe interface IPanelSource<T> where T : unmanaged
{
    /// <summary>Packs B's (kc x nc) block at (p0, j0) in <see cref="GemmPacking.PackB{T, TVec, TLanes}"/>'s layout.</summary>
    void Pack(int p0, int j0, int kc, int nc, T* destination);
}

/// <summary>B as a strided matrix in memory.</summary>
internal readonly unsafe struct StridedPanels<T, TVec, TLanes>(StridedMatrix<T> b) : IPanelSource<T>
    where T : unmanaged where TVec : struct where TLanes : IGemmLanes<T, TVec>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Pack(int p0, int j0, int kc, int nc, T* destination) => GemmPacking.PackB<T, TVec, TLanes>(b.From(p0, j0), kc, nc, destination);
}

/// <summary>
/// B whose element (p, j) is <c>data[rowOffsets[p] + columnOffsets[j]]</c>: a convolution's unrolled image (im2col)
/// read straight from the image, tap p at window position j, so the unrolled matrix is never written out. A half
/// panel whose columns are consecutive in memory (window positions along one output row) is one vector load.
/// </summary>
internal readonly unsafe struct IndexedPanels<T, TVec, TLanes>(T* data, int* rowOffsets, int* columnOffsets) : IPanelSource<T>
    where T : unmanaged where TVec : struct where TLanes : IGemmLanes<T, TVec>
{
    public void Pack(int p0, int j0, int kc, int nc, T* destination)
    {
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
    }

    private static bool Consecutive(int* offsets, int count)
    {
        for (int i = 1; i < count; i++)
            if (offsets[i] != offsets[0] + i) return false;
        return true;
    }
}
