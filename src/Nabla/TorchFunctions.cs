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

    /// <summary>Hyperbolic tangent (<c>torch.tanh</c>).</summary>
    public static Tensor Tanh(Tensor input) => input.Tanh();

    /// <summary>Logistic sigmoid (<c>torch.sigmoid</c>).</summary>
    public static Tensor Sigmoid(Tensor input) => input.Sigmoid();

    /// <summary>max(x, 0) (<c>torch.relu</c>).</summary>
    public static Tensor Relu(Tensor input) => input.Relu();

    /// <summary>Limits values to [min, max] (<c>torch.clamp</c>).</summary>
    public static Tensor Clamp(Tensor input, double? min = null, double? max = null) => input.Clamp(min, max);

    /// <summary>Elementwise maximum (<c>torch.maximum</c>).</summary>
    public static Tensor Maximum(Tensor input, Tensor other) => input.Maximum(other);

    /// <summary>Elementwise minimum (<c>torch.minimum</c>).</summary>
    public static Tensor Minimum(Tensor input, Tensor other) => input.Minimum(other);

    /// <summary>Picks from x where condition holds, else from y (<c>torch.where</c>).</summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y) => Nabla.Tensor.Where(condition, x, y);

    /// <summary>Sum of all elements, or over <paramref name="dim"/> (<c>torch.sum</c>).</summary>
    public static Tensor Sum(Tensor input, int[]? dim = null, bool keepdim = false) => input.Sum(dim, keepdim);

    /// <summary>Mean of all elements, or over <paramref name="dim"/> (<c>torch.mean</c>).</summary>
    public static Tensor Mean(Tensor input, int[]? dim = null, bool keepdim = false) => input.Mean(dim, keepdim);

    /// <summary>Largest element (<c>torch.max(input)</c>).</summary>
    public static Tensor Max(Tensor input) => input.Max();

    /// <summary>Smallest element (<c>torch.min(input)</c>).</summary>
    public static Tensor Min(Tensor input) => input.Min();

    /// <summary>Index of the largest element of the flattened input (<c>torch.argmax</c>).</summary>
    public static Tensor Argmax(Tensor input) => input.Argmax();
}
