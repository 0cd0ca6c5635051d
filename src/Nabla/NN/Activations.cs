namespace Nabla.NN;

// Activation modules: thin wrappers of Functional with PyTorch's class names and reprs.

/// <summary>max(x, 0) (<c>nn.ReLU(inplace=False)</c>).</summary>
public class ReLU(bool inplace = false) : Module
{
    /// <summary>Whether the input is overwritten.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Relu(input, Inplace);
    /// <inheritdoc/>
    public override string ExtraRepr() => Inplace ? "inplace=True" : "";
}

/// <summary>x for x &gt; 0, else negativeSlope * x (<c>nn.LeakyReLU(negative_slope=0.01, inplace=False)</c>).</summary>
public class LeakyReLU(double negativeSlope = 0.01, bool inplace = false) : Module
{
    /// <summary>Slope for negative inputs.</summary>
    public double NegativeSlope { get; } = negativeSlope;
    /// <summary>Whether the input is overwritten.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LeakyRelu(input, NegativeSlope, Inplace);
    /// <inheritdoc/>
    public override string ExtraRepr() => $"negative_slope={PythonFloatRepr.Format(NegativeSlope)}" + (Inplace ? ", inplace=True" : "");
}

/// <summary>x for x &gt; 0, else alpha (e^x - 1) (<c>nn.ELU(alpha=1.0, inplace=False)</c>).</summary>
public class ELU(double alpha = 1.0, bool inplace = false) : Module
{
    /// <summary>Scale of the negative part.</summary>
    public double Alpha { get; } = alpha;
    /// <summary>Whether the input is overwritten.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Elu(input, Alpha, Inplace);
    /// <inheritdoc/>
    public override string ExtraRepr() => $"alpha={PythonFloatRepr.Format(Alpha)}" + (Inplace ? ", inplace=True" : "");
}

/// <summary>Gaussian error linear unit (<c>nn.GELU(approximate='none')</c>; "tanh" for the approximation).</summary>
public class GELU : Module
{
    /// <summary>"none" (exact erf) or "tanh".</summary>
    public string Approximate { get; }
    /// <summary>Creates the module; <paramref name="approximate"/> is checked when called, as in PyTorch.</summary>
    public GELU(string approximate = "none") => Approximate = approximate;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Gelu(input, Approximate);
    /// <inheritdoc/>
    public override string ExtraRepr() => $"approximate='{Approximate}'";
}

/// <summary>x * sigmoid(x) (<c>nn.SiLU(inplace=False)</c>).</summary>
public class SiLU(bool inplace = false) : Module
{
    /// <summary>Whether the input is overwritten.</summary>
    public bool Inplace { get; } = inplace;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Silu(input, Inplace);
    /// <inheritdoc/>
    public override string ExtraRepr() => Inplace ? "inplace=True" : "";
}

/// <summary>1 / (1 + e^-x) (<c>nn.Sigmoid()</c>).</summary>
public class Sigmoid : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Sigmoid();
}

/// <summary>Hyperbolic tangent (<c>nn.Tanh()</c>).</summary>
public class Tanh : Module
{
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => input.Tanh();
}

/// <summary>
/// Softmax along <see cref="Dim"/> (<c>nn.Softmax(dim=None)</c>); with no dim, PyTorch's legacy choice:
/// dim 0 for 0-, 1- and 3-D inputs, else dim 1.
/// </summary>
public class Softmax(int? dim = null) : Module
{
    /// <summary>The dimension normalised over, or null for the legacy choice.</summary>
    public int? Dim { get; } = dim;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Softmax(input, Dim ?? LegacyDim(input));
    /// <inheritdoc/>
    public override string ExtraRepr() => $"dim={(Dim is { } d ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "None")}";
    internal static int LegacyDim(Tensor input) => input.Dim is 0 or 1 or 3 ? 0 : 1;
}

/// <summary>log(softmax(x)) along <see cref="Dim"/> (<c>nn.LogSoftmax(dim=None)</c>).</summary>
public class LogSoftmax(int? dim = null) : Module
{
    /// <summary>The dimension normalised over, or null for the legacy choice.</summary>
    public int? Dim { get; } = dim;
    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.LogSoftmax(input, Dim ?? Softmax.LegacyDim(input));
    /// <inheritdoc/>
    public override string ExtraRepr() => $"dim={(Dim is { } d ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : "None")}";
}
