using Nabla.Kernels;
using Nabla.Tracing;
using static Nabla.Torch;

namespace Nabla;

// More elementwise math: log1p, expm1, rsqrt, square, erf, and the rounding functions.
public partial class Tensor
{
    /// <summary>log(1 + x), accurate for small x (<c>torch.log1p</c>).</summary>
    public Tensor Log1p()
    {
        var x = this;
        return WithGrad("Log1PBackward0", FloatUnary<Log1pOp<float>, Log1pOp<double>>("log1p"), static (g, x) => g / (x + 1.0), x);
    }

    /// <summary>e^x - 1, accurate for small x (<c>torch.expm1</c>).</summary>
    public Tensor Expm1()
    {
        var r = FloatUnary<Expm1Op<float>, Expm1Op<double>>("expm1");
        return WithGrad("Expm1Backward0", r, static (g, r) => g * (r + 1.0), r);
    }

    /// <summary>1 / sqrt(x) (<c>torch.rsqrt</c>).</summary>
    public Tensor Rsqrt()
    {
        var r = FloatUnary<RsqrtOp<float>, RsqrtOp<double>>("rsqrt");
        return WithGrad("RsqrtBackward0", r, static (g, r) => -0.5 * g * r.Pow(3), r);
    }

    /// <summary>
    /// x * x (<c>torch.square</c>); as in PyTorch it is <c>pow(x, 2)</c>, so its node is <c>PowBackward0</c>, integer tensors stay
    /// integral and bool becomes int64.
    /// </summary>
    public Tensor Square() => DType.IsFloatingPoint() ? Pow(2.0) : (DType == DType.Bool ? To(DType.Int64) : this).Pow(2L);

    /// <summary>The Gauss error function, bit-identical to the C library's erf/erff (<c>torch.erf</c>).</summary>
    public Tensor Erf()
    {
        var x = this;
        return WithGrad("ErfBackward0", FloatUnary<ErfOp<float>, ErfOp<double>>("erf"), static (g, x) => 2.0 / Math.Sqrt(Math.PI) * (-x.Pow(2)).Exp() * g, x);
    }

    /// <summary>Largest integer not above x (<c>torch.floor</c>); integer tensors are copied; gradient 0.</summary>
    public Tensor Floor() => Rounding<FloorOp<float>, FloorOp<double>>("floor", "FloorBackward0");

    /// <summary>Smallest integer not below x (<c>torch.ceil</c>); integer tensors are copied; gradient 0.</summary>
    public Tensor Ceil() => Rounding<CeilOp<float>, CeilOp<double>>("ceil", "CeilBackward0");

    /// <summary>Nearest integer, halves to even as C's nearbyint (<c>torch.round</c>); integer tensors are copied; gradient 0.</summary>
    public Tensor Round() => Rounding<RoundOp<float>, RoundOp<double>>("round", "RoundBackward0");

    private Tensor Rounding<TF, TD>(string kind, string gradFn) where TF : IUnaryOp<float, float> where TD : IUnaryOp<double, double>
    {
        if (!DType.IsFloatingPoint())
        {
            if (DType == DType.Bool) throw new ArgumentException($"\"{kind}_vml_cpu\" not implemented for 'Bool'");
            var copy = CloneRaw();
            if (Trace.Active) Trace.Record(kind, [this], copy);
            return copy;
        }
        return WithGrad(gradFn, FloatUnary<TF, TD>(kind), static (g, _) => ZerosLike(g));
    }

    // A contiguous copy with its own storage and no graph.
    internal Tensor CloneRaw()
    {
        var r = EmptyLike(this, DType);
        CopyInto(r);
        return r;
    }
}
