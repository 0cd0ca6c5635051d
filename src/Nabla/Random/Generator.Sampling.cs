using System.Numerics;

namespace Nabla;

public sealed partial class Generator
{
    /// <summary>
    /// <c>exponential_(lambda)</c> as PyTorch 1.13's CPU kernel without MKL: element by element, <c>-1 / lambda * log(1 - u)</c> in
    /// double from a 53-bit uniform u, rounded to the element type.
    /// </summary>
    internal void FillExponential<T>(Span<T> dst, double lambda) where T : IFloatingPointIeee754<T>
    {
        using var held = _lock.EnterScope();
        for (int i = 0; i < dst.Length; i++)
            dst[i] = T.CreateTruncating(-1.0 / lambda * Math.Log(1.0 - NextUniformDouble()));
    }

    /// <summary>
    /// <c>bernoulli_(p)</c> with a probability tensor, element by element: a 24-bit float uniform below p for float32
    /// probabilities, a 53-bit double uniform for float64 ones (PyTorch's <c>bernoulli_tensor_cpu_kernel</c>).
    /// </summary>
    internal void FillBernoulli<TProb, T>(ReadOnlySpan<TProb> probs, Span<T> dst) where TProb : IFloatingPointIeee754<TProb> where T : INumberBase<T>
    {
        using var held = _lock.EnterScope();
        for (int i = 0; i < dst.Length; i++)
        {
            bool one = typeof(TProb) == typeof(float) ? NextBernoulli(float.CreateTruncating(probs[i])) : NextBernoulli(double.CreateTruncating(probs[i]));
            dst[i] = one ? T.One : T.Zero;
        }
    }

    /// <summary>
    /// PyTorch 1.13's <c>multinomial_with_replacement</c> CPU kernel for each row of <paramref name="probs"/> (rows of
    /// <paramref name="categories"/>): the running sum in the element type, each entry of the cumulative distribution divided by
    /// the total, the last set to 1; then per sample a 53-bit double uniform and a binary search for the first bucket whose
    /// cumulative probability is not below it.
    /// </summary>
    internal void MultinomialWithReplacement<T>(ReadOnlySpan<T> probs, int categories, int samples, Span<long> dst) where T : IFloatingPointIeee754<T>
    {
        using var held = _lock.EnterScope();
        var cumulative = new T[categories];
        int rows = probs.Length / categories;
        for (int row = 0; row < rows; row++)
        {
            var p = probs.Slice(row * categories, categories);
            T sum = T.Zero;
            for (int j = 0; j < categories; j++)
            {
                if (!(p[j] >= T.Zero)) throw new ArgumentException(T.IsNaN(p[j]) ? InfiniteEntry : "invalid multinomial distribution (encountering probability entry < 0)");
                if (!T.IsFinite(p[j])) throw new ArgumentException(InfiniteEntry);
                sum += p[j];
                cumulative[j] = sum;
            }
            if (!(sum > T.Zero)) throw new ArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
            for (int j = 0; j < categories; j++) cumulative[j] /= sum;
            cumulative[categories - 1] = T.One;
            for (int s = 0; s < samples; s++)
            {
                double u = NextUniformDouble();
                int left = 0, right = categories;
                while (right - left > 0)
                {
                    int mid = left + (right - left) / 2;
                    if (double.CreateTruncating(cumulative[mid]) < u) left = mid + 1;
                    else right = mid;
                }
                dst[row * samples + s] = left;
            }
        }
    }

    private const string InfiniteEntry = "invalid multinomial distribution (encountering probability entry = infinity or NaN)";
}
