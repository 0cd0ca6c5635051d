using System.Numerics;

namespace Nabla.Kernels;

/// <summary>pow(tensor, scalar) with the exact special cases of PyTorch's CPU kernel (x*x for 2, sqrt for 0.5, ...).</summary>
internal static class PowScalar
{
    public static void Apply<T>(ReadOnlySpan<T> x, T e, Span<T> d) where T : unmanaged, IFloatingPointIeee754<T>
    {
        T two = T.CreateTruncating(2), three = T.CreateTruncating(3), half = T.CreateTruncating(0.5);
        if (e == two) for (int i = 0; i < x.Length; i++) d[i] = x[i] * x[i];
        else if (e == three) for (int i = 0; i < x.Length; i++) d[i] = x[i] * x[i] * x[i];
        else if (e == half) for (int i = 0; i < x.Length; i++) d[i] = T.Sqrt(x[i]);
        else if (e == -half) for (int i = 0; i < x.Length; i++) d[i] = T.One / T.Sqrt(x[i]);
        else if (e == -T.One) for (int i = 0; i < x.Length; i++) d[i] = T.One / x[i];
        else if (e == -two) for (int i = 0; i < x.Length; i++) d[i] = T.One / (x[i] * x[i]);
        else if (e == T.One) x.CopyTo(d);
        else for (int i = 0; i < x.Length; i++) d[i] = T.Pow(x[i], e);
    }
}
