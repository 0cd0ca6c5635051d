using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Nabla.Kernels;

/// <summary>
/// The summation order of floating sums, in double: a row is cut into fixed blocks; within a block, element i goes
/// to lane i mod 16, the 16 lanes are added in order, and the block sums are added in order. Rows up to 16 elements
/// are therefore summed left to right. Blocks of a long row are summed in parallel; the order stays the same.
/// </summary>
[SkipLocalsInit]
internal static class FloatingSum
{
    public const int Lanes = 16;

    /// <summary>Elements per block: a fixed size, so the order depends on neither the thread count nor the vector width.</summary>
    public const int Block = 1 << 14;

    public static double Row(ReadOnlySpan<float> x)
    {
        // Fewer than 16 elements: one per lane, so lane order is left to right.
        if (x.Length < Lanes)
        {
            double total = 0;
            foreach (var v in x) total += v;
            return total;
        }
        if (x.Length <= Block) return BlockSum(x);
        return Blocks(x, static b => BlockSum(b));
    }

    public static double Row(ReadOnlySpan<double> x)
    {
        if (x.Length <= Block) return BlockSum(x);
        return Blocks(x, static b => BlockSum(b));
    }

    private delegate double BlockBody<T>(ReadOnlySpan<T> block);

    // Block sums computed in parallel into a pooled buffer, then added in block order.
    private static double Blocks<T>(ReadOnlySpan<T> x, BlockBody<T> body) where T : unmanaged
    {
        int blocks = (x.Length + Block - 1) / Block;
        var partial = System.Buffers.ArrayPool<double>.Shared.Rent(blocks);
        try
        {
            ParallelSpans.MapRows(x, Block, partial.AsSpan(0, blocks), 1, blocks, 2 * Block, (range, d) =>
            {
                for (int b = 0; b < d.Length; b++)
                {
                    int start = b * Block;
                    d[b] = body(range.Slice(start, Math.Min(Block, range.Length - start)));
                }
            });
            double total = 0;
            for (int b = 0; b < blocks; b++) total += partial[b];
            return total;
        }
        finally
        {
            System.Buffers.ArrayPool<double>.Shared.Return(partial);
        }
    }

    private static double BlockSum(ReadOnlySpan<float> x)
    {
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        ref float start = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Avx.IsSupported)
        {
            // vcvtps2pd straight from memory: the same lanes as the widening below, without the 128-bit extracts.
            for (; i <= x.Length - Lanes; i += Lanes)
            {
                a0 = Avx.Add(a0, Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref start, (nuint)i)));
                a1 = Avx.Add(a1, Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref start, (nuint)(i + 4))));
                a2 = Avx.Add(a2, Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref start, (nuint)(i + 8))));
                a3 = Avx.Add(a3, Avx.ConvertToVector256Double(Vector128.LoadUnsafe(ref start, (nuint)(i + 12))));
            }
        }
        for (; i <= x.Length - Lanes; i += Lanes)
        {
            var (l0, h0) = Vector256.Widen(Vector256.LoadUnsafe(ref start, (nuint)i));
            var (l1, h1) = Vector256.Widen(Vector256.LoadUnsafe(ref start, (nuint)(i + 8)));
            a0 += l0; a1 += h0; a2 += l1; a3 += h1;
        }
        Span<double> lanes = stackalloc double[Lanes];
        a0.CopyTo(lanes); a1.CopyTo(lanes[4..]); a2.CopyTo(lanes[8..]); a3.CopyTo(lanes[12..]);
        for (int k = 0; i + k < x.Length; k++) lanes[k] += x[i + k];
        return AddLanes(lanes);
    }

    private static double BlockSum(ReadOnlySpan<double> x)
    {
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        ref double start = ref MemoryMarshal.GetReference(x);
        int i = 0;
        for (; i <= x.Length - Lanes; i += Lanes)
        {
            a0 += Vector256.LoadUnsafe(ref start, (nuint)i);
            a1 += Vector256.LoadUnsafe(ref start, (nuint)(i + 4));
            a2 += Vector256.LoadUnsafe(ref start, (nuint)(i + 8));
            a3 += Vector256.LoadUnsafe(ref start, (nuint)(i + 12));
        }
        Span<double> lanes = stackalloc double[Lanes];
        a0.CopyTo(lanes); a1.CopyTo(lanes[4..]); a2.CopyTo(lanes[8..]); a3.CopyTo(lanes[12..]);
        for (int k = 0; i + k < x.Length; k++) lanes[k] += x[i + k];
        return AddLanes(lanes);
    }

    private static double AddLanes(ReadOnlySpan<double> lanes)
    {
        double total = 0;
        foreach (var v in lanes) total += v;
        return total;
    }
}
