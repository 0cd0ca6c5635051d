namespace Nabla.NN;

/// <summary>
/// Randomly zeroes elements with probability p in training and scales the rest by 1/(1 − p); the identity in evaluation
/// (<c>torch.nn.Dropout</c>). Masks equal PyTorch's portable CPU build's for the same seed (see <see cref="Functional.Dropout"/>).
/// </summary>
public class Dropout : Module
{
    /// <summary>Probability of zeroing an element.</summary>
    public double P { get; }

    /// <summary>Whether the input is modified in place.</summary>
    public bool Inplace { get; }

    /// <summary>Creates the layer (<c>nn.Dropout(p=0.5, inplace=False)</c>).</summary>
    public Dropout(double p = 0.5, bool inplace = false)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {PythonRepr.Float(p)}");
        P = p;
        Inplace = inplace;
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Dropout(input, P, Training, Inplace);

    /// <inheritdoc/>
    public override string ExtraRepr() => $"p={PythonRepr.Float(P)}, inplace={PythonRepr.Bool(Inplace)}";
}
