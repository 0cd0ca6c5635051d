/*
 * Ported from the C library's log1p (glibc sysdeps/ieee754/dbl-64/s_log1p.c and flt-32/s_log1pf.c,
 * which PyTorch's portable CPU kernels call), operation for operation so results are bit-identical.
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

/// <summary>log(1 + x) accurate near 0, as the C library computes it (.NET's LogP1 is log(x + 1)).</summary>
internal static class Log1p
{
    private const float Ln2HiF = 6.9313812256e-01f, Ln2LoF = 9.0580006145e-06f;
    private const float Lp1F = 6.6666668653e-01f, Lp2F = 4.0000000596e-01f, Lp3F = 2.8571429849e-01f, Lp4F = 2.2222198546e-01f;
    private const float Lp5F = 1.8183572590e-01f, Lp6F = 1.5313838422e-01f, Lp7F = 1.4798198640e-01f;

    /// <summary>log1pf(x), bit-identical to glibc's.</summary>
    public static float Apply(float x)
    {
        float f = 0, c = 0;
        int hx = BitConverter.SingleToInt32Bits(x);
        int ax = hx & 0x7fffffff;
        int k = 1, hu = 0;
        if (hx < 0x3ed413d7)
        {
            if (ax >= 0x3f800000) return x == -1f ? float.NegativeInfinity : float.NaN;
            if (ax < 0x31000000) return ax < 0x24800000 ? x : x - x * x * 0.5f;
            if (hx > 0 || hx <= unchecked((int)0xbe95f61f)) { k = 0; f = x; hu = 1; }
        }
        if (hx >= 0x7f800000) return x + x;
        if (k != 0)
        {
            float u;
            if (hx < 0x5a000000)
            {
                u = 1f + x;
                hu = BitConverter.SingleToInt32Bits(u);
                k = (hu >> 23) - 127;
                c = k > 0 ? 1f - (u - x) : x - (u - 1f);
                c /= u;
            }
            else
            {
                u = x;
                hu = BitConverter.SingleToInt32Bits(u);
                k = (hu >> 23) - 127;
                c = 0;
            }
            hu &= 0x007fffff;
            if (hu < 0x3504f7) u = BitConverter.Int32BitsToSingle(hu | 0x3f800000);
            else
            {
                k += 1;
                u = BitConverter.Int32BitsToSingle(hu | 0x3f000000);
                hu = (0x00800000 - hu) >> 2;
            }
            f = u - 1f;
        }
        float hfsq = 0.5f * f * f;
        if (hu == 0)
        {
            if (f == 0f)
            {
                if (k == 0) return 0f;
                c += k * Ln2LoF;
                return k * Ln2HiF + c;
            }
            float r0 = hfsq * (1f - 0.66666666666666666f * f);
            return k == 0 ? f - r0 : k * Ln2HiF - ((r0 - (k * Ln2LoF + c)) - f);
        }
        float s = f / (2f + f);
        float z = s * s;
        float R = z * (Lp1F + z * (Lp2F + z * (Lp3F + z * (Lp4F + z * (Lp5F + z * (Lp6F + z * Lp7F))))));
        return k == 0 ? f - (hfsq - s * (hfsq + R)) : k * Ln2HiF - ((hfsq - (s * (hfsq + R) + (k * Ln2LoF + c))) - f);
    }

    private const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10;
    private const double Lp1 = 6.666666666666735130e-01, Lp2 = 3.999999999940941908e-01, Lp3 = 2.857142874366239149e-01, Lp4 = 2.222219843214978396e-01;
    private const double Lp5 = 1.818357216161805012e-01, Lp6 = 1.531383769920937332e-01, Lp7 = 1.479819860511658591e-01;

    /// <summary>log1p(x), bit-identical to glibc's.</summary>
    public static double Apply(double x)
    {
        double f = 0, c = 0;
        int hx = (int)(BitConverter.DoubleToInt64Bits(x) >> 32);
        int ax = hx & 0x7fffffff;
        int k = 1, hu = 0;
        if (hx < 0x3FDA827A)
        {
            if (ax >= 0x3ff00000) return x == -1.0 ? double.NegativeInfinity : double.NaN;
            if (ax < 0x3e200000) return ax < 0x3c900000 ? x : x - x * x * 0.5;
            if (hx > 0 || hx <= unchecked((int)0xbfd2bec3)) { k = 0; f = x; hu = 1; }
        }
        else if (hx >= 0x7ff00000) return x + x;
        if (k != 0)
        {
            double u;
            if (hx < 0x43400000)
            {
                u = 1.0 + x;
                hu = (int)(BitConverter.DoubleToInt64Bits(u) >> 32);
                k = (hu >> 20) - 1023;
                c = k > 0 ? 1.0 - (u - x) : x - (u - 1.0);
                c /= u;
            }
            else
            {
                u = x;
                hu = (int)(BitConverter.DoubleToInt64Bits(u) >> 32);
                k = (hu >> 20) - 1023;
                c = 0;
            }
            hu &= 0x000fffff;
            if (hu < 0x6a09e) u = WithHighWord(u, hu | 0x3ff00000);
            else
            {
                k += 1;
                u = WithHighWord(u, hu | 0x3fe00000);
                hu = (0x00100000 - hu) >> 2;
            }
            f = u - 1.0;
        }
        double hfsq = 0.5 * f * f;
        if (hu == 0)
        {
            if (f == 0.0)
            {
                if (k == 0) return 0.0;
                c += k * Ln2Lo;
                return k * Ln2Hi + c;
            }
            double r0 = hfsq * (1.0 - 0.66666666666666666 * f);
            return k == 0 ? f - r0 : k * Ln2Hi - ((r0 - (k * Ln2Lo + c)) - f);
        }
        double s = f / (2.0 + f);
        double z = s * s;
        double R1 = z * Lp1, z2 = z * z;
        double R2 = Lp2 + z * Lp3, z4 = z2 * z2;
        double R3 = Lp4 + z * Lp5, z6 = z4 * z2;
        double R4 = Lp6 + z * Lp7;
        double R = R1 + z2 * R2 + z4 * R3 + z6 * R4;
        return k == 0 ? f - (hfsq - s * (hfsq + R)) : k * Ln2Hi - ((hfsq - (s * (hfsq + R) + (k * Ln2Lo + c))) - f);
    }

    internal static double WithHighWord(double d, int high)
        => BitConverter.Int64BitsToDouble(((long)high << 32) | (BitConverter.DoubleToInt64Bits(d) & 0xffffffffL));
}

/// <summary>log1p as an elementwise operator.</summary>
internal struct Log1pOp<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => typeof(T) == typeof(float)
        ? T.CreateTruncating(Log1p.Apply(float.CreateTruncating(x)))
        : T.CreateTruncating(Log1p.Apply(double.CreateTruncating(x)));
}
