using System.Numerics;
using System.Numerics.Tensors;

namespace Nabla.Kernels;

// Scalar math calls the C library (MathF/Math on Linux), as PyTorch's portable CPU kernels do.
internal struct ExpOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.Exp(x); }
internal struct LogOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.Log(x); }
// IEEE square root is correctly rounded in SIMD too.
internal struct SqrtOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => T.Sqrt(x);
    public static bool Vectorized => true;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Sqrt(x, d);
}
internal struct SinOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.Sin(x); }
internal struct CosOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.Cos(x); }
internal struct TanhOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.Tanh(x); }
internal struct SigmoidOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T> { public static T Apply(T x) => T.One / (T.One + T.Exp(-x)); }
internal struct NegOp<T> : IUnaryOp<T, T> where T : INumber<T>
{
    public static T Apply(T x) => -x;
    public static bool Vectorized => true;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Negate(x, d);
}

// Floats only: the SIMD form clears the sign bit as T.Abs does; integer abs(MinValue) keeps its scalar overflow check.
internal struct AbsOp<T> : IUnaryOp<T, T> where T : INumber<T>
{
    public static T Apply(T x) => T.Abs(x);
    public static bool Vectorized => typeof(T) == typeof(float) || typeof(T) == typeof(double);
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => TensorPrimitives.Abs(x, d);
}
// (0 < x) - (x < 0), as PyTorch computes it: sign(NaN) is 0.
internal struct SignOp<T> : IUnaryOp<T, T> where T : INumber<T> { public static T Apply(T x) => x > T.Zero ? T.One : x < T.Zero ? -T.One : T.Zero; }
// relu is clamp_min(x, 0): NaN passes through.
internal struct ReluOp<T> : IUnaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T x) => ReluVector<T>.Apply(x);
    public static bool Vectorized => true;
    public static void Apply(ReadOnlySpan<T> x, Span<T> d) => VectorLoop.Unary<T, ReluVector<T>>(x, d);
}
