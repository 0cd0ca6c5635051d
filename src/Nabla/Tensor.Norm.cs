using Nabla.Autograd;
using Nabla.Tracing;

namespace Nabla;

// Vector norms: ||x||_p over all elements or along one dim.
public partial class Tensor
{
    /// <summary>
    /// The p-norm over all elements, or along <paramref name="dim"/> (<c>tensor.norm(p, dim, keepdim)</c>): (Σ|x|^p)^(1/p).
    /// One graph node, <c>NormBackward1</c> as PyTorch 1.13 names it, with PyTorch's norm_backward: sign(x)·g for p = 1,
    /// x·|x|^(p−2)·g / ||x||^(p−1) otherwise, zero where the norm is zero.
    /// </summary>
    public Tensor Norm(double p = 2, int? dim = null, bool keepdim = false)
    {
        if (!DType.IsFloatingPoint()) throw new ArgumentException($"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {DType.TorchName().Replace("torch.", "")}");
        int[]? dims = dim is { } d ? [d] : null;
        if (Trace.Active) return NormValue(p, dims, keepdim); // composites of traceable ops for export
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            r = NormValue(p, dims, keepdim);
        var x = this;
        if (Graph.Needs(x))
            Graph.Record("NormBackward1", r, [x], g =>
            {
                var (gk, rk) = dims is null || keepdim ? (g, r) : (g.Unsqueeze(dims[0]), r.Unsqueeze(dims[0]));
                if (p == 1) return [x.Sign() * gk];
                var scaled = p == 2 ? x * (gk / rk) : x * x.Abs().Pow(p - 2) * (gk / rk.Pow(p - 1));
                return [scaled.MaskedFill(rk.Eq(0.0), 0.0)];
            }, x, r);
        return r;
    }

    private Tensor NormValue(double p, int[]? dims, bool keepdim)
    {
        if (p == 2) return (dims is null ? (this * this).Sum() : (this * this).Sum(dims, keepdim)).Sqrt();
        var powered = Abs().Pow(p);
        return (dims is null ? powered.Sum() : powered.Sum(dims, keepdim)).Pow(1 / p);
    }
}
