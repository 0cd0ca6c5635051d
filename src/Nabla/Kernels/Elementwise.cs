using System.Runtime.CompilerServices;

namespace Nabla.Kernels;

/// <summary>
/// An elementwise binary operation as a struct, in the style of TensorPrimitives' operators:
/// a scalar form and a contiguous-span form (a SIMD call where one exists, else <see cref="Elementwise.Loop{TIn,TOut,TOp}"/>).
/// </summary>
internal interface IBinaryOp<TIn, TOut>
{
    static abstract TOut Apply(TIn a, TIn b);
    static abstract void Apply(ReadOnlySpan<TIn> a, ReadOnlySpan<TIn> b, Span<TOut> d);
}

/// <summary>An elementwise unary operation as a struct, with an optional span form where SIMD gives the same bits.</summary>
internal interface IUnaryOp<TIn, TOut>
{
    static abstract TOut Apply(TIn x);

    /// <summary>True when <see cref="Apply(ReadOnlySpan{TIn}, Span{TOut})"/> is a SIMD form, bit-identical to the scalar form.</summary>
    static virtual bool Vectorized => false;

    /// <summary>The SIMD span form; called only when <see cref="Vectorized"/>.</summary>
    static virtual void Apply(ReadOnlySpan<TIn> x, Span<TOut> d) => throw new NotSupportedException();
}

/// <summary>Loops that drive elementwise operators over contiguous and broadcast strided inputs.</summary>
[SkipLocalsInit]
internal static class Elementwise
{
    // Scalar operands are repeated into a stack block this long, so the operator's span form (SIMD) still applies.
    private const int ScalarBlock = 256;

    // Per-element work of a scalar C-library call (exp, tanh) against a SIMD add: such ops go parallel sooner.
    private const int ScalarCallWork = 16;

    // Outputs up to this size stay in the last-level cache with their inputs, and the next op reads them from there.
    private const long CacheResidentBytes = 8 << 20;

    // TensorPrimitives switches to non-temporal stores for spans above 256 KiB, which send such a result to memory:
    // span calls on cache-resident outputs are cut into pieces below that.
    private const int PieceBytes = 128 << 10;

    /// <summary>Whether an output of <paramref name="length"/> elements should be written with ordinary (cached) stores.</summary>
    public static bool CacheResident<T>(int length) => (long)length * Unsafe.SizeOf<T>() <= CacheResidentBytes;

    /// <summary>The operator's span form over contiguous spans, in pieces that keep a cache-resident output in cache.</summary>
    public static void Spans<TIn, TOut, TOp>(ReadOnlySpan<TIn> a, ReadOnlySpan<TIn> b, Span<TOut> d, bool cached) where TOp : IBinaryOp<TIn, TOut>
    {
        int piece = PieceBytes / Math.Max(Unsafe.SizeOf<TIn>(), Unsafe.SizeOf<TOut>());
        if (!cached || d.Length <= piece) { TOp.Apply(a, b, d); return; }
        for (int i = 0; i < d.Length; i += piece)
        {
            int n = Math.Min(piece, d.Length - i);
            TOp.Apply(a.Slice(i, n), b.Slice(i, n), d.Slice(i, n));
        }
    }

    /// <summary>The scalar loop behind span forms that have no SIMD version.</summary>
    public static void Loop<TIn, TOut, TOp>(ReadOnlySpan<TIn> a, ReadOnlySpan<TIn> b, Span<TOut> d) where TOp : IBinaryOp<TIn, TOut>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Apply(a[i], b[i]);
    }

    /// <summary>
    /// d = op(a, b) over the broadcast of two strided views into a contiguous output of <paramref name="shape"/>.
    /// Dimensions both inputs walk alike are merged first, so contiguous inputs are one span call, a bias row or a
    /// per-channel value is a span-with-scalar call per row, and large outputs are split across threads.
    /// </summary>
    public static void Binary<TIn, TOut, TOp>(
        TIn[] a, long offA, long[] stridesA, TIn[] b, long offB, long[] stridesB, long[] shape, Span<TOut> d)
        where TIn : unmanaged where TOut : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        if (d.Length == 0) return;
        int rank = Math.Max(shape.Length, 1);
        Span<long> layout = rank <= 8 ? stackalloc long[3 * 8] : new long[3 * rank];
        int dims = BroadcastLayout.Coalesce(shape, stridesA, stridesB, layout);
        layout = layout[..(3 * dims)];
        int chunks = Parallelism.Chunks(d.Length, 1, ParallelSpans.ElementwiseGrain);
        bool cached = CacheResident<TOut>(d.Length);
        if (chunks <= 1)
        {
            Range<TIn, TOut, TOp>(a, offA, b, offB, layout, d, 0, d.Length, cached);
            return;
        }
        BinaryParallel<TIn, TOut, TOp>(a, offA, b, offB, layout.ToArray(), d, chunks, cached);
    }

    // Apart from Binary so the closure is allocated only on this path.
    private static unsafe void BinaryParallel<TIn, TOut, TOp>(TIn[] a, long offA, TIn[] b, long offB, long[] layout, Span<TOut> d, int chunks, bool cached)
        where TIn : unmanaged where TOut : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        fixed (TOut* pd = d)
        {
            nint start = (nint)pd;
            int length = d.Length;
            Parallelism.ForRanges(length, chunks, (s, e) =>
                Range<TIn, TOut, TOp>(a, offA, b, offB, layout, new Span<TOut>((TOut*)start, length), s, e, cached));
        }
    }

    // Elements [start, end) of the output, row by row of the innermost merged dimension.
    private static void Range<TIn, TOut, TOp>(TIn[] a, long offA, TIn[] b, long offB, ReadOnlySpan<long> layout, Span<TOut> d, int start, int end, bool cached)
        where TIn : unmanaged where TOut : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        int dims = layout.Length / 3;
        var shape = layout[..dims];
        var stridesA = layout.Slice(dims, dims);
        var stridesB = layout.Slice(2 * dims, dims);
        int inner = (int)shape[^1];
        long sa = stridesA[^1], sb = stridesB[^1];
        Span<long> index = stackalloc long[dims];
        long row = Math.DivRem(start, (long)inner, out long column);
        for (int k = dims - 2; k >= 0; k--)
        {
            row = Math.DivRem(row, shape[k], out index[k]);
            offA += index[k] * stridesA[k];
            offB += index[k] * stridesB[k];
        }
        while (start < end)
        {
            int length = (int)Math.Min(inner - column, end - start);
            Row<TIn, TOut, TOp>(a, offA + column * sa, sa, b, offB + column * sb, sb, d.Slice(start, length), cached);
            start += length;
            column = 0;
            for (int k = dims - 2; k >= 0; k--)
            {
                if (++index[k] < shape[k]) { offA += stridesA[k]; offB += stridesB[k]; break; }
                offA -= stridesA[k] * (shape[k] - 1);
                offB -= stridesB[k] * (shape[k] - 1);
                index[k] = 0;
            }
        }
    }

    private static void Row<TIn, TOut, TOp>(TIn[] a, long pa, long sa, TIn[] b, long pb, long sb, Span<TOut> d, bool cached)
        where TIn : unmanaged where TOut : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        int n = d.Length;
        if (sa == 1 && sb == 1) Spans<TIn, TOut, TOp>(a.AsSpan((int)pa, n), b.AsSpan((int)pb, n), d, cached);
        else if (sa == 1 && sb == 0 && n > 1) WithScalar<TIn, TOut, TOp>(a.AsSpan((int)pa, n), b[pb], scalarFirst: false, d);
        else if (sa == 0 && sb == 1 && n > 1) WithScalar<TIn, TOut, TOp>(b.AsSpan((int)pb, n), a[pa], scalarFirst: true, d);
        else
            for (int i = 0; i < n; i++, pa += sa, pb += sb) d[i] = TOp.Apply(a[pa], b[pb]);
    }

    /// <summary>op(x, s) or op(s, x) through the span form, with s repeated into a stack block.</summary>
    internal static void WithScalar<TIn, TOut, TOp>(ReadOnlySpan<TIn> x, TIn scalar, bool scalarFirst, Span<TOut> d)
        where TIn : unmanaged where TOp : IBinaryOp<TIn, TOut>
    {
        Span<TIn> block = stackalloc TIn[Math.Min(ScalarBlock, x.Length)];
        block.Fill(scalar);
        for (int i = 0; i < x.Length; i += block.Length)
        {
            int length = Math.Min(block.Length, x.Length - i);
            var repeated = block[..length];
            if (scalarFirst) TOp.Apply(repeated, x.Slice(i, length), d.Slice(i, length));
            else TOp.Apply(x.Slice(i, length), repeated, d.Slice(i, length));
        }
    }

    /// <summary>d[i] = op(x[i]) over a contiguous input: the SIMD form where the operator has one, split across threads when large.</summary>
    public static void Unary<TIn, TOut, TOp>(ReadOnlySpan<TIn> x, Span<TOut> d)
        where TIn : unmanaged where TOut : unmanaged where TOp : IUnaryOp<TIn, TOut>
    {
        int work = TOp.Vectorized ? 1 : ScalarCallWork;
        // Small inputs call the range directly: no delegate on the per-op overhead path.
        bool pieces = TOp.Vectorized && CacheResident<TOut>(d.Length);
        if (Parallelism.Chunks(d.Length, work, ParallelSpans.ElementwiseGrain) <= 1)
        {
            if (pieces) UnaryPieces<TIn, TOut, TOp>(x, d);
            else UnaryRange<TIn, TOut, TOp>(x, d);
        }
        else if (pieces) ParallelSpans.Map(x, d, work, ParallelSpans.ElementwiseGrain, UnaryPieces<TIn, TOut, TOp>);
        else ParallelSpans.Map(x, d, work, ParallelSpans.ElementwiseGrain, UnaryRange<TIn, TOut, TOp>);
    }

    // UnaryRange in pieces that keep a cache-resident output in cache (see PieceBytes).
    private static void UnaryPieces<TIn, TOut, TOp>(ReadOnlySpan<TIn> x, Span<TOut> d) where TOp : IUnaryOp<TIn, TOut>
    {
        int piece = PieceBytes / Math.Max(Unsafe.SizeOf<TIn>(), Unsafe.SizeOf<TOut>());
        for (int i = 0; i < d.Length; i += piece)
        {
            int n = Math.Min(piece, d.Length - i);
            UnaryRange<TIn, TOut, TOp>(x.Slice(i, n), d.Slice(i, n));
        }
    }

    private static void UnaryRange<TIn, TOut, TOp>(ReadOnlySpan<TIn> x, Span<TOut> d) where TOp : IUnaryOp<TIn, TOut>
    {
        // Shorter than a vector, the scalar form gives the same bits with less setup.
        if (TOp.Vectorized && d.Length >= 8) { TOp.Apply(x, d); return; }
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Apply(x[i]);
    }
}
