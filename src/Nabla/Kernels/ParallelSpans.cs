namespace Nabla.Kernels;

/// <summary>A body over one range of a split span pair (spans cannot be captured by thread-pool closures).</summary>
internal delegate void SpanRange<TIn, TOut>(ReadOnlySpan<TIn> x, Span<TOut> d);

/// <summary>
/// Splits span work across <see cref="Parallelism"/>: the spans are pinned for the duration of the (synchronous)
/// parallel loop and each range is rebuilt from the pinned address, so kernels keep span signatures.
/// The closures live in separate methods so the one-chunk path allocates nothing.
/// </summary>
internal static unsafe class ParallelSpans
{
    /// <summary>Elements per chunk of elementwise work: measured on 2 cores, two threads win from about 256K float adds.</summary>
    public const long ElementwiseGrain = 1 << 17;

    /// <summary>Runs <paramref name="body"/> over aligned ranges of x and d, one per chunk, each chunk worth at least <paramref name="grain"/>.</summary>
    public static void Map<TIn, TOut>(ReadOnlySpan<TIn> x, Span<TOut> d, long workPerItem, long grain, SpanRange<TIn, TOut> body)
        where TIn : unmanaged where TOut : unmanaged
    {
        int chunks = Parallelism.Chunks(d.Length, workPerItem, grain);
        if (chunks <= 1) body(x, d);
        else Split(x, 1, d, 1, d.Length, chunks, body);
    }

    /// <summary>Runs <paramref name="body"/> over ranges of whole rows: source rows of <paramref name="n"/> elements, destination rows of <paramref name="m"/>.</summary>
    public static void MapRows<TIn, TOut>(ReadOnlySpan<TIn> x, int n, Span<TOut> d, int m, int rows, long grain, SpanRange<TIn, TOut> body)
        where TIn : unmanaged where TOut : unmanaged
    {
        int chunks = Parallelism.Chunks(rows, Math.Max(n, m), grain);
        if (chunks <= 1) body(x, d);
        else Split(x, n, d, m, rows, chunks, body);
    }

    private static void Split<TIn, TOut>(ReadOnlySpan<TIn> x, int n, Span<TOut> d, int m, int rows, int chunks, SpanRange<TIn, TOut> body)
        where TIn : unmanaged where TOut : unmanaged
    {
        fixed (TIn* px = x)
        fixed (TOut* pd = d)
        {
            nint xs = (nint)px, ds = (nint)pd;
            int xLength = x.Length, dLength = d.Length;
            // The last row may be short (blocks of a long row).
            Parallelism.ForRanges(rows, chunks, (s, e) => body(
                new ReadOnlySpan<TIn>((TIn*)xs + (long)s * n, (int)Math.Min((long)(e - s) * n, xLength - (long)s * n)),
                new Span<TOut>((TOut*)ds + (long)s * m, (int)Math.Min((long)(e - s) * m, dLength - (long)s * m))));
        }
    }
}
