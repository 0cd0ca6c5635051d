/*
 * Ported from the C library's erf (glibc sysdeps/ieee754/dbl-64/s_erf.c and flt-32/s_erff.c,
 * which PyTorch's portable CPU kernels call through std::erf), operation for operation so the
 * results are bit-identical to glibc's.
 * ====================================================
 * Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *
 * Developed at SunPro, a Sun Microsystems, Inc. business.
 * Permission to use, copy, modify, and distribute this
 * software is freely granted, provided that this notice
 * is preserved.
 * ====================================================
 * Float version by Ian Lance Taylor, Cygnus Support. Double version's polynomial evaluation
 * reorganised by Naohiko Shimizu, Tokai University, 1997.
 */
using System.Numerics;

namespace Nabla.Kernels;

/// <summary>The error function as the C library computes it (.NET has no Math.Erf).</summary>
internal static class Erf
{
    // erf(x) = x + x*R(x^2) on [0, 0.84375]; erx + P/Q on [0.84375, 1.25]; 1 - exp(-x^2 - 0.5625 + R/S)/x beyond.
    private const float ErxF = 8.4506291151e-01f, EfxF = 1.2837916613e-01f;
    private const float Pp0F = 1.2837916613e-01f, Pp1F = -3.2504209876e-01f, Pp2F = -2.8481749818e-02f, Pp3F = -5.7702702470e-03f, Pp4F = -2.3763017452e-05f;
    private const float Qq1F = 3.9791721106e-01f, Qq2F = 6.5022252500e-02f, Qq3F = 5.0813062117e-03f, Qq4F = 1.3249473704e-04f, Qq5F = -3.9602282413e-06f;
    private const float Pa0F = -2.3621185683e-03f, Pa1F = 4.1485610604e-01f, Pa2F = -3.7220788002e-01f, Pa3F = 3.1834661961e-01f;
    private const float Pa4F = -1.1089469492e-01f, Pa5F = 3.5478305072e-02f, Pa6F = -2.1663755178e-03f;
    private const float Qa1F = 1.0642088205e-01f, Qa2F = 5.4039794207e-01f, Qa3F = 7.1828655899e-02f, Qa4F = 1.2617121637e-01f;
    private const float Qa5F = 1.3637083583e-02f, Qa6F = 1.1984500103e-02f;
    private const float Ra0F = -9.8649440333e-03f, Ra1F = -6.9385856390e-01f, Ra2F = -1.0558626175e+01f, Ra3F = -6.2375331879e+01f;
    private const float Ra4F = -1.6239666748e+02f, Ra5F = -1.8460508728e+02f, Ra6F = -8.1287437439e+01f, Ra7F = -9.8143291473e+00f;
    private const float Sa1F = 1.9651271820e+01f, Sa2F = 1.3765776062e+02f, Sa3F = 4.3456588745e+02f, Sa4F = 6.4538726807e+02f;
    private const float Sa5F = 4.2900814819e+02f, Sa6F = 1.0863500214e+02f, Sa7F = 6.5702495575e+00f, Sa8F = -6.0424413532e-02f;
    private const float Rb0F = -9.8649431020e-03f, Rb1F = -7.9928326607e-01f, Rb2F = -1.7757955551e+01f, Rb3F = -1.6063638306e+02f;
    private const float Rb4F = -6.3756646729e+02f, Rb5F = -1.0250950928e+03f, Rb6F = -4.8351919556e+02f;
    private const float Sb1F = 3.0338060379e+01f, Sb2F = 3.2579251099e+02f, Sb3F = 1.5367296143e+03f, Sb4F = 3.1998581543e+03f;
    private const float Sb5F = 2.5530502930e+03f, Sb6F = 4.7452853394e+02f, Sb7F = -2.2440952301e+01f;

    /// <summary>erff(x), bit-identical to glibc's.</summary>
    public static float Apply(float x)
    {
        int hx = BitConverter.SingleToInt32Bits(x);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x7f800000) return (float)(1 - (((int)((uint)hx >> 31)) << 1)) + 1f / x;
        if (ix < 0x3f580000)
        {
            if (ix < 0x31800000)
            {
                if (ix < 0x04000000) return 0.0625f * (16.0f * x + (16.0f * EfxF) * x);
                return x + EfxF * x;
            }
            float z = x * x;
            float r = Pp0F + z * (Pp1F + z * (Pp2F + z * (Pp3F + z * Pp4F)));
            float s = 1f + z * (Qq1F + z * (Qq2F + z * (Qq3F + z * (Qq4F + z * Qq5F))));
            float y = r / s;
            return x + x * y;
        }
        if (ix < 0x3fa00000)
        {
            float s = MathF.Abs(x) - 1f;
            float p = Pa0F + s * (Pa1F + s * (Pa2F + s * (Pa3F + s * (Pa4F + s * (Pa5F + s * Pa6F)))));
            float q = 1f + s * (Qa1F + s * (Qa2F + s * (Qa3F + s * (Qa4F + s * (Qa5F + s * Qa6F)))));
            return hx >= 0 ? ErxF + p / q : -ErxF - p / q;
        }
        if (ix >= 0x40c00000) return hx >= 0 ? 1f - 1e-30f : 1e-30f - 1f;
        x = MathF.Abs(x);
        float ss = 1f / (x * x);
        float R, S;
        if (ix < 0x4036DB6E)
        {
            R = Ra0F + ss * (Ra1F + ss * (Ra2F + ss * (Ra3F + ss * (Ra4F + ss * (Ra5F + ss * (Ra6F + ss * Ra7F))))));
            S = 1f + ss * (Sa1F + ss * (Sa2F + ss * (Sa3F + ss * (Sa4F + ss * (Sa5F + ss * (Sa6F + ss * (Sa7F + ss * Sa8F)))))));
        }
        else
        {
            R = Rb0F + ss * (Rb1F + ss * (Rb2F + ss * (Rb3F + ss * (Rb4F + ss * (Rb5F + ss * Rb6F)))));
            S = 1f + ss * (Sb1F + ss * (Sb2F + ss * (Sb3F + ss * (Sb4F + ss * (Sb5F + ss * (Sb6F + ss * Sb7F))))));
        }
        float zz = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(x) & unchecked((int)0xfffff000));
        float rr = MathF.Exp(-zz * zz - 0.5625f) * MathF.Exp((zz - x) * (zz + x) + R / S);
        return hx >= 0 ? 1f - rr / x : rr / x - 1f;
    }

    private const double Erx = 8.45062911510467529297e-01, Efx = 1.28379167095512586316e-01;
    private static readonly double[] s_pp = [1.28379167095512558561e-01, -3.25042107247001499370e-01, -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05];
    private static readonly double[] s_qq = [0.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02, 5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06];
    private static readonly double[] s_pa = [-2.36211856075265944077e-03, 4.14856118683748331666e-01, -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01, 3.54783043256182359371e-02, -2.16637559486879084300e-03];
    private static readonly double[] s_qa = [0.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01, 7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02, 1.19844998467991074170e-02];
    private static readonly double[] s_ra = [-9.86494403484714822705e-03, -6.93858572707181764372e-01, -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02, -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00];
    private static readonly double[] s_sa = [0.0, 1.96512716674392571292e+01, 1.37657754143519042600e+02, 4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02, 1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02];
    private static readonly double[] s_rb = [-9.86494292470009928597e-03, -7.99283237680523006574e-01, -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02, -1.02509513161107724954e+03, -4.83519191608651397019e+02];
    private static readonly double[] s_sb = [0.0, 3.03380607434824582924e+01, 3.25792512996573918826e+02, 1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03, 4.74528541206955367215e+02, -2.24409524465858183362e+01];

    /// <summary>erf(x), bit-identical to glibc's (its Shimizu evaluation order).</summary>
    public static double Apply(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int hx = (int)(bits >> 32);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x7ff00000) return (double)(1 - (((int)((uint)hx >> 31)) << 1)) + 1.0 / x;
        if (ix < 0x3feb0000)
        {
            if (ix < 0x3e300000)
            {
                if (ix < 0x00800000) return 0.0625 * (16.0 * x + (16.0 * Efx) * x);
                return x + Efx * x;
            }
            double z = x * x;
            double r1 = s_pp[0] + z * s_pp[1], z2 = z * z;
            double r2 = s_pp[2] + z * s_pp[3], z4 = z2 * z2;
            double s1 = 1.0 + z * s_qq[1];
            double s2 = s_qq[2] + z * s_qq[3];
            double s3 = s_qq[4] + z * s_qq[5];
            double r = r1 + z2 * r2 + z4 * s_pp[4];
            double s = s1 + z2 * s2 + z4 * s3;
            double y = r / s;
            return x + x * y;
        }
        if (ix < 0x3ff40000)
        {
            double s = Math.Abs(x) - 1.0;
            double p1 = s_pa[0] + s * s_pa[1], s2 = s * s;
            double q1 = 1.0 + s * s_qa[1], s4 = s2 * s2;
            double p2 = s_pa[2] + s * s_pa[3], s6 = s4 * s2;
            double q2 = s_qa[2] + s * s_qa[3];
            double p3 = s_pa[4] + s * s_pa[5];
            double q3 = s_qa[4] + s * s_qa[5];
            double p = p1 + s2 * p2 + s4 * p3 + s6 * s_pa[6];
            double q = q1 + s2 * q2 + s4 * q3 + s6 * s_qa[6];
            return hx >= 0 ? Erx + p / q : -Erx - p / q;
        }
        if (ix >= 0x40180000) return hx >= 0 ? 1.0 - 1e-300 : 1e-300 - 1.0;
        x = Math.Abs(x);
        double ss = 1.0 / (x * x);
        double R, S;
        if (ix < 0x4006DB6E)
        {
            double r1 = s_ra[0] + ss * s_ra[1], s2 = ss * ss;
            double t1 = 1.0 + ss * s_sa[1], s4 = s2 * s2;
            double r2 = s_ra[2] + ss * s_ra[3], s6 = s4 * s2;
            double t2 = s_sa[2] + ss * s_sa[3], s8 = s4 * s4;
            double r3 = s_ra[4] + ss * s_ra[5];
            double t3 = s_sa[4] + ss * s_sa[5];
            double r4 = s_ra[6] + ss * s_ra[7];
            double t4 = s_sa[6] + ss * s_sa[7];
            R = r1 + s2 * r2 + s4 * r3 + s6 * r4;
            S = t1 + s2 * t2 + s4 * t3 + s6 * t4 + s8 * s_sa[8];
        }
        else
        {
            double r1 = s_rb[0] + ss * s_rb[1], s2 = ss * ss;
            double t1 = 1.0 + ss * s_sb[1], s4 = s2 * s2;
            double r2 = s_rb[2] + ss * s_rb[3], s6 = s4 * s2;
            double t2 = s_sb[2] + ss * s_sb[3];
            double r3 = s_rb[4] + ss * s_rb[5];
            double t3 = s_sb[4] + ss * s_sb[5];
            double t4 = s_sb[6] + ss * s_sb[7];
            R = r1 + s2 * r2 + s4 * r3 + s6 * s_rb[6];
            S = t1 + s2 * t2 + s4 * t3 + s6 * t4;
        }
        double zz = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(x) & unchecked((long)0xffffffff00000000UL));
        double rr = Math.Exp(-zz * zz - 0.5625) * Math.Exp((zz - x) * (zz + x) + R / S);
        return hx >= 0 ? 1.0 - rr / x : rr / x - 1.0;
    }
}

/// <summary>erf as an elementwise operator.</summary>
internal struct ErfOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => typeof(T) == typeof(float)
        ? T.CreateTruncating(Erf.Apply(float.CreateTruncating(x)))
        : T.CreateTruncating(Erf.Apply(double.CreateTruncating(x)));
}
