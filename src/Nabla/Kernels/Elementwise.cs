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

/// <summary>An elementwise unary operation as a struct.</summary>
internal interface IUnaryOp<TIn, TOut>
{
    static abstract TOut Apply(TIn x);
}

/// <summary>Loops that drive elementwise operators over contiguous and broadcast strided inputs.</summary>
internal static class Elementwise
{
    /// <summary>The scalar loop behind span forms that have no SIMD version.</summary>
    public static void Loop<TIn, TOut, TOp>(ReadOnlySpan<TIn> a, ReadOnlySpan<TIn> b, Span<TOut> d) where TOp : IBinaryOp<TIn, TOut>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Apply(a[i], b[i]);
    }

    /// <summary>d = op(a, b) over the broadcast of two strided views into a contiguous output of <paramref name="shape"/>.</summary>
    public static void Binary<TIn, TOut, TOp>(
        TIn[] a, long offA, long[] stridesA, TIn[] b, long offB, long[] stridesB, long[] shape, Span<TOut> d)
        where TOp : IBinaryOp<TIn, TOut>
    {
        int rank = shape.Length;
        if (d.Length == 0) return;
        if (rank == 0) { d[0] = TOp.Apply(a[offA], b[offB]); return; }
        int inner = (int)shape[rank - 1];
        long sa = stridesA[rank - 1], sb = stridesB[rank - 1];
        var index = new long[rank];
        long pa = offA, pb = offB;
        for (int o = 0; o < d.Length; o += inner)
        {
            var row = d.Slice(o, inner);
            if (sa == 1 && sb == 1)
                TOp.Apply(a.AsSpan((int)pa, inner), b.AsSpan((int)pb, inner), row);
            else
            {
                long ia = pa, ib = pb;
                for (int i = 0; i < inner; i++, ia += sa, ib += sb) row[i] = TOp.Apply(a[ia], b[ib]);
            }
            for (int dim = rank - 2; dim >= 0; dim--)
            {
                if (++index[dim] < shape[dim]) { pa += stridesA[dim]; pb += stridesB[dim]; break; }
                pa -= stridesA[dim] * (shape[dim] - 1);
                pb -= stridesB[dim] * (shape[dim] - 1);
                index[dim] = 0;
            }
        }
    }

    /// <summary>d[i] = op(x[i]) over a contiguous input.</summary>
    public static void Unary<TIn, TOut, TOp>(ReadOnlySpan<TIn> x, Span<TOut> d) where TOp : IUnaryOp<TIn, TOut>
    {
        for (int i = 0; i < d.Length; i++) d[i] = TOp.Apply(x[i]);
    }
}
