using Nabla.Autograd;
using Nabla.Tracing;

namespace Nabla.NN;

public static partial class Functional
{
    /// <summary>
    /// Zeroes each element with probability <paramref name="p"/> and scales the rest by 1/(1 − p) in training (<c>F.dropout(input, p, training, inplace)</c>);
    /// the identity otherwise, and for p = 0. The mask is drawn as PyTorch's portable CPU path does it: a tensor shaped like the input is
    /// filled by <c>bernoulli_(1 − p)</c> (one double uniform per element, in order), divided by 1 − p, and multiplied in (grad_fn MulBackward0).
    /// Official x86 PyTorch wheels draw masks with MKL and give different masks for the same seed.
    /// </summary>
    public static Tensor Dropout(Tensor input, double p = 0.5, bool training = true, bool inplace = false, Generator? generator = null)
    {
        if (p < 0 || p > 1) throw new ArgumentException($"dropout probability has to be between 0 and 1, but got {PythonRepr.Float(p)}");
        if (p == 0 || !training || input.Numel() == 0) return input;
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"dropout: expected a floating point input, got {input.DType.TorchName()}");
        Tensor noise;
        using (GradMode.Set(false))
        using (Trace.Suspend())
        {
            noise = Tensor.Empty(input._shape, input.DType);
            if (p == 1) noise.Zero_();
            else noise.Bernoulli_(1 - p, generator).Div_(1 - p);
        }
        Tensor r;
        using (Trace.Suspend()) r = inplace ? input.Mul_(noise) : input * noise;
        if (Trace.Active) Trace.Record("dropout", [input], r, new Dictionary<string, object> { ["p"] = p, ["training"] = training });
        return r;
    }
}
