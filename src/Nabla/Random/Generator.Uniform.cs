using System.Numerics;

namespace Nabla;

public sealed partial class Generator
{
    /// <summary>
    /// <c>uniform_(from, to)</c> on float32 storage: bounds rounded to float32, then <c>u * (to - from) + from</c>
    /// in float32, rounded after the multiply and after the add on the portable capability, fused on AVX2/AVX-512.
    /// </summary>
    internal void FillUniform(Span<float> dst, double from, double to) => FillUniformCore(dst, from, to);

    /// <summary><c>uniform_(from, to)</c> on float64 storage: <c>u * (to - from) + from</c> with 53-bit uniforms.</summary>
    internal void FillUniform(Span<double> dst, double from, double to) => FillUniformCore(dst, from, to);

    private void FillUniformCore<T>(Span<T> dst, double from, double to) where T : IFloatingPointIeee754<T>
    {
        using var held = _lock.EnterScope();
        T a = T.CreateTruncating(from), b = T.CreateTruncating(to);
        T width = b - a;
        bool fused = CpuCapabilityState.Vectorised;
        // u * width + from: the vectorised builds fuse it (one rounding), the portable build rounds the product first.
        if (fused)
        {
            for (int i = 0; i < dst.Length; i++)
                dst[i] = T.FusedMultiplyAdd(NextUniform<T>(), width, a);
        }
        else
        {
            for (int i = 0; i < dst.Length; i++)
                dst[i] = NextUniform<T>() * width + a;
        }
    }
}
