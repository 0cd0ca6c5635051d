using static Nabla.Torch;
using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla;

// Comparisons give bool tensors and no gradient; Where selects with one.
public partial class Tensor
{
    private Tensor Traced(string kind, Tensor a, Tensor b, Tensor r)
    {
        if (Trace.Active) Trace.Record(kind, [a, b], r);
        return r;
    }

    /// <summary>Elementwise equality (<c>torch.eq</c>); <c>==</c> stays reference equality in C#.</summary>
    public Tensor Eq(Tensor other) => Traced("eq", this, other, Compare<EqOp<float>, EqOp<double>, EqOp<long>, EqOp<int>>(this, other));
    /// <summary>Elementwise equality with a scalar.</summary>
    public Tensor Eq(double other) => Eq(WrapScalar(other));
    /// <summary>Elementwise equality with an integer scalar (compared exactly against integer tensors).</summary>
    public Tensor Eq(long other) => Eq(WrapScalar(other));
    /// <summary>Elementwise inequality (<c>torch.ne</c>).</summary>
    public Tensor Ne(Tensor other) => Traced("ne", this, other, Compare<NeOp<float>, NeOp<double>, NeOp<long>, NeOp<int>>(this, other));
    /// <summary>Elementwise inequality with a scalar.</summary>
    public Tensor Ne(double other) => Ne(WrapScalar(other));
    /// <summary>Elementwise inequality with an integer scalar.</summary>
    public Tensor Ne(long other) => Ne(WrapScalar(other));
    /// <summary>Elementwise greater-than (<c>torch.gt</c>).</summary>
    public Tensor Gt(Tensor other) => Traced("gt", this, other, Compare<GtOp<float>, GtOp<double>, GtOp<long>, GtOp<int>>(this, other));
    /// <summary>Elementwise less-than (<c>torch.lt</c>).</summary>
    public Tensor Lt(Tensor other) => Traced("lt", this, other, Compare<LtOp<float>, LtOp<double>, LtOp<long>, LtOp<int>>(this, other));
    /// <summary>Elementwise greater-or-equal (<c>torch.ge</c>).</summary>
    public Tensor Ge(Tensor other) => Traced("ge", this, other, Compare<GeOp<float>, GeOp<double>, GeOp<long>, GeOp<int>>(this, other));
    /// <summary>Elementwise less-or-equal (<c>torch.le</c>).</summary>
    public Tensor Le(Tensor other) => Traced("le", this, other, Compare<LeOp<float>, LeOp<double>, LeOp<long>, LeOp<int>>(this, other));

    /// <summary>Greater-than, giving a bool tensor.</summary>
    public static Tensor operator >(Tensor a, Tensor b) => a.Gt(b);
    /// <summary>Less-than, giving a bool tensor.</summary>
    public static Tensor operator <(Tensor a, Tensor b) => a.Lt(b);
    /// <summary>Greater-or-equal, giving a bool tensor.</summary>
    public static Tensor operator >=(Tensor a, Tensor b) => a.Ge(b);
    /// <summary>Less-or-equal, giving a bool tensor.</summary>
    public static Tensor operator <=(Tensor a, Tensor b) => a.Le(b);
    /// <summary>Greater-than a scalar.</summary>
    public static Tensor operator >(Tensor a, double b) => a.Gt(WrapScalar(b));
    /// <summary>Less-than a scalar.</summary>
    public static Tensor operator <(Tensor a, double b) => a.Lt(WrapScalar(b));
    /// <summary>Greater-or-equal a scalar.</summary>
    public static Tensor operator >=(Tensor a, double b) => a.Ge(WrapScalar(b));
    /// <summary>Less-or-equal a scalar.</summary>
    public static Tensor operator <=(Tensor a, double b) => a.Le(WrapScalar(b));
    /// <summary>Scalar greater-than a tensor.</summary>
    public static Tensor operator >(double a, Tensor b) => b.Lt(WrapScalar(a));
    /// <summary>Scalar less-than a tensor.</summary>
    public static Tensor operator <(double a, Tensor b) => b.Gt(WrapScalar(a));
    /// <summary>Scalar greater-or-equal a tensor.</summary>
    public static Tensor operator >=(double a, Tensor b) => b.Le(WrapScalar(a));
    /// <summary>Scalar less-or-equal a tensor.</summary>
    public static Tensor operator <=(double a, Tensor b) => b.Ge(WrapScalar(a));

    /// <summary>Greater-than an integer scalar (compared exactly against integer tensors).</summary>
    public static Tensor operator >(Tensor a, long b) => a.Gt(WrapScalar(b));
    /// <summary>Less-than an integer scalar.</summary>
    public static Tensor operator <(Tensor a, long b) => a.Lt(WrapScalar(b));
    /// <summary>Greater-or-equal an integer scalar.</summary>
    public static Tensor operator >=(Tensor a, long b) => a.Ge(WrapScalar(b));
    /// <summary>Less-or-equal an integer scalar.</summary>
    public static Tensor operator <=(Tensor a, long b) => a.Le(WrapScalar(b));
    /// <summary>Integer scalar greater-than a tensor.</summary>
    public static Tensor operator >(long a, Tensor b) => b.Lt(WrapScalar(a));
    /// <summary>Integer scalar less-than a tensor.</summary>
    public static Tensor operator <(long a, Tensor b) => b.Gt(WrapScalar(a));
    /// <summary>Integer scalar greater-or-equal a tensor.</summary>
    public static Tensor operator >=(long a, Tensor b) => b.Le(WrapScalar(a));
    /// <summary>Integer scalar less-or-equal a tensor.</summary>
    public static Tensor operator <=(long a, Tensor b) => b.Ge(WrapScalar(a));

    /// <summary>Elementwise logical and of bool tensors (<c>a &amp; b</c>).</summary>
    public static Tensor operator &(Tensor a, Tensor b) => a.Traced("logical_and", a, b, Logical<AndOp>("logical_and", a, b));
    /// <summary>Elementwise logical or of bool tensors (<c>a | b</c>).</summary>
    public static Tensor operator |(Tensor a, Tensor b) => a.Traced("logical_or", a, b, Logical<OrOp>("logical_or", a, b));
    /// <summary>Elementwise logical xor of bool tensors (<c>a ^ b</c>).</summary>
    public static Tensor operator ^(Tensor a, Tensor b) => a.Traced("logical_xor", a, b, Logical<XorOp>("logical_xor", a, b));

    /// <summary>Elementwise logical not of a bool tensor (<c>~mask</c>, <c>torch.logical_not</c>).</summary>
    public static Tensor operator !(Tensor a) => a.LogicalNot();

    /// <summary>Elementwise logical not (<c>torch.logical_not</c>).</summary>
    public Tensor LogicalNot()
    {
        var src = CastRaw(DType.Bool).Span<bool>();
        var r = Empty(_shape, DType.Bool);
        var d = r.MutableSpan<bool>();
        for (int i = 0; i < d.Length; i++) d[i] = !src[i];
        if (Trace.Active) Trace.Record("logical_not", [this], r);
        return r;
    }

    /// <summary>Picks from <paramref name="x"/> where <paramref name="condition"/> is true, else from <paramref name="y"/>, broadcasting (<c>torch.where</c>).</summary>
    public static Tensor Where(Tensor condition, Tensor x, Tensor y)
    {
        if (condition.DType != DType.Bool)
            throw new ArgumentException($"where expected condition to be a boolean tensor, but got a tensor with dtype {condition.DType.TorchName()}");
        var dtype = ResultType(x, y);
        var shape = Shapes.Broadcast(Shapes.Broadcast(condition._shape, x._shape), y._shape);
        var c = condition.Expand(shape).Span<bool>();
        var xs = x.CastRaw(dtype).Expand(shape);
        var ys = y.CastRaw(dtype).Expand(shape);
        var r = Empty(shape, dtype);
        switch (dtype)
        {
            case DType.Float32: Select(c, xs.Span<float>(), ys.Span<float>(), r.MutableSpan<float>()); break;
            case DType.Float64: Select(c, xs.Span<double>(), ys.Span<double>(), r.MutableSpan<double>()); break;
            case DType.Int64: Select(c, xs.Span<long>(), ys.Span<long>(), r.MutableSpan<long>()); break;
            case DType.Int32: Select(c, xs.Span<int>(), ys.Span<int>(), r.MutableSpan<int>()); break;
            case DType.Float16 or DType.BFloat16 or DType.Int16: Select(c, xs.Span<short>(), ys.Span<short>(), r.MutableSpan<short>()); break;
            case DType.UInt8 or DType.Int8: Select(c, xs.Span<byte>(), ys.Span<byte>(), r.MutableSpan<byte>()); break;
            default: Select(c, xs.Span<bool>(), ys.Span<bool>(), r.MutableSpan<bool>()); break;
        }
        if (Graph.Needs(x, y))
            Graph.Record("WhereBackward0", r, [x, y], g =>
            [
                x.RequiresGrad ? Where(condition, g, ZerosLike(g)).SumTo(x) : null,
                y.RequiresGrad ? Where(condition, ZerosLike(g), g).SumTo(y) : null,
            ]);
        if (Trace.Active) Trace.Record("where", [condition, x, y], r);
        return r;
    }

    private static void Select<T>(ReadOnlySpan<bool> c, ReadOnlySpan<T> x, ReadOnlySpan<T> y, Span<T> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = c[i] ? x[i] : y[i];
    }
}
