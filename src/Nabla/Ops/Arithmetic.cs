using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla;

// + - * / pow maximum minimum: forward, backward and trace record side by side.
public partial class Tensor
{
    /// <summary>this + alpha * other, broadcasting (<c>torch.add</c>).</summary>
    public Tensor Add(Tensor other, double alpha = 1)
    {
        var dtype = ResultType(this, other);
        var b = alpha == 1 ? other : ScaleRaw(other, alpha, dtype);
        var r = Arith<AddOp<float>, AddOp<double>, AddOp<long>, AddOp<int>>("add", this, b, dtype);
        var a = this;
        if (Graph.Needs(a, other)) RecordAdd(a, other, alpha, r);
        if (Trace.Active)
        {
            if (alpha == 1) Trace.Record("add", [a, other], r);
            else Trace.Record("add", [a, other], r, new Dictionary<string, object> { ["alpha"] = alpha });
        }
        return r;
    }

    /// <summary>this - alpha * other, broadcasting (<c>torch.sub</c>).</summary>
    public Tensor Sub(Tensor other, double alpha = 1)
    {
        var r = SubRaw(this, other, alpha);
        var a = this;
        if (Graph.Needs(a, other)) RecordSub(a, other, alpha, r);
        if (Trace.Active)
        {
            if (alpha == 1) Trace.Record("sub", [a, other], r);
            else Trace.Record("sub", [a, other], r, new Dictionary<string, object> { ["alpha"] = alpha });
        }
        return r;
    }

    /// <summary>other - alpha * this (<c>torch.rsub</c>): what <c>2 - x</c> computes, recorded as PyTorch's RsubBackward.</summary>
    public Tensor Rsub(Tensor other, double alpha = 1)
    {
        var r = SubRaw(other, this, alpha);
        var a = this;
        if (Graph.Needs(a, other)) RecordRsub(a, other, alpha, r);
        if (Trace.Active)
        {
            if (alpha == 1) Trace.Record("sub", [other, a], r);
            else Trace.Record("sub", [other, a], r, new Dictionary<string, object> { ["alpha"] = alpha });
        }
        return r;
    }

    // The backward closures live in their own methods: a lambda capturing a parameter makes the compiler allocate its
    // closure object on entry to the method, on every call, with or without a graph to record.
    private static void RecordAdd(Tensor a, Tensor other, double alpha, Tensor r) =>
        Graph.Record("AddBackward0", r, [a, other], g => [g.SumTo(a), (alpha == 1 ? g : g * alpha).SumTo(other)]);

    private static void RecordSub(Tensor a, Tensor other, double alpha, Tensor r) =>
        Graph.Record("SubBackward0", r, [a, other], g => [g.SumTo(a), (g * -alpha).SumTo(other)]);

    private static void RecordRsub(Tensor a, Tensor other, double alpha, Tensor r) =>
        Graph.Record(other.IsWrappedNumber ? "RsubBackward1" : "RsubBackward0", r, [a, other], g => [(g * -alpha).SumTo(a), g.SumTo(other)]);

    private static void RecordMul(Tensor a, Tensor other, Tensor r) =>
        Graph.Record("MulBackward0", r, [a, other],
            g => [a.RequiresGrad ? (g * other).SumTo(a) : null, other.RequiresGrad ? (g * a).SumTo(other) : null], a, other);

    private static void RecordDiv(Tensor a, Tensor other, Tensor r) =>
        Graph.Record("DivBackward0", r, [a, other],
            g => [a.RequiresGrad ? (g / other).SumTo(a) : null, other.RequiresGrad ? (-g * (a / other / other)).SumTo(other) : null], a, other);

    private static Tensor SubRaw(Tensor a, Tensor other, double alpha)
    {
        var dtype = ResultType(a, other);
        var b = alpha == 1 ? other : ScaleRaw(other, alpha, dtype);
        return Arith<SubOp<float>, SubOp<double>, SubOp<long>, SubOp<int>>("sub", a, b, dtype);
    }

    private static Tensor ScaleRaw(Tensor t, double alpha, DType dtype)
    {
        var s = dtype.IsFloatingPoint() ? WrapScalar(alpha) : WrapScalar((long)alpha);
        return Arith<MulOp<float>, MulOp<double>, MulOp<long>, MulOp<int>>("mul", t, s, dtype);
    }

    /// <summary>Elementwise product, broadcasting (<c>torch.mul</c>).</summary>
    public Tensor Mul(Tensor other)
    {
        var r = Arith<MulOp<float>, MulOp<double>, MulOp<long>, MulOp<int>>("mul", this, other, ResultType(this, other));
        var a = this;
        if (Graph.Needs(a, other)) RecordMul(a, other, r);
        if (Trace.Active) Trace.Record("mul", [a, other], r);
        return r;
    }

    /// <summary>True division, broadcasting; integer inputs give a float result (<c>torch.div</c>).</summary>
    public Tensor Div(Tensor other)
    {
        var dtype = ResultType(this, other);
        if (!dtype.IsFloatingPoint()) dtype = DType.Float32;
        var r = Arith<DivOp<float>, DivOp<double>, DivOp<long>, DivOp<int>>("div", this, other, dtype);
        var a = this;
        if (Graph.Needs(a, other)) RecordDiv(a, other, r);
        if (Trace.Active) Trace.Record("div", [a, other], r);
        return r;
    }

    /// <summary>Elementwise power with a tensor exponent (<c>torch.pow</c>).</summary>
    public Tensor Pow(Tensor exponent)
    {
        var dtype = ResultType(this, exponent);
        var r = Arith<PowOp<float>, PowOp<double>, IntPowOp<long>, IntPowOp<int>>("pow", this, exponent, dtype);
        var a = this;
        if (Graph.Needs(a, exponent))
            Graph.Record("PowBackward1", r, [a, exponent], g =>
            [
                a.RequiresGrad ? (g * exponent * a.Pow(exponent - 1.0)).SumTo(a) : null,
                exponent.RequiresGrad ? (g * r * a.Log()).SumTo(exponent) : null,
            ], a, exponent, r);
        if (Trace.Active) Trace.Record("pow", [a, exponent], r);
        return r;
    }

    /// <summary>Elementwise power with a scalar exponent (<c>tensor ** 2.5</c>); 2, 3, 0.5, -1 and friends take PyTorch's exact special cases. Integer tensors give float32, as with a Python float exponent.</summary>
    public Tensor Pow(double exponent) => PowByScalar(exponent, integral: false);

    /// <summary>Elementwise power with an integer exponent (<c>tensor ** 2</c>): integer tensors stay integral, float tensors as <see cref="Pow(double)"/>.</summary>
    public Tensor Pow(long exponent) => PowByScalar(exponent, integral: true);

    private Tensor PowByScalar(double exponent, bool integral)
    {
        Tensor r;
        if (!DType.IsFloatingPoint() && integral)
            r = Arith<MulOp<float>, MulOp<double>, IntPowOp<long>, IntPowOp<int>>("pow", this, WrapScalar((long)exponent), DType);
        else
        {
            var x = DType.IsFloatingPoint() ? this : CastRaw(DType.Float32);
            r = Empty(_shape, x.DType);
            if (x.DType == DType.Float32) PowScalar.Apply(x.Span<float>(), (float)exponent, r.MutableSpan<float>());
            else PowScalar.Apply(x.Span<double>(), exponent, r.MutableSpan<double>());
        }
        var a = this;
        if (Graph.Needs(a))
            Graph.Record("PowBackward0", r, [a], g => [exponent == 0 ? g * 0.0 : g * exponent * a.Pow(exponent - 1)], a);
        if (Trace.Active) Trace.Record("pow", [a, WrapScalar(exponent)], r);
        return r;
    }

    /// <summary>Elementwise maximum, propagating NaN (<c>torch.maximum</c>).</summary>
    public Tensor Maximum(Tensor other) => Extremum(other, true);

    /// <summary>Elementwise minimum, propagating NaN (<c>torch.minimum</c>).</summary>
    public Tensor Minimum(Tensor other) => Extremum(other, false);

    private Tensor Extremum(Tensor other, bool max)
    {
        var dtype = ResultType(this, other);
        var r = max
            ? Arith<MaximumOp<float>, MaximumOp<double>, MaximumOp<long>, MaximumOp<int>>("maximum", this, other, dtype)
            : Arith<MinimumOp<float>, MinimumOp<double>, MinimumOp<long>, MinimumOp<int>>("minimum", this, other, dtype);
        var a = this;
        if (Graph.Needs(a, other))
        {
            // PyTorch's rule: ties split the gradient in half; a side gets nothing only where it strictly lost,
            // so where a NaN is compared both sides get the whole gradient.
            Graph.Record(max ? "MaximumBackward0" : "MinimumBackward0", r, [a, other], g =>
            {
                var share = Where(a.Eq(other), g * 0.5, g);
                var zero = WrapScalar(0.0);
                return
                [
                    a.RequiresGrad ? Where(max ? a < other : a > other, zero, share).SumTo(a) : null,
                    other.RequiresGrad ? Where(max ? a > other : a < other, zero, share).SumTo(other) : null,
                ];
            }, a, other);
        }
        if (Trace.Active) Trace.Record(max ? "maximum" : "minimum", [a, other], r);
        return r;
    }

    /// <summary>Reduces a broadcast gradient back to <paramref name="input"/>'s shape and dtype.</summary>
    internal Tensor SumTo(Tensor input)
    {
        var g = this;
        if (!Shapes.SameShape(_shape, input._shape))
        {
            int lead = Dim - input.Dim;
            var dims = new List<int>();
            for (int i = 0; i < Dim; i++)
                if (i < lead || (input._shape[i - lead] == 1 && _shape[i] != 1)) dims.Add(i);
            if (dims.Count > 0) g = g.Sum([.. dims], keepdim: true);
            if (lead > 0 || g.Dim != input.Dim) g = g.Reshape(input._shape);
        }
        return g.DType == input.DType || !input.DType.IsFloatingPoint() ? g : g.To(input.DType);
    }

    /// <summary>Adds a tensor (<c>a + b</c>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => a.Add(b);
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(Tensor a, double b) => a.Add(WrapScalar(b));
    /// <summary>Adds a scalar.</summary>
    public static Tensor operator +(double a, Tensor b) => b.Add(WrapScalar(a));
    /// <summary>Adds an integer scalar (int tensors stay integral).</summary>
    public static Tensor operator +(Tensor a, long b) => a.Add(WrapScalar(b));
    /// <summary>Adds an integer scalar (int tensors stay integral).</summary>
    public static Tensor operator +(long a, Tensor b) => b.Add(WrapScalar(a));
    /// <summary>Subtracts a tensor.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => a.Sub(b);
    /// <summary>Subtracts a scalar.</summary>
    public static Tensor operator -(Tensor a, double b) => a.Sub(WrapScalar(b));
    /// <summary>Subtracts from a scalar (<c>torch.rsub</c>).</summary>
    public static Tensor operator -(double a, Tensor b) => b.Rsub(WrapScalar(a));
    /// <summary>Subtracts an integer scalar.</summary>
    public static Tensor operator -(Tensor a, long b) => a.Sub(WrapScalar(b));
    /// <summary>Subtracts from an integer scalar.</summary>
    public static Tensor operator -(long a, Tensor b) => b.Rsub(WrapScalar(a));
    /// <summary>Multiplies elementwise.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => a.Mul(b);
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(Tensor a, double b) => a.Mul(WrapScalar(b));
    /// <summary>Multiplies by a scalar.</summary>
    public static Tensor operator *(double a, Tensor b) => b.Mul(WrapScalar(a));
    /// <summary>Multiplies by an integer scalar.</summary>
    public static Tensor operator *(Tensor a, long b) => a.Mul(WrapScalar(b));
    /// <summary>Multiplies by an integer scalar.</summary>
    public static Tensor operator *(long a, Tensor b) => b.Mul(WrapScalar(a));
    /// <summary>Divides elementwise (true division).</summary>
    public static Tensor operator /(Tensor a, Tensor b) => a.Div(b);
    /// <summary>Divides by a scalar.</summary>
    public static Tensor operator /(Tensor a, double b) => a.Div(WrapScalar(b));
    /// <summary>Divides a scalar by a tensor: reciprocal, then product, as PyTorch's <c>__rtruediv__</c> (two roundings, MulBackward0).</summary>
    public static Tensor operator /(double a, Tensor b) => b.Pow(-1.0) * a;
    /// <summary>Negates (<c>-x</c>).</summary>
    public static Tensor operator -(Tensor a) => a.Neg();
}
