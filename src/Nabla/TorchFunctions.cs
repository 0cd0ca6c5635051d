namespace Nabla;

// Function forms of the core tensor ops (torch.add(a, b, alpha=...), torch.exp(x), ...): each is the method form.
public static partial class Torch
{
    /// <summary>input + alpha * other, broadcasting (<c>torch.add(input, other, alpha=alpha)</c>).</summary>
    public static Tensor Add(Tensor input, Tensor other, double alpha = 1) => input.Add(other, alpha);

    /// <summary>input - alpha * other, broadcasting (<c>torch.sub(input, other, alpha=alpha)</c>).</summary>
    public static Tensor Sub(Tensor input, Tensor other, double alpha = 1) => input.Sub(other, alpha);

    /// <summary>Elementwise product, broadcasting (<c>torch.mul</c>).</summary>
    public static Tensor Mul(Tensor input, Tensor other) => input.Mul(other);

    /// <summary>True division, broadcasting (<c>torch.div</c>).</summary>
    public static Tensor Div(Tensor input, Tensor other) => input.Div(other);

    /// <summary>Matrix product with PyTorch's rules for 1-D, 2-D and batched operands (<c>torch.matmul</c>).</summary>
    public static Tensor Matmul(Tensor input, Tensor other) => input.Matmul(other);

    /// <summary>Elementwise power with a tensor exponent (<c>torch.pow(input, exponent)</c>).</summary>
    public static Tensor Pow(Tensor input, Tensor exponent) => input.Pow(exponent);

    /// <summary>Elementwise power with a scalar exponent (<c>torch.pow(input, 2.0)</c>).</summary>
    public static Tensor Pow(Tensor input, double exponent) => input.Pow(exponent);

    /// <summary>Elementwise power with an integer exponent (<c>torch.pow(input, 2)</c>): integer tensors stay integral.</summary>
    public static Tensor Pow(Tensor input, long exponent) => input.Pow(exponent);

    /// <summary>A scalar raised to a tensor of exponents (<c>torch.pow(2.0, exponent)</c>, <c>2 ** t</c>).</summary>
    public static Tensor Pow(double self, Tensor exponent) => Nabla.Tensor.WrapScalar(self).Pow(exponent);

    /// <summary>e^x (<c>torch.exp</c>).</summary>
    public static Tensor Exp(Tensor input) => input.Exp();

    /// <summary>Natural logarithm (<c>torch.log</c>).</summary>
    public static Tensor Log(Tensor input) => input.Log();

    /// <summary>Square root (<c>torch.sqrt</c>).</summary>
    public static Tensor Sqrt(Tensor input) => input.Sqrt();

    /// <summary>|x| (<c>torch.abs</c>).</summary>
    public static Tensor Abs(Tensor input) => input.Abs();

    /// <summary>-x (<c>torch.neg</c>).</summary>
    public static Tensor Neg(Tensor input) => input.Neg();

    /// <summary>Sine (<c>torch.sin</c>).</summary>
    public static Tensor Sin(Tensor input) => input.Sin();

    /// <summary>Cosine (<c>torch.cos</c>).</summary>
    public static Tensor Cos(Tensor input) => input.Cos();

    /// <summary>Limits values to [min, max] (<c>torch.clamp</c>).</summary>
    public static Tensor Clamp(Tensor input, double? min = null, double? max = null) => input.Clamp(min, max);

    /// <summary>Elementwise maximum (<c>torch.maximum</c>).</summary>
    public static Tensor Maximum(Tensor input, Tensor other) => input.Maximum(other);

    /// <summary>Elementwise minimum (<c>torch.minimum</c>).</summary>
    public static Tensor Minimum(Tensor input, Tensor other) => input.Minimum(other);

    /// <summary>Sum of all elements, or over <paramref name="dim"/> (<c>torch.sum</c>).</summary>
    public static Tensor Sum(Tensor input, int[]? dim = null, bool keepdim = false) => input.Sum(dim, keepdim);

    /// <summary>Mean of all elements, or over <paramref name="dim"/> (<c>torch.mean</c>).</summary>
    public static Tensor Mean(Tensor input, int[]? dim = null, bool keepdim = false) => input.Mean(dim, keepdim);

    /// <summary>Largest element (<c>torch.max(input)</c>).</summary>
    public static Tensor Max(Tensor input) => input.Max();

    /// <summary>Smallest element (<c>torch.min(input)</c>).</summary>
    public static Tensor Min(Tensor input) => input.Min();

    /// <summary>Elements of <paramref name="input"/> where <paramref name="condition"/> holds, else of <paramref name="other"/>, broadcasting (<c>torch.where</c>).</summary>
    public static Tensor Where(Tensor condition, Tensor input, Tensor other) => Nabla.Tensor.Where(condition, input, other);
    /// <summary><c>torch.where(condition, input, scalar)</c>.</summary>
    public static Tensor Where(Tensor condition, Tensor input, double other) => Nabla.Tensor.Where(condition, input, Nabla.Tensor.WrapScalar(other));
    /// <summary><c>torch.where(condition, scalar, other)</c>.</summary>
    public static Tensor Where(Tensor condition, double input, Tensor other) => Nabla.Tensor.Where(condition, Nabla.Tensor.WrapScalar(input), other);

    /// <summary><c>torch.split(tensor, split_size, dim)</c>.</summary>
    public static Tensor[] Split(Tensor tensor, long splitSize, int dim = 0) => tensor.Split(splitSize, dim);
    /// <summary><c>torch.split(tensor, [sizes], dim)</c>.</summary>
    public static Tensor[] Split(Tensor tensor, long[] splitSizes, int dim = 0) => tensor.Split(splitSizes, dim);
    /// <summary><c>torch.chunk(input, chunks, dim)</c>.</summary>
    public static Tensor[] Chunk(Tensor input, int chunks, int dim = 0) => input.Chunk(chunks, dim);

    /// <summary>The slices along <paramref name="dim"/> as views, that dimension removed (<c>torch.unbind</c>).</summary>
    public static Tensor[] Unbind(Tensor input, int dim = 0) => input.Unbind(dim);

    /// <summary><c>torch.gather(input, dim, index)</c>.</summary>
    public static Tensor Gather(Tensor input, int dim, Tensor index) => input.Gather(dim, index);
    /// <summary><c>torch.scatter(input, dim, index, src)</c>.</summary>
    public static Tensor Scatter(Tensor input, int dim, Tensor index, Tensor src) => input.Scatter(dim, index, src);
    /// <summary><c>torch.scatter_add(input, dim, index, src)</c>.</summary>
    public static Tensor ScatterAdd(Tensor input, int dim, Tensor index, Tensor src) => input.ScatterAdd(dim, index, src);
    /// <summary><c>torch.index_select(input, dim, index)</c>.</summary>
    public static Tensor IndexSelect(Tensor input, int dim, Tensor index) => input.IndexSelect(dim, index);
    /// <summary><c>torch.masked_fill(input, mask, value)</c>.</summary>
    public static Tensor MaskedFill(Tensor input, Tensor mask, double value) => input.MaskedFill(mask, value);

    /// <summary><c>torch.topk(input, k, dim, largest, sorted)</c>.</summary>
    public static (Tensor Values, Tensor Indices) TopK(Tensor input, long k, int dim = -1, bool largest = true, bool sorted = true) => input.TopK(k, dim, largest, sorted);
    /// <summary><c>torch.sort(input, dim, descending, stable)</c>.</summary>
    public static (Tensor Values, Tensor Indices) Sort(Tensor input, int dim = -1, bool descending = false, bool stable = false) => input.Sort(dim, descending, stable);
    /// <summary><c>torch.argmax(input, dim, keepdim)</c>; flattened when <paramref name="dim"/> is null.</summary>
    public static Tensor Argmax(Tensor input, int? dim = null, bool keepdim = false) => dim is { } d ? input.Argmax(d, keepdim) : input.Argmax();
    /// <summary><c>torch.argmin(input, dim, keepdim)</c>; flattened when <paramref name="dim"/> is null.</summary>
    public static Tensor Argmin(Tensor input, int? dim = null, bool keepdim = false) => dim is { } d ? input.Argmin(d, keepdim) : input.Argmin();

    /// <summary><c>torch.var(input, dim, unbiased, keepdim)</c> / <c>torch.var(input, dim, correction=c)</c>.</summary>
    public static Tensor Var(Tensor input, int[]? dim = null, bool unbiased = true, bool keepdim = false, double? correction = null) => input.Var(dim, unbiased, keepdim, correction);
    /// <summary><c>torch.std(input, dim, unbiased, keepdim)</c> / <c>torch.std(input, dim, correction=c)</c>.</summary>
    public static Tensor Std(Tensor input, int[]? dim = null, bool unbiased = true, bool keepdim = false, double? correction = null) => input.Std(dim, unbiased, keepdim, correction);
    /// <summary><c>torch.logsumexp(input, dim, keepdim)</c>.</summary>
    public static Tensor Logsumexp(Tensor input, int[] dim, bool keepdim = false) => input.Logsumexp(dim, keepdim);
    /// <summary><c>torch.cumsum(input, dim, dtype)</c>.</summary>
    public static Tensor Cumsum(Tensor input, int dim, DType? dtype = null) => input.Cumsum(dim, dtype);
    /// <summary><c>torch.tile(input, dims)</c>.</summary>
    public static Tensor Tile(Tensor input, params long[] dims) => input.Tile(dims);

    /// <summary><c>torch.log1p</c>.</summary>
    public static Tensor Log1p(Tensor input) => input.Log1p();
    /// <summary><c>torch.expm1</c>.</summary>
    public static Tensor Expm1(Tensor input) => input.Expm1();
    /// <summary><c>torch.rsqrt</c>.</summary>
    public static Tensor Rsqrt(Tensor input) => input.Rsqrt();
    /// <summary><c>torch.square</c>.</summary>
    public static Tensor Square(Tensor input) => input.Square();
    /// <summary><c>torch.erf</c>.</summary>
    public static Tensor Erf(Tensor input) => input.Erf();
    /// <summary><c>torch.floor</c>.</summary>
    public static Tensor Floor(Tensor input) => input.Floor();
    /// <summary><c>torch.ceil</c>.</summary>
    public static Tensor Ceil(Tensor input) => input.Ceil();
    /// <summary><c>torch.round</c>.</summary>
    public static Tensor Round(Tensor input) => input.Round();
    /// <summary><c>torch.xlogy</c>.</summary>
    public static Tensor Xlogy(Tensor input, Tensor other) => input.Xlogy(other);
    /// <summary><c>torch.sigmoid</c>.</summary>
    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();
    /// <summary><c>torch.tanh</c>.</summary>
    public static Tensor Tanh(Tensor input) => input.Tanh();
    /// <summary><c>torch.relu</c>.</summary>
    public static Tensor Relu(Tensor input) => input.Relu();

    /// <summary><c>torch.isclose(input, other, rtol, atol, equal_nan)</c>: a bool tensor, see <see cref="Tensor.Isclose"/>.</summary>
    public static Tensor Isclose(Tensor input, Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false) =>
        input.Isclose(other, rtol, atol, equalNan);
    /// <summary><c>torch.allclose(input, other, rtol, atol, equal_nan)</c>, see <see cref="Tensor.Allclose"/>.</summary>
    public static bool Allclose(Tensor input, Tensor other, double rtol = 1e-5, double atol = 1e-8, bool equalNan = false) =>
        input.Allclose(other, rtol, atol, equalNan);
    /// <summary><c>torch.equal(input, other)</c>: same shape and values, see <see cref="Tensor.Equal"/>.</summary>
    public static bool Equal(Tensor input, Tensor other) => input.Equal(other);
}
