using System.Numerics;
using System.Runtime.InteropServices;

namespace Nabla;

public sealed partial class Generator
{
    // PyTorch samples element by element below this size, and in Box–Muller blocks of this size at or above it.
    private const int NormalBlock = 16;

    /// <summary>
    /// PyTorch's scalar normal path (<c>at::normal_distribution&lt;double&gt;</c>): Box–Muller in double, returning
    /// the cached second value when there is one and caching the second value otherwise.
    /// </summary>
    internal double NextNormalScalar(double mean, double std)
    {
        lock (_lock)
            return NormalScalar(mean, std, CpuCapabilityState.Vectorised);
    }

    /// <summary>The scalar path for every element of <paramref name="dst"/> under one hold of the lock (a non-contiguous <c>normal_</c>).</summary>
    internal void FillNormalScalar(Span<double> dst, double mean, double std)
    {
        lock (_lock)
        {
            bool vectorised = CpuCapabilityState.Vectorised;
            for (int i = 0; i < dst.Length; i++)
                dst[i] = NormalScalar(mean, std, vectorised);
        }
    }

    private double NormalScalar(double mean, double std, bool fused)
    {
        if (_nextNormal is double cached)
        {
            _nextNormal = null;
            return Affine(cached, std, mean, fused);
        }
        double u1 = NextUniformDouble();
        double u2 = NextUniformDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        _nextNormal = r * Math.Sin(theta);
        return Affine(r * Math.Cos(theta), std, mean, fused);
    }

    // value * std + mean: one rounding in PyTorch's vectorised builds (the compiler fused it), two in the portable one.
    private static T Affine<T>(T value, T std, T mean, bool fused) where T : IFloatingPointIeee754<T>
        => fused ? T.FusedMultiplyAdd(value, std, mean) : value * std + mean;

    /// <summary><c>normal_(mean, std)</c> on contiguous float32 storage, with PyTorch's choice of path by size.</summary>
    internal void FillNormal(Span<float> dst, double mean, double std)
    {
        lock (_lock)
            FillNormalCore(dst, mean, std);
    }

    /// <summary><c>normal_(mean, std)</c> on contiguous float64 storage, with PyTorch's choice of path by size.</summary>
    internal void FillNormal(Span<double> dst, double mean, double std)
    {
        lock (_lock)
            FillNormalCore(dst, mean, std);
    }

    private void FillNormalCore<T>(Span<T> dst, double mean, double std) where T : struct, IFloatingPointIeee754<T>
    {
        bool vectorised = CpuCapabilityState.Vectorised;
        if (dst.Length < NormalBlock)
        {
            for (int i = 0; i < dst.Length; i++)
                dst[i] = T.CreateTruncating(NormalScalar(mean, std, vectorised));
            return;
        }
        // PyTorch's normal_fill: all uniforms first, then blocks of 16; a tail redraws and redoes the last 16.
        T m = T.CreateTruncating(mean), s = T.CreateTruncating(std);
        for (int i = 0; i < dst.Length; i++)
            dst[i] = NextUniform<T>();
        for (int i = 0; i + NormalBlock <= dst.Length; i += NormalBlock)
            Transform16(dst.Slice(i, NormalBlock), m, s, vectorised);
        if (dst.Length % NormalBlock != 0)
        {
            Span<T> last = dst[^NormalBlock..];
            for (int i = 0; i < NormalBlock; i++)
                last[i] = NextUniform<T>();
            Transform16(last, m, s, vectorised);
        }
    }

    // float32 on an AVX2/AVX-512 capability takes PyTorch's normal_fill_16_AVX2; everything else its normal_fill_16.
    private static void Transform16<T>(Span<T> d, T mean, T std, bool vectorised) where T : struct, IFloatingPointIeee754<T>
    {
        if (vectorised && typeof(T) == typeof(float))
            VectorBoxMuller.Transform16(MemoryMarshal.Cast<T, float>(d), float.CreateTruncating(mean), float.CreateTruncating(std));
        else
            BoxMuller16(d, mean, std, vectorised);
    }

    // normal_fill_16: pairs uniform j with uniform j + 8, in T's precision (float uses logf/cosf/sinf, double log/cos/sin).
    private static void BoxMuller16<T>(Span<T> d, T mean, T std, bool fused) where T : IFloatingPointIeee754<T>
    {
        T minusTwo = T.CreateTruncating(-2);
        for (int j = 0; j < NormalBlock / 2; j++)
        {
            T u1 = T.One - d[j];
            T u2 = d[j + NormalBlock / 2];
            T radius = T.Sqrt(minusTwo * T.Log(u1));
            T theta = T.CreateTruncating(2.0 * Math.PI * double.CreateTruncating(u2));
            d[j] = Affine(radius * T.Cos(theta), std, mean, fused);
            d[j + NormalBlock / 2] = Affine(radius * T.Sin(theta), std, mean, fused);
        }
    }
}
