namespace Nabla;

// torch.x forms of the tensor methods in Ops/ (torch.where, torch.split, torch.topk, ...).
public static partial class Torch
{
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
}
