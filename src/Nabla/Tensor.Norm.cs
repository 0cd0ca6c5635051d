using Nabla.Autograd;
using Nabla.Tracing;

namespace Nabla;

// Vector norms: ||x||_p over all elements or along one dim.
public partial class Tensor
{
    /// <summary>
    /// The p-norm over all elements, or along <paramref name="dim"/> (<c>tensor.norm(p, dim, keepdim)</c>): (Σ|x|^p)^(1/p).
    /// The 2-norm's gradient is x / ||x||, zero where the norm is zero (as PyTorch's norm_backward).
    /// </summary>
    public Tensor Norm(double p = 2, int? dim = null, bool keepdim = false)
    {
        if (!DType.IsFloatingPoint()) throw new ArgumentException($"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {DType.TorchName().Replace("torch.", "")}");
        int[]? dims = dim is { } d ? [d] : null;
        if (p != 2 || Trace.Active)
        {
            // Other orders, and any order while tracing for export, are composites of differentiable, traceable ops.
            if (p == 2) return (dims is null ? (this * this).Sum() : (this * this).Sum(dims, keepdim)).Sqrt();
            var powered = Abs().Pow(p);
            return (dims is null ? powered.Sum() : powered.Sum(dims, keepdim)).Pow(1 / p);
        }
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            r = dims is null ? (this * this).Sum().Sqrt() : (this * this).Sum(dims, keepdim).Sqrt();
        var x = this;
        if (Graph.Needs(x))
            Graph.Record(dims is null ? "NormBackward0" : "NormBackward1", r, [x], g =>
            {
                var (gk, rk) = dims is null || keepdim ? (g, r) : (g.Unsqueeze(dims[0]), r.Unsqueeze(dims[0]));
                return [x * (gk / rk).MaskedFill(rk.Eq(0.0), 0.0)];
            }, x, r);
        return r;
    }
}
