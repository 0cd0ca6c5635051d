using Nabla.Autograd;
using Nabla.Tracing;
using static Nabla.Torch;

namespace Nabla;

public partial class Tensor
{
    /// <summary>x * log(y), and 0 where x is 0 (unless y is NaN) (<c>torch.xlogy</c>); used by KL divergence.</summary>
    public Tensor Xlogy(Tensor other)
    {
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
        {
            var x = DType.IsFloatingPoint() || other.DType.IsFloatingPoint() ? this : CastRaw(DType.Float32);
            var product = x * other.Log();
            r = Where(Eq(0.0) & !other.Ne(other), ZerosLike(product), product);
        }
        var a = this;
        if (Graph.Needs(a, other))
            Graph.Record("XlogyBackward0", r, [a, other], g =>
            [
                a.RequiresGrad ? (g * other.Log()).MaskedFill(a.Eq(0.0) & (other <= 0.0), 0.0).SumTo(a) : null,
                other.RequiresGrad ? (g * a / other).SumTo(other) : null,
            ], a, other);
        if (Trace.Active) Trace.Record("xlogy", [a, other], r);
        return r;
    }
}
