/*
 * Ported from the C library's expm1 (glibc sysdeps/ieee754/dbl-64/s_expm1.c and flt-32/s_expm1f.c,
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

/// <summary>exp(x) - 1 accurate near 0, as the C library computes it (.NET's ExpM1 is exp(x) - 1).</summary>
internal static class Expm1
{
    private const float Ln2HiF = 6.9313812256e-01f, Ln2LoF = 9.0580006145e-06f, InvLn2F = 1.4426950216e+00f, OThresholdF = 8.8721679688e+01f;
    private const float Q1F = -3.3333335072e-02f, Q2F = 1.5873016091e-03f, Q3F = -7.9365076090e-05f, Q4F = 4.0082177293e-06f, Q5F = -2.0109921195e-07f;

    /// <summary>expm1f(x), bit-identical to glibc's.</summary>
    public static float Apply(float x)
    {
        uint hx = BitConverter.SingleToUInt32Bits(x);
        bool negative = (hx & 0x80000000) != 0;
        hx &= 0x7fffffff;
        if (hx >= 0x4195b844)
        {
            if (hx >= 0x42b17218)
            {
                if (hx > 0x7f800000) return x + x;
                if (hx == 0x7f800000) return negative ? -1f : x;
                if (x > OThresholdF) return float.PositiveInfinity;
            }
            if (negative) return 1e-30f - 1f;
        }
        float c = 0, t;
        int k;
        if (hx > 0x3eb17218)
        {
            float hi, lo;
            if (hx < 0x3F851592)
            {
                if (!negative) { hi = x - Ln2HiF; lo = Ln2LoF; k = 1; }
                else { hi = x + Ln2HiF; lo = -Ln2LoF; k = -1; }
            }
            else
            {
                k = (int)(InvLn2F * x + (!negative ? 0.5f : -0.5f));
                t = k;
                hi = x - t * Ln2HiF;
                lo = t * Ln2LoF;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        }
        else if (hx < 0x33000000) return x;
        else k = 0;

        float hfx = 0.5f * x;
        float hxs = x * hfx;
        float r1 = 1f + hxs * (Q1F + hxs * (Q2F + hxs * (Q3F + hxs * (Q4F + hxs * Q5F))));
        t = 3f - r1 * hfx;
        float e = hxs * ((r1 - t) / (6f - x * t));
        if (k == 0) return x - (x * e - hxs);
        e = x * (e - c) - c;
        e -= hxs;
        if (k == -1) return 0.5f * (x - e) - 0.5f;
        if (k == 1) return x < -0.25f ? -2f * (e - (x + 0.5f)) : 1f + 2f * (x - e);
        float y;
        if (k <= -2 || k > 56)
        {
            y = 1f - (e - x);
            return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(y) + (k << 23)) - 1f;
        }
        if (k < 23)
        {
            t = BitConverter.Int32BitsToSingle(0x3f800000 - (0x1000000 >> k));
            y = t - (e - x);
        }
        else
        {
            t = BitConverter.Int32BitsToSingle((0x7f - k) << 23);
            y = x - (e + t);
            y += 1f;
        }
        return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(y) + (k << 23));
    }

    private const double Ln2Hi = 6.93147180369123816490e-01, Ln2Lo = 1.90821492927058770002e-10, InvLn2 = 1.44269504088896338700e+00;
    private const double OThreshold = 7.09782712893383973096e+02;
    private const double Q1 = -3.33333333333331316428e-02, Q2 = 1.58730158725481460165e-03, Q3 = -7.93650757867487942473e-05;
    private const double Q4 = 4.00821782732936239552e-06, Q5 = -2.01099218183624371326e-07;

    /// <summary>expm1(x), bit-identical to glibc's.</summary>
    public static double Apply(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        uint hx = (uint)(bits >> 32);
        bool negative = (hx & 0x80000000) != 0;
        hx &= 0x7fffffff;
        if (hx >= 0x4043687A)
        {
            if (hx >= 0x40862E42)
            {
                if (hx >= 0x7ff00000) return double.IsNaN(x) ? x + x : negative ? -1.0 : x;
                if (x > OThreshold) return double.PositiveInfinity;
            }
            if (negative) return 1e-300 - 1.0;
        }
        double c = 0, t;
        int k;
        if (hx > 0x3fd62e42)
        {
            double hi, lo;
            if (hx < 0x3FF0A2B2)
            {
                if (!negative) { hi = x - Ln2Hi; lo = Ln2Lo; k = 1; }
                else { hi = x + Ln2Hi; lo = -Ln2Lo; k = -1; }
            }
            else
            {
                k = (int)(InvLn2 * x + (!negative ? 0.5 : -0.5));
                t = k;
                hi = x - t * Ln2Hi;
                lo = t * Ln2Lo;
            }
            x = hi - lo;
            c = (hi - x) - lo;
        }
        else if (hx < 0x3c900000) return x;
        else k = 0;

        double hfx = 0.5 * x;
        double hxs = x * hfx;
        double R1 = 1.0 + hxs * Q1, h2 = hxs * hxs;
        double R2 = Q2 + hxs * Q3, h4 = h2 * h2;
        double R3 = Q4 + hxs * Q5;
        double r1 = R1 + h2 * R2 + h4 * R3;
        t = 3.0 - r1 * hfx;
        double e = hxs * ((r1 - t) / (6.0 - x * t));
        if (k == 0) return x - (x * e - hxs);
        e = x * (e - c) - c;
        e -= hxs;
        if (k == -1) return 0.5 * (x - e) - 0.5;
        if (k == 1) return x < -0.25 ? -2.0 * (e - (x + 0.5)) : 1.0 + 2.0 * (x - e);
        double y;
        if (k <= -2 || k > 56)
        {
            y = 1.0 - (e - x);
            return AddExponent(y, k) - 1.0;
        }
        if (k < 20)
        {
            t = Log1p.WithHighWord(1.0, 0x3ff00000 - (0x200000 >> k));
            y = t - (e - x);
        }
        else
        {
            t = Log1p.WithHighWord(1.0, (0x3ff - k) << 20);
            y = x - (e + t);
            y += 1.0;
        }
        return AddExponent(y, k);
    }

    private static double AddExponent(double y, int k)
    {
        int high = (int)(BitConverter.DoubleToInt64Bits(y) >> 32);
        return Log1p.WithHighWord(y, high + (k << 20));
    }
}

/// <summary>expm1 as an elementwise operator.</summary>
internal struct Expm1Op<T> : IUnaryOp<T, T> where T : IFloatingPointIeee754<T>
{
    public static T Apply(T x) => typeof(T) == typeof(float)
        ? T.CreateTruncating(Expm1.Apply(float.CreateTruncating(x)))
        : T.CreateTruncating(Expm1.Apply(double.CreateTruncating(x)));
}
