namespace Nabla;

// Sampling with a tensor of probabilities: multinomial and bernoulli (their generator paths are in Random/Generator.Sampling.cs).
public partial class Tensor
{
    /// <summary>Category indices drawn from this tensor's rows of weights (<c>tensor.multinomial(...)</c>); see <see cref="Torch.Multinomial"/>.</summary>
    public Tensor Multinomial(long numSamples, bool replacement = false, Generator? generator = null)
    {
        if (Dim is not (1 or 2)) throw new ArgumentException("prob_dist must be 1 or 2 dim");
        if (!DType.IsFloatingPoint()) throw new ArgumentException($"multinomial only supports floating-point dtypes for input, got: {DType.TorchName()}");
        if (numSamples <= 0) throw new ArgumentException("cannot sample n_sample <= 0 samples");
        long categories = _shape[^1];
        if (!replacement && numSamples > categories) throw new ArgumentException("cannot sample n_sample > prob_dist.size(-1) samples without replacement");
        if (categories > 1 << 24) throw new ArgumentException("number of categories cannot exceed 2^24");
        long[] shape = Dim == 1 ? [numSamples] : [_shape[0], numSamples];
        if (Shapes.Numel(shape) == 0) return Empty(shape, DType.Int64);
        var g = generator ?? Generator.Default;
        var probs = Detach();
        if (!replacement)
        {
            var flat = probs.To(DType.Float64).Contiguous().Span<double>();
            if (flat.ToArray().Any(v => !(v >= 0 && v < double.PositiveInfinity)))
                throw new ArgumentException("probability tensor contains either `inf`, `nan` or element < 0");
            for (int row = 0; row < flat.Length / categories; row++)
                if (probs.DType == DType.Float32 ? RowSum<float>(probs, row) == 0 : RowSum<double>(probs, row) == 0)
                    throw new ArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
            // Gumbel-max with exp applied: argmax(p / q) with q ~ Exp(1) samples without replacement.
            // empty_like keeps a transposed layout, and exponential_ fills memory in order: draw the same way.
            bool transposed = Dim == 2 && !IsContiguous() && Transpose(0, 1).IsContiguous();
            var q = transposed ? Empty([_shape[1], _shape[0]], DType) : Empty(_shape, DType);
            if (DType == DType.Float32) g.FillExponential(q.MutableSpan<float>(), 1);
            else g.FillExponential(q.MutableSpan<double>(), 1);
            if (transposed) q = q.T();
            var keys = probs / q;
            if (numSamples == 1) return keys.Argmax(-1, keepdim: true);
            var result = Empty(shape, DType.Int64);
            var rowKeys = keys.To(DType.Float64).Contiguous().Span<double>();
            int n = (int)categories, k = (int)numSamples;
            for (int row = 0; row < rowKeys.Length / n; row++)
                Kernels.LibstdcxxTopK.Select(rowKeys.Slice(row * n, n), k, result.MutableSpan<long>().Slice(row * k, k));
            return result;
        }
        var samples = Empty(shape, DType.Int64);
        var rows = probs.Contiguous();
        if (DType == DType.Float32) g.MultinomialWithReplacement(rows.Span<float>(), (int)categories, (int)numSamples, samples.MutableSpan<long>());
        else g.MultinomialWithReplacement(rows.Span<double>(), (int)categories, (int)numSamples, samples.MutableSpan<long>());
        return samples;
    }

    private static double RowSum<T>(Tensor probs, int row) where T : System.Numerics.IFloatingPointIeee754<T>
    {
        var values = probs.Contiguous().Span<T>();
        int n = (int)probs._shape[^1];
        T sum = T.Zero;
        foreach (var v in values.Slice(row * n, n)) sum += v;
        return double.CreateTruncating(sum);
    }

    /// <summary>
    /// 1 with probability given by each element, else 0, in this tensor's dtype (<c>tensor.bernoulli()</c>); see <see cref="Torch.Bernoulli(Tensor, Generator)"/>.
    /// </summary>
    public Tensor Bernoulli(Generator? generator = null) => Empty(_shape, DType).Bernoulli_(this, generator);

    /// <summary>
    /// Fills with 1 where a uniform draw falls below the matching element of <paramref name="p"/> (broadcast to this shape), else 0
    /// (<c>tensor.bernoulli_(p)</c> with a tensor): a float32 uniform for float32 probabilities, a double one for float64.
    /// </summary>
    public Tensor Bernoulli_(Tensor p, Generator? generator = null)
    {
        if (!p.DType.IsFloatingPoint()) throw new ArgumentException($"bernoulli_: expected a floating point probability tensor, got {p.DType.TorchName()}");
        return Overwrite("bernoulli_", "BernoulliBackward1", () =>
        {
            var probs = p.Detach().Expand(_shape).Contiguous();
            var g = generator ?? Generator.Default;
            var r = Empty(_shape, DType.Float64);
            if (p.DType == DType.Float32) g.FillBernoulli(probs.Span<float>(), r.MutableSpan<double>());
            else g.FillBernoulli(probs.Span<double>(), r.MutableSpan<double>());
            CopyRaw(r);
        });
    }
}
