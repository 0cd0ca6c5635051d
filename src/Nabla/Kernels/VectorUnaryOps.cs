using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

/// <summary>A unary operator with SIMD forms at each width, driven by <see cref="VectorLoop"/>.</summary>
internal interface IVectorUnaryOp<T> where T : unmanaged
{
    static abstract T Apply(T x);
    static abstract Vector128<T> Apply(Vector128<T> x);
    static abstract Vector256<T> Apply(Vector256<T> x);
    static abstract Vector512<T> Apply(Vector512<T> x);
}

/// <summary>One loop for <see cref="IVectorUnaryOp{T}"/>: the widest accelerated vector, then a scalar tail.</summary>
internal static class VectorLoop
{
    public static void Unary<T, TOp>(ReadOnlySpan<T> x, Span<T> d) where T : unmanaged where TOp : IVectorUnaryOp<T>
    {
        int i = 0;
        if (Vector512.IsHardwareAccelerated && Vector512<T>.IsSupported)
            for (; i <= x.Length - Vector512<T>.Count; i += Vector512<T>.Count)
                TOp.Apply(Vector512.Create(x.Slice(i, Vector512<T>.Count))).CopyTo(d.Slice(i));
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; i <= x.Length - Vector256<T>.Count; i += Vector256<T>.Count)
                TOp.Apply(Vector256.Create(x.Slice(i, Vector256<T>.Count))).CopyTo(d.Slice(i));
        if (Vector128.IsHardwareAccelerated && Vector128<T>.IsSupported)
            for (; i <= x.Length - Vector128<T>.Count; i += Vector128<T>.Count)
                TOp.Apply(Vector128.Create(x.Slice(i, Vector128<T>.Count))).CopyTo(d.Slice(i));
        for (; i < x.Length; i++) d[i] = TOp.Apply(x[i]);
    }
}

// x < 0 ? 0 : x, lane by lane: NaN and -0.0 pass through as in the scalar form (TensorPrimitives.Max would turn -0.0 into 0).
internal struct ReluVector<T> : IVectorUnaryOp<T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => x < T.Zero ? T.Zero : x;
    public static Vector128<T> Apply(Vector128<T> x) => Vector128.ConditionalSelect(Vector128.LessThan(x, Vector128<T>.Zero), Vector128<T>.Zero, x);
    public static Vector256<T> Apply(Vector256<T> x) => Vector256.ConditionalSelect(Vector256.LessThan(x, Vector256<T>.Zero), Vector256<T>.Zero, x);
    public static Vector512<T> Apply(Vector512<T> x) => Vector512.ConditionalSelect(Vector512.LessThan(x, Vector512<T>.Zero), Vector512<T>.Zero, x);
}
