namespace Nabla;

public static partial class Torch
{
    /// <summary>
    /// <paramref name="numSamples"/> category indices (int64) per row of <paramref name="probs"/> (1-D, or 2-D with one distribution
    /// per row; weights need not sum to one) (<c>torch.multinomial(input, num_samples, replacement=False, generator=None)</c>).
    /// The draws equal PyTorch 1.13's CPU draws after the same seed: without replacement by the exponential trick
    /// (<c>q = exponential_()</c> on a tensor shaped like the weights, then the indices of the largest <c>probs / q</c>: argmax for one
    /// sample, topk otherwise); with replacement by a search of the normalised cumulative distribution with one double uniform per
    /// sample. PyTorch 2.x sends a single sample with replacement through the exponential trick too, so
    /// <c>Multinomial(p, 1, replacement: true)</c> draws differently there; other cases draw as here. When more samples are asked
    /// without replacement than there are categories of nonzero probability, the zero-probability categories (all tied at key 0)
    /// fill the last places in the order PyTorch's CPU topk leaves ties (libstdc++'s unstable selection and sort), reproduced here.
    /// </summary>
    public static Tensor Multinomial(Tensor probs, long numSamples, bool replacement = false, Generator? generator = null)
        => probs.Multinomial(numSamples, replacement, generator);

    /// <summary>
    /// 1 with probability <c>probs[i]</c>, else 0, in the dtype of <paramref name="probs"/> (<c>torch.bernoulli(input, generator=None)</c>):
    /// element by element, a float32 uniform below a float32 probability, a double uniform below a float64 one, as PyTorch's CPU kernel.
    /// </summary>
    public static Tensor Bernoulli(Tensor probs, Generator? generator = null) => probs.Bernoulli(generator);

    /// <summary>
    /// 1 with probability <paramref name="p"/> for every element, shaped and typed like <paramref name="input"/>
    /// (<c>torch.bernoulli(input, p)</c>): one double uniform per element, as PyTorch's CPU kernel without MKL.
    /// </summary>
    public static Tensor Bernoulli(Tensor input, double p, Generator? generator = null) => Nabla.Tensor.Empty(input._shape, input.DType).Bernoulli_(p, generator);
}
