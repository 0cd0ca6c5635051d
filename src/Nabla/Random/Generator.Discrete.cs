using System.Numerics;

namespace Nabla;

public sealed partial class Generator
{
    /// <summary>
    /// <c>random_(low, high)</c> / <c>randint</c>: <c>random() % range + low</c>, or <c>random64()</c> when the
    /// range is 2^32 or more, then cast to the element type (float and double round the integer to nearest).
    /// </summary>
    internal void FillRandint<T>(Span<T> dst, long low, long high) where T : INumberBase<T>
    {
        if (low >= high)
            throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        using var held = _lock.EnterScope();
        ulong range = (ulong)high - (ulong)low;
        bool wide = range >= 1UL << 32;
        for (int i = 0; i < dst.Length; i++)
        {
            ulong r = wide ? NextWord64() : NextWord();
            dst[i] = T.CreateTruncating((long)(r % range + (ulong)low));
        }
    }

    /// <summary>
    /// <c>randperm(n)</c> with n = <paramref name="dst"/>.Length, PyTorch 1.13's CPU shuffle: start from 0..n-1,
    /// then for each i swap element i with element i + <c>random() % (n - i)</c>.
    /// </summary>
    internal void Randperm<T>(Span<T> dst) where T : INumberBase<T>
    {
        using var held = _lock.EnterScope();
        int n = dst.Length;
        for (int i = 0; i < n; i++)
            dst[i] = T.CreateTruncating(i);
        for (int i = 0; i < n - 1; i++)
        {
            int z = (int)(NextWord() % (uint)(n - i));
            (dst[i], dst[i + z]) = (dst[i + z], dst[i]);
        }
    }

    /// <summary><c>bernoulli_(p)</c> with a float p: each element is 1 where <c>uniform64() &lt; p</c>, else 0.</summary>
    internal void FillBernoulli<T>(Span<T> dst, double p) where T : INumberBase<T>
    {
        using var held = _lock.EnterScope();
        for (int i = 0; i < dst.Length; i++)
            dst[i] = NextBernoulli(p) ? T.One : T.Zero;
    }
}
