using static Nabla.Torch;
using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla;

// Elementwise math: integer inputs of float functions give float32, as in PyTorch.
public partial class Tensor
{
    private Tensor FloatUnary<TF, TD>(string kind) where TF : IUnaryOp<float, float> where TD : IUnaryOp<double, double>
    {
        if (DType.IsHalf()) return CastRaw(DType.Float32).FloatUnary<TF, TD>(kind).CastRaw(DType);
        var x = DType.IsFloatingPoint() ? this : CastRaw(DType.Float32);
        var r = EmptyLike(this, x.DType);
        if (x.DType == DType.Float32) Elementwise.Unary<float, float, TF>(x.Span<float>(), r.MutableSpan<float>());
        else Elementwise.Unary<double, double, TD>(x.Span<double>(), r.MutableSpan<double>());
        if (Trace.Active) Trace.Record(kind, [this], r);
        return r;
    }

    private Tensor NumericUnary<TF, TD, TL, TI>(string kind)
        where TF : IUnaryOp<float, float> where TD : IUnaryOp<double, double> where TL : IUnaryOp<long, long> where TI : IUnaryOp<int, int>
    {
        if (DType == DType.Bool) throw new ArgumentException(BoolRefusal(kind));
        if (ComputeType(DType) is { } compute) return CastRaw(compute).NumericUnary<TF, TD, TL, TI>(kind).CastRaw(DType);
        var r = EmptyLike(this, DType);
        switch (DType)
        {
            case DType.Float32: Elementwise.Unary<float, float, TF>(Span<float>(), r.MutableSpan<float>()); break;
            case DType.Float64: Elementwise.Unary<double, double, TD>(Span<double>(), r.MutableSpan<double>()); break;
            case DType.Int64: Elementwise.Unary<long, long, TL>(Span<long>(), r.MutableSpan<long>()); break;
            default: Elementwise.Unary<int, int, TI>(Span<int>(), r.MutableSpan<int>()); break;
        }
        if (Trace.Active) Trace.Record(kind, [this], r);
        return r;
    }

    // PyTorch's own words for refusing a bool tensor, op by op.
    private static string BoolRefusal(string kind) => kind switch
    {
        "neg" => "Negation, the `-` operator, on a bool tensor is not supported. If you are trying to invert a mask, use the `~` or `logical_not()` operator instead.",
        "relu" => "Boolean inputs not supported for relu",
        _ => $"\"{kind}_cpu\" not implemented for 'Bool'",
    };

    // The backward takes the gradient and the saved tensor as arguments: call sites pass static lambdas, so an op that
    // records no graph allocates no closure, delegate or array for it.
    private Tensor WithGrad(string name, Tensor r, Func<Tensor, Tensor, Tensor> backward, Tensor? saved = null)
    {
        if (Graph.Needs(this)) RecordUnary(name, r, backward, saved);
        return r;
    }

    private void RecordUnary(string name, Tensor r, Func<Tensor, Tensor, Tensor> backward, Tensor? saved) =>
        Graph.Record(name, r, [this], g => [backward(g, saved!)], saved is null ? [] : [saved]);

    /// <summary>-x (<c>torch.neg</c>).</summary>
    public Tensor Neg() => WithGrad("NegBackward0", NumericUnary<NegOp<float>, NegOp<double>, NegOp<long>, NegOp<int>>("neg"), static (g, _) => -g);

    /// <summary>|x| (<c>torch.abs</c>); gradient 0 at 0.</summary>
    public Tensor Abs()
    {
        var x = this;
        return WithGrad("AbsBackward0", NumericUnary<AbsOp<float>, AbsOp<double>, AbsOp<long>, AbsOp<int>>("abs"), static (g, x) => g * x.Sign(), x);
    }

    /// <summary>-1, 0 or 1 by sign (<c>torch.sign</c>); gradient 0.</summary>
    public Tensor Sign()
    {
        if (DType == DType.Bool) return Clone();  // sign of a bool is itself, as in PyTorch
        var r = NumericUnary<SignOp<float>, SignOp<double>, SignOp<long>, SignOp<int>>("sign");
        return WithGrad("SignBackward0", r, static (g, _) => ZerosLike(g));
    }

    /// <summary>e^x (<c>torch.exp</c>).</summary>
    public Tensor Exp()
    {
        var r = FloatUnary<ExpOp<float>, ExpOp<double>>("exp");
        return WithGrad("ExpBackward0", r, static (g, r) => g * r, r);
    }

    /// <summary>Natural logarithm (<c>torch.log</c>).</summary>
    public Tensor Log()
    {
        var x = this;
        return WithGrad("LogBackward0", FloatUnary<LogOp<float>, LogOp<double>>("log"), static (g, x) => g / x, x);
    }

    /// <summary>Square root (<c>torch.sqrt</c>).</summary>
    public Tensor Sqrt()
    {
        var r = FloatUnary<SqrtOp<float>, SqrtOp<double>>("sqrt");
        return WithGrad("SqrtBackward0", r, static (g, r) => g / (2.0 * r), r);
    }

    /// <summary>Sine (<c>torch.sin</c>).</summary>
    public Tensor Sin()
    {
        var x = this;
        return WithGrad("SinBackward0", FloatUnary<SinOp<float>, SinOp<double>>("sin"), static (g, x) => g * x.Cos(), x);
    }

    /// <summary>Cosine (<c>torch.cos</c>).</summary>
    public Tensor Cos()
    {
        var x = this;
        return WithGrad("CosBackward0", FloatUnary<CosOp<float>, CosOp<double>>("cos"), static (g, x) => -g * x.Sin(), x);
    }

    /// <summary>Hyperbolic tangent (<c>torch.tanh</c>).</summary>
    public Tensor Tanh()
    {
        var r = FloatUnary<TanhOp<float>, TanhOp<double>>("tanh");
        return WithGrad("TanhBackward0", r, static (g, r) => g * (1.0 - r * r), r);
    }

    /// <summary>1 / (1 + e^-x) (<c>torch.sigmoid</c>).</summary>
    public Tensor Sigmoid()
    {
        var r = FloatUnary<SigmoidOp<float>, SigmoidOp<double>>("sigmoid");
        return WithGrad("SigmoidBackward0", r, static (g, r) => g * r * (1.0 - r), r);
    }

    /// <summary>max(x, 0) (<c>torch.relu</c>); gradient 0 at 0.</summary>
    public Tensor Relu()
    {
        var r = NumericUnary<ReluOp<float>, ReluOp<double>, ReluOp<long>, ReluOp<int>>("relu");
        return WithGrad("ReluBackward0", r, static (g, r) => ReluBackward(r, g), r);
    }

    // threshold_backward: zero where the result is <= 0, the gradient elsewhere (NaN passes it); one fused pass
    // unless the gradient itself needs a graph (double backward) or must broadcast.
    private static Tensor ReluBackward(Tensor r, Tensor g)
    {
        if (Graph.Needs(g) || !g.DType.IsFloatingPoint() || !Shapes.SameShape(r._shape, g._shape))
            return Where(r <= 0.0, ZerosLike(g), g);
        return Arith<ReluGradOp<float>, ReluGradOp<double>, ReluGradOp<long>, ReluGradOp<int>>("threshold_backward", r, g, g.DType);
    }

    /// <summary>Limits values to [min, max] (<c>torch.clamp</c>); the gradient passes where min &lt;= x &lt;= max, bounds included.</summary>
    public Tensor Clamp(double? min = null, double? max = null)
    {
        if (min is null && max is null) throw new ArgumentException("torch.clamp: At least one of 'min' or 'max' must not be None");
        // A fractional bound promotes an integer tensor to float32, as PyTorch's clamp does with a Python float.
        static bool Fractional(double? b) => b is { } v && v != Math.Floor(v);
        var dtype = DType.IsFloatingPoint() || !(Fractional(min) || Fractional(max)) ? DType : DType.Float32;
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
        {
            r = CastRaw(dtype);
            if (min is { } lo) r = r.Maximum(dtype.IsFloatingPoint() ? WrapScalar(lo) : WrapScalar((long)lo).CastRaw(dtype)).CastRaw(dtype);
            if (max is { } hi) r = r.Minimum(dtype.IsFloatingPoint() ? WrapScalar(hi) : WrapScalar((long)hi).CastRaw(dtype)).CastRaw(dtype);
            if (ReferenceEquals(r, this)) r = Clone();
        }
        var x = this;
        if (Graph.Needs(x))
            Graph.Record("ClampBackward1", r, [x], g =>
            {
                var pass = OnesLike(x, DType.Bool);
                if (min is { } lo) pass &= x >= lo;
                if (max is { } hi) pass &= x <= hi;
                return [g * pass.To(g.DType)];
            }, x);
        if (Trace.Active)
        {
            var attrs = new Dictionary<string, object>();
            if (min is { } a) attrs["min"] = a;
            if (max is { } b) attrs["max"] = b;
            Trace.Record("clamp", [x], r, attrs);
        }
        return r;
    }
}
