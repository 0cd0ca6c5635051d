using Nabla.Autograd;
using Nabla.Tracing;
using static Nabla.Torch;

namespace Nabla;

// scatter, scatter_add and masked_fill, out of place and in place (the inverse direction of gather).
public partial class Tensor
{
    /// <summary>A copy with <c>out[index[i][j]][j] = src[i][j]</c> along <paramref name="dim"/> (<c>torch.scatter(x, dim, index, src)</c>); duplicate indices keep one of the values.</summary>
    public Tensor Scatter(int dim, Tensor index, Tensor src) => ScatterCore("scatter", dim, index, src, accumulate: false);

    /// <summary>A copy with <paramref name="value"/> written at the index positions along <paramref name="dim"/> (<c>torch.scatter(x, dim, index, value)</c>).</summary>
    public Tensor Scatter(int dim, Tensor index, double value)
    {
        int d = Shapes.NormalizeDim(dim, Dim);
        CheckScatter("scatter", d, index, null);
        var r = CloneRaw();
        using (GradMode.Set(false)) r.ScatterRaw(d, index, Full(index._shape, value, DType));
        var x = this;
        if (Graph.Needs(x))
            Graph.Record("ScatterBackward1", r, [x], g => [g.Scatter(d, index, 0.0)]);
        if (Trace.Active) Trace.Record("scatter", [x, index, Full([], value, DType)], r, new Dictionary<string, object> { ["dim"] = (long)d });
        return r;
    }

    /// <summary>A copy with <c>out[index[i][j]][j] += src[i][j]</c> along <paramref name="dim"/>; duplicates accumulate (<c>torch.scatter_add</c>).</summary>
    public Tensor ScatterAdd(int dim, Tensor index, Tensor src) => ScatterCore("scatter_add", dim, index, src, accumulate: true);

    /// <summary>In-place <see cref="Scatter(int, Tensor, Tensor)"/> (<c>tensor.scatter_</c>).</summary>
    public Tensor Scatter_(int dim, Tensor index, Tensor src) => Assign("scatter_", InPlaceInput("scatter_").Scatter(dim, index, src));

    /// <summary>In-place <see cref="Scatter(int, Tensor, double)"/> (<c>tensor.scatter_(dim, index, value)</c>).</summary>
    public Tensor Scatter_(int dim, Tensor index, double value) => Assign("scatter_", InPlaceInput("scatter_").Scatter(dim, index, value));

    /// <summary>In-place <see cref="ScatterAdd"/> (<c>tensor.scatter_add_</c>).</summary>
    public Tensor ScatterAdd_(int dim, Tensor index, Tensor src) => Assign("scatter_add_", InPlaceInput("scatter_add_").ScatterAdd(dim, index, src));

    private Tensor ScatterCore(string op, int dim, Tensor index, Tensor src, bool accumulate)
    {
        int d = Shapes.NormalizeDim(dim, Dim);
        CheckScatter(op, d, index, src);
        var r = CloneRaw();
        r.ScatterRaw(d, index, src.Detach(), accumulate);
        var x = this;
        if (Graph.Needs(x, src))
            Graph.Record(accumulate ? "ScatterAddBackward0" : "ScatterBackward0", r, [x, src], g =>
            [
                x.RequiresGrad ? (accumulate ? g : g.Scatter(d, index, 0.0)) : null,
                src.RequiresGrad ? SourceGrad(g.Gather(d, index), src) : null,
            ]);
        if (Trace.Active) Trace.Record(op, [x, index, src], r, new Dictionary<string, object> { ["dim"] = (long)d });
        return r;
    }

    /// <summary>Zeros of <paramref name="shape"/> with <c>g</c>'s slices along <paramref name="dim"/> added at the positions a 1-D index names (<c>index_add</c>); differentiable in g.</summary>
    internal static Tensor IndexAddInto(long[] shape, int dim, Tensor index, Tensor g)
    {
        var view = Enumerable.Repeat(1L, g.Dim).ToArray();
        view[dim] = index.Numel();
        var target = (long[])shape.Clone();
        return Zeros(target, g.DType).ScatterAdd(dim, index.CastRaw(DType.Int64).Reshape(view).Expand(g._shape), g);
    }

    /// <summary>
    /// Zeros of <paramref name="shape"/> with <paramref name="g"/> written (or added) at the index positions along
    /// <paramref name="dim"/>: the backward of gather and max/min along a dim, differentiable in g under createGraph.
    /// </summary>
    internal static Tensor ScatterIntoZeros(long[] shape, int dim, Tensor index, Tensor g, bool accumulate)
    {
        var zeros = Zeros(shape, g.DType);
        return Graph.Needs(g) ? zeros.ScatterCore(accumulate ? "scatter_add" : "scatter", dim, index, g, accumulate) : zeros.ScatterRaw(dim, index, g, accumulate);
    }

    // src may be larger than the index: its unread elements get zero gradient.
    private static Tensor SourceGrad(Tensor gathered, Tensor src)
    {
        if (Shapes.SameShape(gathered._shape, src._shape)) return gathered;
        var z = Zeros(src._shape, gathered.DType);
        z.Slice0To(gathered._shape).CopyRaw(gathered);
        return z;
    }

    private void CheckScatter(string op, int d, Tensor index, Tensor? src)
    {
        if (index.DType != DType.Int64) throw new ArgumentException($"{op}(): Expected dtype int64 for index");
        if (src is not null && src.DType != DType) throw new ArgumentException($"{op}(): Expected self.dtype to be equal to src.dtype");
        if (index.Dim != Dim || (src is not null && src.Dim != Dim))
            throw new ArgumentException("Index tensor must have the same number of dimensions as self tensor");
        for (int i = 0; i < Dim; i++)
        {
            bool tooBig = (i != d && index._shape[i] > _shape[i]) || (src is not null && index._shape[i] > src._shape[i]);
            if (!tooBig) continue;
            throw new ArgumentException(src is null
                ? $"Expected index {Shapes.Format(index._shape)} to be smaller than self {Shapes.Format(_shape)} apart from dimension {d}"
                : $"Expected index {Shapes.Format(index._shape)} to be smaller than self {Shapes.Format(_shape)} apart from dimension {d} and to be smaller size than src {Shapes.Format(src._shape)}");
        }
    }

    /// <summary>A copy with <paramref name="value"/> where <paramref name="mask"/> (bool, broadcast) is true (<c>tensor.masked_fill(mask, value)</c>).</summary>
    public Tensor MaskedFill(Tensor mask, double value)
    {
        CheckMask(mask);
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            r = Where(mask, Full([], value, DType), this).CastRaw(DType);
        var x = this;
        if (Graph.Needs(x))
            Graph.Record("MaskedFillBackward0", r, [x], g => [g.MaskedFill(mask, 0.0).SumTo(x)]);
        if (Trace.Active) Trace.Record("masked_fill", [x, mask, Full([], value, DType)], r);
        return r;
    }

    /// <summary>A copy with the 0-d <paramref name="value"/> where <paramref name="mask"/> is true; differentiable in both (<c>tensor.masked_fill(mask, tensor)</c>).</summary>
    public Tensor MaskedFill(Tensor mask, Tensor value)
    {
        CheckMask(mask);
        if (value.Dim != 0)
            throw new ArgumentException($"masked_fill_ only supports a 0-dimensional value tensor, but got tensor with {value.Dim} dimension(s).");
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            r = Where(mask, value.CastRaw(DType), this).CastRaw(DType);
        var x = this;
        if (Graph.Needs(x, value))
            Graph.Record("MaskedFillBackward1", r, [x, value], g =>
            [
                x.RequiresGrad ? g.MaskedFill(mask, 0.0).SumTo(x) : null,
                value.RequiresGrad ? Where(mask, g, ZerosLike(g)).Sum().To(value.DType) : null,
            ]);
        if (Trace.Active) Trace.Record("masked_fill", [x, mask, value], r);
        return r;
    }

    /// <summary>In-place <see cref="MaskedFill(Tensor, double)"/> (<c>tensor.masked_fill_</c>); the mask broadcasts to this tensor's shape.</summary>
    public Tensor MaskedFill_(Tensor mask, double value) => Assign("masked_fill_", InPlaceInput("masked_fill_").MaskedFill(mask, value));

    /// <summary>In-place <see cref="MaskedFill(Tensor, Tensor)"/> (<c>tensor.masked_fill_(mask, tensor)</c>).</summary>
    public Tensor MaskedFill_(Tensor mask, Tensor value) => Assign("masked_fill_", InPlaceInput("masked_fill_").MaskedFill(mask, value));

    private static void CheckMask(Tensor mask)
    {
        if (mask.DType != DType.Bool)
            throw new ArgumentException($"masked_fill_ only supports boolean masks, but got mask with dtype {mask.DType.TorchName().Replace("torch.", "")}");
    }
}
