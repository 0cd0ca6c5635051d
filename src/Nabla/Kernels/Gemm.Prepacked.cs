using System.Numerics;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>
/// B (k x n) packed once in the packed kernel's panel layout for one lane width, to be multiplied many times: an
/// inference weight. Block pc (rows [pc, pc + kc)) lies at pc·PaddedN, its panel of column j at j·kcb. It records what
/// it was packed from, so a user can tell whether it still describes a matrix.
/// </summary>
internal sealed class PackedMatrix<T>(T[] data, int k, int n, int paddedN, Gemm.Isa isa, int version, long offset, long rowStride, long colStride)
    where T : unmanaged
{
    public T[] Data { get; } = data;
    public int K { get; } = k;
    public int N { get; } = n;
    public int PaddedN { get; } = paddedN;

    /// <summary>The lane width the panels are laid out for (the products must use it, whatever thread runs them).</summary>
    public Gemm.Isa Isa { get; } = isa;

    /// <summary>Whether this was packed from a matrix at these coordinates of its storage.</summary>
    public bool PackedFrom(long offset2, long rowStride2, long colStride2, int k2, int n2)
        => offset == offset2 && rowStride == rowStride2 && colStride == colStride2 && K == k2 && N == n2;

    /// <summary>Whether it still holds that matrix's values (the storage's version then) for the lane width in use.</summary>
    public bool IsCurrent(int version2) => version == version2 && Isa == Gemm.CurrentIsa;
}

internal static unsafe partial class Gemm
{
    /// <summary>Whether a product of this shape runs the packed kernel, where a prepacked B pays (float, m &gt; 1).</summary>
    public static bool TakesPrepacked<T>(int m, int k, int n) where T : unmanaged
        => typeof(T) == typeof(float) && m > 1 && n > 1 && Choose(m, k, n) == Path.Packed && CurrentIsa != Isa.Scalar;

    /// <summary>Packs B (k x n, any strides) for <see cref="MultiplyPrepacked{T}"/>; <paramref name="version"/> and the source coordinates are recorded.</summary>
    public static PackedMatrix<T> Prepack<T>(StridedMatrix<T> b, int k, int n, int version, long offset) where T : unmanaged, INumber<T>
    {
        var isa = CurrentIsa;
        int nr = 2 * LanesOf<T>(isa), kc = GemmPacked.BlockK<T>(k, nr), paddedN = (n + nr - 1) / nr * nr;
        var data = new T[(long)k * paddedN];
        fixed (T* d = data)
            for (int pc = 0; pc < k; pc += kc)
            {
                var block = b.From(pc, 0);
                int kcb = Math.Min(kc, k - pc);
                T* at = d + (nint)pc * paddedN;
                switch (isa)
                {
                    case Isa.Vector512: GemmPacking.PackB<T, Vector512<T>, Lanes512<T>>(block, kcb, n, at); break;
                    case Isa.Vector256: GemmPacking.PackB<T, Vector256<T>, Lanes256<T>>(block, kcb, n, at); break;
                    default: GemmPacking.PackB<T, Vector128<T>, Lanes128<T>>(block, kcb, n, at); break;
                }
            }
        return new PackedMatrix<T>(data, k, n, paddedN, isa, version, offset, b.RowStride, b.ColStride);
    }

    /// <summary>
    /// C (m x n, row stride ldc) = A (m x k) @ B with B prepacked, then the epilogue; split between threads in whole
    /// tiles, each element computed as in <see cref="Batched{T}"/> (the same k blocks, the same order).
    /// </summary>
    public static void MultiplyPrepacked<T>(StridedMatrix<T> a, PackedMatrix<T> b, T* c, nint ldc, int m, GemmEpilogue<T> epilogue)
        where T : unmanaged, INumber<T>
    {
        int k = b.K, n = b.N, threads = Parallelism.Threads;
        fixed (T* data = b.Data)
        {
            nint address = (nint)data;
            if (threads == 1 || (long)m * n * k < ParallelWork)
            {
                Prepacked(b.Isa, a, new PrepackedPanels<T>(data, b.PaddedN, 0), c, ldc, m, k, n, epilogue);
                return;
            }
            // By rows when there are enough row panels to balance: each thread then packs only its own rows of A (B is
            // packed already), where a split by columns would pack all of A on every thread.
            bool byColumns = m < 2 * threads * GemmMicroKernel.Rows && n >= m;
            int extent = byColumns ? n : m, grain = byColumns ? 2 * LanesOf<T>(b.Isa) : GemmMicroKernel.Rows;
            int tiles = (extent + grain - 1) / grain, parts = Math.Clamp(tiles, 1, threads);
            nint cAddress = (nint)c;
            Parallelism.For(parts, part =>
            {
                int begin = Math.Min(extent, tiles * part / parts * grain), end = Math.Min(extent, tiles * (part + 1) / parts * grain);
                if (end <= begin) return;
                T* cPart = (T*)cAddress;
                if (byColumns)
                    Prepacked(b.Isa, a, new PrepackedPanels<T>((T*)address, b.PaddedN, begin), cPart + begin, ldc, m, k, end - begin, epilogue.FromColumn(begin));
                else
                    Prepacked(b.Isa, a.From(begin, 0), new PrepackedPanels<T>((T*)address, b.PaddedN, 0), cPart + begin * ldc, ldc, end - begin, k, n, epilogue);
            });
        }
    }

    private static void Prepacked<T>(Isa isa, StridedMatrix<T> a, PrepackedPanels<T> b, T* c, nint ldc, int m, int k, int n, GemmEpilogue<T> epilogue)
        where T : unmanaged, INumber<T>
    {
        switch (isa)
        {
            case Isa.Vector512: GemmPacked.Multiply<T, Vector512<T>, Lanes512<T>, PrepackedPanels<T>>(a, b, c, ldc, m, k, n, false, epilogue); break;
            case Isa.Vector256: GemmPacked.Multiply<T, Vector256<T>, Lanes256<T>, PrepackedPanels<T>>(a, b, c, ldc, m, k, n, false, epilogue); break;
            default: GemmPacked.Multiply<T, Vector128<T>, Lanes128<T>, PrepackedPanels<T>>(a, b, c, ldc, m, k, n, false, epilogue); break;
        }
    }
}
