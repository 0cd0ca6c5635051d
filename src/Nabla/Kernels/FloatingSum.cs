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

    public static double Row(ReadOnlySpan<float> x) => Row<Identity>(x, 0f);

    public static double Row(ReadOnlySpan<double> x) => Row<Identity>(x, 0.0);

    /// <summary><see cref="Row(ReadOnlySpan{float})"/> or <see cref="Row(ReadOnlySpan{double})"/>, by the element type.</summary>
    public static double RowOf<T>(ReadOnlySpan<T> x) where T : unmanaged
        => typeof(T) == typeof(float) ? Row(MemoryMarshal.Cast<T, float>(x)) : Row(MemoryMarshal.Cast<T, double>(x));

    /// <summary>
    /// Σ (x − m)² in the same order as <see cref="Row(ReadOnlySpan{float})"/>, each square formed in float as the scalar
    /// <c>(x - m) * (x - m)</c> rounds it: the sum of <c>Row</c> over the squares, without writing them out.
    /// </summary>
    public static double SquaredDeviations(ReadOnlySpan<float> x, float m) => Row<SquaredDeviation>(x, m);

    /// <inheritdoc cref="SquaredDeviations(ReadOnlySpan{float}, float)"/>
    public static double SquaredDeviations(ReadOnlySpan<double> x, double m) => Row<SquaredDeviation>(x, m);

    private static double Row<TMap>(ReadOnlySpan<float> x, float m) where TMap : struct, IElementMap
    {
        // Fewer than 16 elements: one per lane, so lane order is left to right.
        if (x.Length < Lanes)
        {
            double total = 0;
            foreach (var v in x) total += TMap.Apply(v, m);
            return total;
        }
        if (x.Length <= Block) return BlockSum<TMap>(x, m);
        return Blocks(x, (double)m, static (b, mean) => BlockSum<TMap>(b, (float)mean));
    }

    private static double Row<TMap>(ReadOnlySpan<double> x, double m) where TMap : struct, IElementMap
    {
        if (x.Length <= Block) return BlockSum<TMap>(x, m);
        return Blocks(x, m, static (b, mean) => BlockSum<TMap>(b, mean));
    }

    private delegate double BlockBody<T>(ReadOnlySpan<T> block, double m);

    // Block sums computed in parallel into a pooled buffer, then added in block order.
    private static double Blocks<T>(ReadOnlySpan<T> x, double m, BlockBody<T> body) where T : unmanaged
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
                    d[b] = body(range.Slice(start, Math.Min(Block, range.Length - start)), m);
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

    private static double BlockSum<TMap>(ReadOnlySpan<float> x, float m) where TMap : struct, IElementMap
    {
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        ref float start = ref MemoryMarshal.GetReference(x);
        int i = 0;
        if (Avx.IsSupported)
        {
            // vcvtps2pd from four floats: the same lanes as the widening below, without the 128-bit extracts.
            var vm = Vector128.Create(m);
            for (; i <= x.Length - Lanes; i += Lanes)
            {
                a0 = Avx.Add(a0, Avx.ConvertToVector256Double(TMap.Apply(Vector128.LoadUnsafe(ref start, (nuint)i), vm)));
                a1 = Avx.Add(a1, Avx.ConvertToVector256Double(TMap.Apply(Vector128.LoadUnsafe(ref start, (nuint)(i + 4)), vm)));
                a2 = Avx.Add(a2, Avx.ConvertToVector256Double(TMap.Apply(Vector128.LoadUnsafe(ref start, (nuint)(i + 8)), vm)));
                a3 = Avx.Add(a3, Avx.ConvertToVector256Double(TMap.Apply(Vector128.LoadUnsafe(ref start, (nuint)(i + 12)), vm)));
            }
        }
        var wm = Vector256.Create(m);
        for (; i <= x.Length - Lanes; i += Lanes)
        {
            var (l0, h0) = Vector256.Widen(TMap.Apply(Vector256.LoadUnsafe(ref start, (nuint)i), wm));
            var (l1, h1) = Vector256.Widen(TMap.Apply(Vector256.LoadUnsafe(ref start, (nuint)(i + 8)), wm));
            a0 += l0; a1 += h0; a2 += l1; a3 += h1;
        }
        Span<double> lanes = stackalloc double[Lanes];
        a0.CopyTo(lanes); a1.CopyTo(lanes[4..]); a2.CopyTo(lanes[8..]); a3.CopyTo(lanes[12..]);
        for (int k = 0; i + k < x.Length; k++) lanes[k] += TMap.Apply(x[i + k], m);
        return AddLanes(lanes);
    }

    private static double BlockSum<TMap>(ReadOnlySpan<double> x, double m) where TMap : struct, IElementMap
    {
        Vector256<double> a0 = default, a1 = default, a2 = default, a3 = default;
        ref double start = ref MemoryMarshal.GetReference(x);
        var vm = Vector256.Create(m);
        int i = 0;
        for (; i <= x.Length - Lanes; i += Lanes)
        {
            a0 += TMap.Apply(Vector256.LoadUnsafe(ref start, (nuint)i), vm);
            a1 += TMap.Apply(Vector256.LoadUnsafe(ref start, (nuint)(i + 4)), vm);
            a2 += TMap.Apply(Vector256.LoadUnsafe(ref start, (nuint)(i + 8)), vm);
            a3 += TMap.Apply(Vector256.LoadUnsafe(ref start, (nuint)(i + 12)), vm);
        }
        Span<double> lanes = stackalloc double[Lanes];
        a0.CopyTo(lanes); a1.CopyTo(lanes[4..]); a2.CopyTo(lanes[8..]); a3.CopyTo(lanes[12..]);
        for (int k = 0; i + k < x.Length; k++) lanes[k] += TMap.Apply(x[i + k], m);
        return AddLanes(lanes);
    }

    private static double AddLanes(ReadOnlySpan<double> lanes)
    {
        double total = 0;
        foreach (var v in lanes) total += v;
        return total;
    }

    // What each element contributes, in its own precision, before the double sum.
    private interface IElementMap
    {
        static abstract float Apply(float v, float m);
        static abstract double Apply(double v, double m);
        static abstract Vector128<float> Apply(Vector128<float> v, Vector128<float> m);
        static abstract Vector256<float> Apply(Vector256<float> v, Vector256<float> m);
        static abstract Vector256<double> Apply(Vector256<double> v, Vector256<double> m);
    }

    private struct Identity : IElementMap
    {
        public static float Apply(float v, float m) => v;
        public static double Apply(double v, double m) => v;
        public static Vector128<float> Apply(Vector128<float> v, Vector128<float> m) => v;
        public static Vector256<float> Apply(Vector256<float> v, Vector256<float> m) => v;
        public static Vector256<double> Apply(Vector256<double> v, Vector256<double> m) => v;
    }

    // (v − m)², the difference and the square each rounded (no fused multiply-add).
    private struct SquaredDeviation : IElementMap
    {
        public static float Apply(float v, float m) { float d = v - m; return d * d; }
        public static double Apply(double v, double m) { double d = v - m; return d * d; }
        public static Vector128<float> Apply(Vector128<float> v, Vector128<float> m) { var d = v - m; return d * d; }
        public static Vector256<float> Apply(Vector256<float> v, Vector256<float> m) { var d = v - m; return d * d; }
        public static Vector256<double> Apply(Vector256<double> v, Vector256<double> m) { var d = v - m; return d * d; }
    }
}
