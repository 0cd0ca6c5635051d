using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// PyTorch's erfinv (<c>calc_erfinv</c>) in float and double; its Newton steps use <see cref="Erf"/>, the C library's erf.
/// </summary>
internal static class ErrorFunction
{
    /// <summary>
    /// Inverse error function exactly as PyTorch's <c>calc_erfinv</c>: a rational first guess (central range |y| ≤ 0.7, else a tail
    /// fit), then two Newton steps using erf; NaN outside [-1, 1], ±∞ at ±1. With <paramref name="fused"/> the polynomials round
    /// each <c>a * z + b</c> once, as PyTorch's AVX2/AVX-512 builds compiled them.
    /// </summary>
    public static T Erfinv<T>(T y, bool fused = false) where T : IFloatingPointIeee754<T>
    {
        T Mad(T a, T b, T c) => fused ? T.FusedMultiplyAdd(a, b, c) : a * b + c;
        T yAbs = T.Abs(y);
        if (yAbs > T.One) return T.NaN;
        if (yAbs == T.One) return T.CopySign(T.PositiveInfinity, y);
        T x;
        if (yAbs <= C<T>(0.7))
        {
            T z = y * y;
            T num = Mad(Mad(Mad(C<T>(-0.140543331), z, C<T>(0.914624893)), z, C<T>(-1.645349621)), z, C<T>(0.886226899));
            T dem = Mad(Mad(Mad(Mad(C<T>(0.012229801), z, C<T>(-0.329097515)), z, C<T>(1.442710462)), z, C<T>(-2.118377725)), z, T.One);
            x = y * num / dem;
        }
        else
        {
            T z = T.Sqrt(-T.Log((T.One - yAbs) / C<T>(2.0)));
            T num = Mad(Mad(Mad(C<T>(1.641345311), z, C<T>(3.429567803)), z, C<T>(-1.624906493)), z, C<T>(-1.970840454));
            T dem = Mad(Mad(C<T>(1.637067800), z, C<T>(3.543889200)), z, T.One);
            x = T.CopySign(num, y) / dem;
        }
        T twoOverSqrtPi = C<T>(2.0) / C<T>(Math.Sqrt(Math.PI));
        x -= (ErfOp<T>.Apply(x) - y) / (twoOverSqrtPi * T.Exp(-x * x));
        x -= (ErfOp<T>.Apply(x) - y) / (twoOverSqrtPi * T.Exp(-x * x));
        return x;
    }

    private static T C<T>(double value) where T : IFloatingPointIeee754<T> => T.CreateTruncating(value);
}
