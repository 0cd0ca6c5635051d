using System.Numerics;

namespace Nabla;

public sealed partial class Generator
{
    /// <summary>
    /// <c>uniform_(from, to)</c> on float32 storage: bounds rounded to float32, then <c>u * (to - from) + from</c>
    /// in float32 with a rounding after the multiply and after the add.
    /// </summary>
    internal void FillUniform(Span<float> dst, double from, double to) => FillUniformCore(dst, from, to);

    /// <summary><c>uniform_(from, to)</c> on float64 storage: <c>u * (to - from) + from</c> with 53-bit uniforms.</summary>
    internal void FillUniform(Span<double> dst, double from, double to) => FillUniformCore(dst, from, to);

    private void FillUniformCore<T>(Span<T> dst, double from, double to) where T : IFloatingPointIeee754<T>
    {
        using var held = _lock.EnterScope();
        T a = T.CreateTruncating(from), b = T.CreateTruncating(to);
        T width = b - a;
        // Separate multiply and add: the portable build does not fuse them (official AVX2 wheels do).
        for (int i = 0; i < dst.Length; i++)
            dst[i] = NextUniform<T>() * width + a;
    }
}
