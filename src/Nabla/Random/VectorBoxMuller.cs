using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Nabla;

/// <summary>
/// PyTorch's AVX2 <c>normal_fill_16_AVX2</c> (float32 <c>normal_</c> on 16 or more contiguous elements), reproduced bit for bit: the
/// Cephes-derived vector log and sincos of <c>avx_mathfun.h</c> with every multiply-add fused exactly where GCC fused them in the
/// reference build (read from its machine code). <see cref="Vector256.FusedMultiplyAdd(Vector256{float}, Vector256{float}, Vector256{float})"/>
/// is one FMA instruction on AVX2 CPUs and an exact software fusion elsewhere, so every CPU gets the same bits.
/// </summary>
internal static class VectorBoxMuller
{
    private const int Lanes = 8;

    /// <summary>One block of 16 uniforms in place: lane j pairs <c>1 - d[j]</c> (log) with <c>d[j + 8]</c> (angle).</summary>
    public static void Transform16(Span<float> d, float mean, float std)
    {
        var u1 = Vector256<float>.One - Vector256.Create<float>(d[..Lanes]);
        var u2 = Vector256.Create<float>(d.Slice(Lanes, Lanes));
        var radius = Vector256.Sqrt(Vector256.Create(-2f) * Log(u1));
        var theta = Vector256.Create((float)(2.0 * Math.PI)) * u2;
        SinCos(theta, out var sin, out var cos);
        var m = Vector256.Create(mean);
        var s = Vector256.Create(std);
        Vector256.FusedMultiplyAdd(radius * cos, s, m).CopyTo(d);
        Vector256.FusedMultiplyAdd(radius * sin, s, m).CopyTo(d[Lanes..]);
    }

    // log256_ps: split into exponent and mantissa in [sqrt(1/2), sqrt(2)), then a degree-9 Cephes polynomial.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Log(Vector256<float> x)
    {
        var one = Vector256<float>.One;
        var invalid = Vector256.LessThanOrEqual(x, Vector256<float>.Zero);
        x = Vector256.Max(x, Vector256.Create(BitConverter.Int32BitsToSingle(0x00800000)));
        var exponent = Vector256.ShiftRightLogical(x.AsInt32(), 23) - Vector256.Create(0x7f);
        x = (x.AsInt32() & Vector256.Create(~0x7f800000)).AsSingle() | Vector256.Create(0.5f);
        var e = Vector256.ConvertToSingle(exponent) + one;
        var small = Vector256.LessThan(x, Vector256.Create(0.707106781186547524f));
        var tmp = x & small;
        x -= one;
        e -= one & small;
        x += tmp;
        var y = Vector256.Create(7.0376836292E-2f);
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(-1.1514610310E-1f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(1.1676998740E-1f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(-1.2420140846E-1f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(1.4249322787E-1f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(-1.6668057665E-1f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(2.0000714765E-1f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(-2.4999993993E-1f));
        y = Vector256.FusedMultiplyAdd(y, x, Vector256.Create(3.3333331174E-1f));
        var z = x * x;
        y *= x;
        y = Vector256.FusedMultiplyAdd(y, z, e * Vector256.Create(-2.12194440e-4f));
        y = Vector256.FusedMultiplyAdd(-z, Vector256.Create(0.5f), y);
        x += y;
        x = Vector256.FusedMultiplyAdd(e, Vector256.Create(0.693359375f), x);
        return x | invalid;
    }

    // sincos256_ps: reduce by multiples of pi/4 in three fused steps, then the Cephes sine and cosine polynomials.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void SinCos(Vector256<float> x, out Vector256<float> sin, out Vector256<float> cos)
    {
        var signMask = Vector256.Create(int.MinValue).AsSingle();
        var signSin = x & signMask;
        x = Vector256.AndNot(x, signMask);
        var j = Vector256.ConvertToInt32(x * Vector256.Create(1.27323954473516f));
        j = (j + Vector256<int>.One) & Vector256.Create(~1);
        var y = Vector256.ConvertToSingle(j);
        var swapSin = Vector256.ShiftLeft(j & Vector256.Create(4), 29).AsSingle();
        var polyMask = Vector256.Equals(j & Vector256.Create(2), Vector256<int>.Zero).AsSingle();
        var signCos = Vector256.ShiftLeft(Vector256.AndNot(Vector256.Create(4), j - Vector256.Create(2)), 29).AsSingle();
        x = Vector256.FusedMultiplyAdd(y, Vector256.Create(-0.78515625f), x);
        x = Vector256.FusedMultiplyAdd(y, Vector256.Create(-2.4187564849853515625e-4f), x);
        x = Vector256.FusedMultiplyAdd(y, Vector256.Create(-3.77489497744594108e-8f), x);
        signSin ^= swapSin;
        var z = x * x;
        var yc = Vector256.FusedMultiplyAdd(Vector256.Create(2.443315711809948E-005f), z, Vector256.Create(-1.388731625493765E-003f));
        yc = Vector256.FusedMultiplyAdd(yc, z, Vector256.Create(4.166664568298827E-002f));
        var half = z * Vector256.Create(0.5f);
        yc *= z;
        yc = Vector256.FusedMultiplyAdd(yc, z, -half);
        yc += Vector256<float>.One;
        var ys = Vector256.FusedMultiplyAdd(Vector256.Create(-1.9515295891E-4f), z, Vector256.Create(8.3321608736E-3f));
        ys = Vector256.FusedMultiplyAdd(ys, z, Vector256.Create(-1.6666654611E-1f));
        ys *= z;
        ys = Vector256.FusedMultiplyAdd(ys, x, x);
        var sinFromSin = ys & polyMask;
        var sinFromCos = Vector256.AndNot(yc, polyMask);
        sin = (sinFromCos + sinFromSin) ^ signSin;
        cos = ((ys - sinFromSin) + (yc - sinFromCos)) ^ signCos;
    }
}
