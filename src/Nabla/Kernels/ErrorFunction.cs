using System.Numerics;

namespace Nabla.Kernels;

/// <summary>
/// erf and PyTorch's erfinv (<c>calc_erfinv</c>) in float and double. erf is the fdlibm algorithm that the C library of the
/// reference build (glibc 2.36) uses for <c>erff</c>/<c>erf</c>, with the same operations in the same order, so float results
/// match PyTorch's portable kernels bit for bit; exp is the C library's (MathF/Math on Linux).
/// </summary>
internal static class ErrorFunction
{
    // fdlibm's coefficients (s_erf.c); the float version's are these rounded to float.
    private const double Erx = 8.45062911510467529297e-01, Efx = 1.28379167095512586316e-01, Efx8 = 1.02703333676410069053e+00;
    private static readonly double[] Pp = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
    private static readonly double[] Qq = [3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
    private static readonly double[] Pa = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
    private static readonly double[] Qa = [1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
    private static readonly double[] Ra = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
    private static readonly double[] Sa = [1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
    private static readonly double[] Rb = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02];
    private static readonly double[] Sb = [3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01];

    // Both versions switch to the second erfc fit at the float 0x4036DB6E (a double high word of 0x4006DB6E): the same number.
    private const double ErfcSplit = 2.857143402099609375;

    /// <summary>The error function, as the C library's <c>erff</c> / <c>erf</c>.</summary>
    public static T Erf<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (T.IsNaN(x)) return x + x;
        if (T.IsInfinity(x)) return T.IsNegative(x) ? -T.One : T.One;
        T ax = T.Abs(x);
        if (ax < C<T>(0.84375))
        {
            if (ax < C<T>(1.0 / (1 << 28)))
                return ax < C<T>(typeof(T) == typeof(float) ? Math.ScaleB(1.0, -119) : Math.ScaleB(1.0, -1015))
                    ? C<T>(0.125) * (C<T>(8.0) * x + C<T>(Efx8) * x)
                    : x + C<T>(Efx) * x;
            T z = x * x;
            T r = Poly(z, Pp);
            T s = T.One + z * Poly(z, Qq);
            return x + x * (r / s);
        }
        if (ax < C<T>(1.25))
        {
            T s = ax - T.One;
            T p = Poly(s, Pa);
            T q = T.One + s * Poly(s, Qa);
            return T.IsNegative(x) ? -C<T>(Erx) - p / q : C<T>(Erx) + p / q;
        }
        if (ax >= C<T>(6.0))
        {
            T tiny = C<T>(1e-30);
            return T.IsNegative(x) ? tiny - T.One : T.One - tiny;
        }
        T inv = T.One / (ax * ax);
        T big, small;
        if (ax < C<T>(ErfcSplit))
        {
            big = Poly(inv, Ra);
            small = T.One + inv * Poly(inv, Sa);
        }
        else
        {
            big = Poly(inv, Rb);
            small = T.One + inv * Poly(inv, Sb);
        }
        T zt = TruncateLowBits(ax);
        T e = T.Exp(-zt * zt - C<T>(0.5625)) * T.Exp((zt - ax) * (zt + ax) + big / small);
        return T.IsNegative(x) ? e / ax - T.One : T.One - e / ax;
    }

    /// <summary>
    /// Inverse error function exactly as PyTorch's <c>calc_erfinv</c>: a rational first guess (central range |y| ≤ 0.7, else a tail
    /// fit), then two Newton steps using erf; NaN outside [-1, 1], ±∞ at ±1.
    /// </summary>
    public static T Erfinv<T>(T y) where T : IFloatingPointIeee754<T>
    {
        T yAbs = T.Abs(y);
        if (yAbs > T.One) return T.NaN;
        if (yAbs == T.One) return T.CopySign(T.PositiveInfinity, y);
        T x;
        if (yAbs <= C<T>(0.7))
        {
            T z = y * y;
            T num = ((C<T>(-0.140543331) * z + C<T>(0.914624893)) * z + C<T>(-1.645349621)) * z + C<T>(0.886226899);
            T dem = (((C<T>(0.012229801) * z + C<T>(-0.329097515)) * z + C<T>(1.442710462)) * z + C<T>(-2.118377725)) * z + T.One;
            x = y * num / dem;
        }
        else
        {
            T z = T.Sqrt(-T.Log((T.One - yAbs) / C<T>(2.0)));
            T num = ((C<T>(1.641345311) * z + C<T>(3.429567803)) * z + C<T>(-1.624906493)) * z + C<T>(-1.970840454);
            T dem = (C<T>(1.637067800) * z + C<T>(3.543889200)) * z + T.One;
            x = T.CopySign(num, y) / dem;
        }
        T twoOverSqrtPi = C<T>(2.0) / C<T>(Math.Sqrt(Math.PI));
        x -= (Erf(x) - y) / (twoOverSqrtPi * T.Exp(-x * x));
        x -= (Erf(x) - y) / (twoOverSqrtPi * T.Exp(-x * x));
        return x;
    }

    private static T C<T>(double value) where T : IFloatingPointIeee754<T> => T.CreateTruncating(value);

    // c[0] + z·(c[1] + z·(… + z·c[n−1])), evaluated innermost first as the C code writes it.
    private static T Poly<T>(T z, double[] c) where T : IFloatingPointIeee754<T>
    {
        T acc = C<T>(c[^1]);
        for (int i = c.Length - 2; i >= 0; i--) acc = C<T>(c[i]) + z * acc;
        return acc;
    }

    // fdlibm splits x into a head with the low mantissa bits cleared (12 of float's, 32 of double's) for an exact z·z.
    private static T TruncateLowBits<T>(T x) where T : IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
            return T.CreateTruncating(BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(float.CreateTruncating(x)) & unchecked((int)0xfffff000)));
        return T.CreateTruncating(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(double.CreateTruncating(x)) & unchecked((long)0xffffffff00000000)));
    }
}
