using System.Numerics;
using System.Numerics.Tensors;
using System.Runtime.Intrinsics;

namespace Nabla.Kernels;

internal struct AddOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a + b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Add(a, b, d);
}

internal struct SubOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a - b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Subtract(a, b, d);
}

internal struct MulOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a * b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Multiply(a, b, d);
}

internal struct DivOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a / b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => TensorPrimitives.Divide(a, b, d);
}

internal struct PowOp<T> : IBinaryOp<T, T> where T : unmanaged, IFloatingPointIeee754<T>
{
    public static T Apply(T a, T b) => T.Pow(a, b);
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => Elementwise.Loop<T, T, PowOp<T>>(a, b, d);
}

internal struct IntPowOp<T> : IBinaryOp<T, T> where T : unmanaged, IBinaryInteger<T>
{
    public static T Apply(T a, T b)
    {
        if (b < T.Zero) throw new ArgumentException("Integers to negative integer powers are not allowed.");
        T result = T.One;
        while (b != T.Zero)
        {
            if ((b & T.One) == T.One) result *= a;
            a *= a;
            b >>= 1;
        }
        return result;
    }

    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => Elementwise.Loop<T, T, IntPowOp<T>>(a, b, d);
}

// maximum/minimum propagate NaN, as torch.maximum does.
internal struct MaximumOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.IsNaN(a) ? a : T.IsNaN(b) ? b : a >= b ? a : b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => Elementwise.Loop<T, T, MaximumOp<T>>(a, b, d);
}

internal struct MinimumOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => T.IsNaN(a) ? a : T.IsNaN(b) ? b : a <= b ? a : b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d) => Elementwise.Loop<T, T, MinimumOp<T>>(a, b, d);
}

internal struct EqOp<T> : IBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a == b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d) => Elementwise.Loop<T, bool, EqOp<T>>(a, b, d);
}

internal struct NeOp<T> : IBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a != b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d) => Elementwise.Loop<T, bool, NeOp<T>>(a, b, d);
}

internal struct GtOp<T> : IBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a > b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d) => Elementwise.Loop<T, bool, GtOp<T>>(a, b, d);
}

internal struct LtOp<T> : IBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a < b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d) => Elementwise.Loop<T, bool, LtOp<T>>(a, b, d);
}

internal struct GeOp<T> : IBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a >= b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d) => Elementwise.Loop<T, bool, GeOp<T>>(a, b, d);
}

internal struct LeOp<T> : IBinaryOp<T, bool> where T : unmanaged, INumber<T>
{
    public static bool Apply(T a, T b) => a <= b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<bool> d) => Elementwise.Loop<T, bool, LeOp<T>>(a, b, d);
}

internal struct AndOp : IBinaryOp<bool, bool>
{
    public static bool Apply(bool a, bool b) => a & b;
    public static void Apply(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, Span<bool> d) => Elementwise.Loop<bool, bool, AndOp>(a, b, d);
}

internal struct OrOp : IBinaryOp<bool, bool>
{
    public static bool Apply(bool a, bool b) => a | b;
    public static void Apply(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, Span<bool> d) => Elementwise.Loop<bool, bool, OrOp>(a, b, d);
}

internal struct XorOp : IBinaryOp<bool, bool>
{
    public static bool Apply(bool a, bool b) => a ^ b;
    public static void Apply(ReadOnlySpan<bool> a, ReadOnlySpan<bool> b, Span<bool> d) => Elementwise.Loop<bool, bool, XorOp>(a, b, d);
}

// relu's backward (threshold_backward at 0): the gradient b where the result a is above 0 or NaN, else 0.
internal struct ReluGradOp<T> : IBinaryOp<T, T> where T : unmanaged, INumber<T>
{
    public static T Apply(T a, T b) => a <= T.Zero ? T.Zero : b;
    public static void Apply(ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> d)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated && Vector256<T>.IsSupported)
            for (; i <= d.Length - Vector256<T>.Count; i += Vector256<T>.Count)
            {
                var mask = Vector256.LessThanOrEqual(Vector256.Create(a.Slice(i, Vector256<T>.Count)), Vector256<T>.Zero);
                Vector256.ConditionalSelect(mask, Vector256<T>.Zero, Vector256.Create(b.Slice(i, Vector256<T>.Count))).CopyTo(d.Slice(i));
            }
        for (; i < d.Length; i++) d[i] = Apply(a[i], b[i]);
    }
}
