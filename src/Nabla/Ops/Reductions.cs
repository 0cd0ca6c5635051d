using static Nabla.Torch;
using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla;

// Sum, mean, max, min, argmax over all elements or over dims, with keepdim.
public partial class Tensor
{
    /// <summary>Which dims are reduced (all when <paramref name="dims"/> is null or empty).</summary>
    private bool[] ReducedMask(int[]? dims)
    {
        var mask = new bool[Dim];
        if (dims is null || dims.Length == 0) { Array.Fill(mask, true); return mask; }
        if (Dim == 0)
        {
            // A 0-d tensor accepts dim 0 or -1 and has nothing to reduce.
            foreach (var d in dims) Shapes.NormalizeDim(d, 0);
            return mask;
        }
        foreach (var d in dims)
        {
            int n = Shapes.NormalizeDim(d, Dim);
            if (mask[n]) throw new ArgumentException($"dim {n} appears multiple times in the list of dims");
            mask[n] = true;
        }
        return mask;
    }

    // Moves reduced dims last and makes the data contiguous: the kernels then reduce rows of length n.
    private (Tensor Data, long[] OutShape, long[] KeptShape, int N) PrepareReduction(bool[] mask)
    {
        int reducedCount = 0;
        foreach (bool m in mask) if (m) reducedCount++;
        var keptShape = new long[Dim - reducedCount];
        var keepdimShape = new long[Dim];
        var order = new int[Dim]; // kept dims, then reduced dims
        int kept = 0, reduced = keptShape.Length, firstReduced = -1, lastReduced = -1;
        bool keptAfterReduced = false;
        long n = 1;
        for (int i = 0; i < Dim; i++)
        {
            if (mask[i])
            {
                n *= _shape[i];
                keepdimShape[i] = 1;
                order[reduced++] = i;
                if (firstReduced < 0) firstReduced = i;
                lastReduced = i;
            }
            else
            {
                keptShape[kept] = keepdimShape[i] = _shape[i];
                order[kept++] = i;
                keptAfterReduced |= firstReduced >= 0;
            }
        }
        Tensor data = this.Detach();
        if (reducedCount > 0 && (lastReduced - firstReduced + 1 != reducedCount || keptAfterReduced))
            data = new Tensor(_storage, _shape, _strides, _offset).PermuteRaw(order);
        return (data, keepdimShape, keptShape, (int)n);
    }

    private Tensor PermuteRaw(int[] perm)
    {
        var shape = new long[perm.Length];
        var strides = new long[perm.Length];
        for (int i = 0; i < perm.Length; i++)
        {
            shape[i] = _shape[perm[i]];
            strides[i] = _strides[perm[i]];
        }
        return new(_storage, shape, strides, _offset);
    }

    /// <summary>Sum of all elements (<c>torch.sum</c>); integer and bool inputs sum to int64.</summary>
    public Tensor Sum() => Sum((int[]?)null);

    /// <summary>Sum over <paramref name="dim"/> (one or several dims), optionally keeping them as size 1 (<c>torch.sum(x, dim, keepdim)</c>).</summary>
    public Tensor Sum(int[]? dim, bool keepdim = false, DType? dtype = null)
    {
        var outType = dtype ?? (DType.IsFloatingPoint() ? DType : DType.Int64);
        var mask = ReducedMask(dim);
        var (data, keepShape, keptShape, n) = PrepareReduction(mask);
        var r = Empty(keepdim ? keepShape : keptShape, outType);
        if (n == 0) Fill(r, 0);
        else if (SumOverMiddle(mask, outType, r)) { }
        else
        {
            if (outType.IsHalf())
            {
                // Accumulated in float32 and rounded once, as PyTorch's CPU sum of half tensors.
                var wide = Empty(r._shape, DType.Float32);
                Reduce.Sum(data.CastRaw(DType.Float32).Span<float>(), n, wide.MutableSpan<float>());
                Cast.Convert(wide, r);
            }
            else
            {
                var src = data.CastRaw(outType);
                switch (outType)
                {
                    case DType.Float32: Reduce.Sum(src.Span<float>(), n, r.MutableSpan<float>()); break;
                    case DType.Float64: Reduce.Sum(src.Span<double>(), n, r.MutableSpan<double>()); break;
                    case DType.Int64: Reduce.Sum(src.Span<long>(), n, r.MutableSpan<long>()); break;
                    case DType.Int32: Reduce.Sum(src.Span<int>(), n, r.MutableSpan<int>()); break;
                    default: throw new ArgumentException("sum: cannot sum into torch.bool");
                }
            }
        }
        var x = this;
        if (Graph.Needs(x))
            Graph.Record("SumBackward" + (dim is null ? "0" : "1"), r, [x], g => [g.Reshape(keepShape).Expand(x._shape).To(x.DType)]);
        if (Trace.Active) Trace.Record("sum", [x], r, ReductionAttributes(mask, keepdim));
        return r;
    }

    // A contiguous floating tensor reduced over one run of dims followed by kept dims is [outer, n, inner]: columns are
    // summed in place, in the same order as the row kernel would after a transposing copy, without that copy.
    private bool SumOverMiddle(bool[] mask, DType outType, Tensor r)
    {
        if (!_contiguous || outType != DType || DType is not (DType.Float32 or DType.Float64) || Dim == 0 || mask[^1]) return false;
        int first = Array.IndexOf(mask, true), last = Array.LastIndexOf(mask, true);
        if (first < 0) return false;
        for (int i = first; i <= last; i++) if (!mask[i]) return false;
        long outer = 1, n = 1, inner = 1;
        for (int i = 0; i < Dim; i++) (i < first ? ref outer : ref i <= last ? ref n : ref inner) *= _shape[i];
        if (DType == DType.Float32) Reduce.SumColumns(Span<float>(), (int)outer, (int)n, (int)inner, r.MutableSpan<float>());
        else Reduce.SumColumns(Span<double>(), (int)outer, (int)n, (int)inner, r.MutableSpan<double>());
        return true;
    }

    /// <summary>Sum over one dimension (<c>torch.sum(x, dim)</c>).</summary>
    public Tensor Sum(int dim, bool keepdim = false) => Sum([dim], keepdim);

    /// <summary>Mean of all elements of a floating tensor (<c>torch.mean</c>).</summary>
    public Tensor Mean() => Mean((int[]?)null);

    /// <summary>Mean over one dimension.</summary>
    public Tensor Mean(int dim, bool keepdim = false) => Mean([dim], keepdim);

    /// <summary>Mean over several dimensions, optionally keeping them as size 1 (<c>torch.mean(x, dim, keepdim)</c>).</summary>
    public Tensor Mean(int[]? dim, bool keepdim = false)
    {
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: {ScalarTypeName(DType)}");
        var mask = ReducedMask(dim);
        long n = 1;
        for (int i = 0; i < Dim; i++) if (mask[i]) n *= _shape[i];
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            r = Sum(dim, keepdim) / (double)n;
        if (Graph.Needs(this)) RecordMean(r, mask, n, dim is null);
        if (Trace.Active) Trace.Record("mean", [this], r, ReductionAttributes(mask, keepdim));
        return r;
    }

    // Apart from Mean, so that its closure is allocated only when a graph is recorded.
    private void RecordMean(Tensor r, bool[] mask, long n, bool all)
    {
        var x = this;
        var keepShape = new long[Dim];
        for (int i = 0; i < Dim; i++) keepShape[i] = mask[i] ? 1L : _shape[i];
        Graph.Record(all ? "MeanBackward0" : "MeanBackward1", r, [x], g => [g.Reshape(keepShape).Expand(x._shape) / (double)n]);
    }

    private static Dictionary<string, object> ReductionAttributes(bool[] mask, bool keepdim) => new()
    {
        ["dims"] = Enumerable.Range(0, mask.Length).Where(i => mask[i]).Select(i => (long)i).ToArray(),
        ["keepdim"] = keepdim,
    };

    /// <summary>Largest element (<c>torch.max(x)</c>); the gradient is split evenly between ties.</summary>
    public Tensor Max() => ExtremumAll(true);

    /// <summary>Smallest element (<c>torch.min(x)</c>); the gradient is split evenly between ties.</summary>
    public Tensor Min() => ExtremumAll(false);

    private Tensor ExtremumAll(bool max)
    {
        if (_numel == 0)
            throw new ArgumentException($"{(max ? "max" : "min")}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            r = Flatten().ExtremumDim(0, false, max).Values;
        var x = this;
        if (Graph.Needs(x))
            Graph.Record(max ? "MaxBackward1" : "MinBackward1", r, [x], g =>
            {
                // A NaN result takes the gradient to the NaNs, as PyTorch's evenly_distribute_backward.
                var hits = (double.IsNaN(r.Item<double>()) ? x.Ne(x) : x.Eq(r)).To(g.DType);
                return [g * hits / hits.Sum()];
            }, x, r);
        if (Trace.Active) Trace.Record(max ? "max" : "min", [x], r, new Dictionary<string, object> { ["dims"] = Array.Empty<long>(), ["keepdim"] = false });
        return r;
    }

    /// <summary>Largest values along <paramref name="dim"/> and their first indices (<c>torch.max(x, dim)</c>).</summary>
    public (Tensor Values, Tensor Indices) Max(int dim, bool keepdim = false) => ExtremumDim(dim, keepdim, true);

    /// <summary>Smallest values along <paramref name="dim"/> and their first indices (<c>torch.min(x, dim)</c>).</summary>
    public (Tensor Values, Tensor Indices) Min(int dim, bool keepdim = false) => ExtremumDim(dim, keepdim, false);

    private (Tensor Values, Tensor Indices) ExtremumDim(int dim, bool keepdim, bool max, string? op = null)
    {
        if (DType == DType.Bool)
        {
            // Through traced casts, so an export sees the conversions instead of a baked-in constant.
            var (v, i) = To(DType.Int64).ExtremumDim(dim, keepdim, max, op);
            return (v.To(DType.Bool), i);
        }
        int d = Dim == 0 ? 0 : Shapes.NormalizeDim(dim, Dim);
        var mask = new bool[Dim];
        if (Dim > 0) mask[d] = true;
        var (data, keepShape, keptShape, n) = PrepareReduction(mask);
        if (n == 0) throw new ArgumentException($"{op ?? (max ? "max" : "min")}(): Expected reduction dim {d} to have non-zero size.");
        var shape = keepdim ? keepShape : keptShape;
        var values = Empty(shape, DType);
        var indices = Empty(shape, DType.Int64);
        var idx = indices.MutableSpan<long>();
        switch (DType)
        {
            case DType.Float32: Reduce.Extremum(data.Span<float>(), n, values.MutableSpan<float>(), idx, max); break;
            case DType.Float64: Reduce.Extremum(data.Span<double>(), n, values.MutableSpan<double>(), idx, max); break;
            case DType.Int64: Reduce.Extremum(data.Span<long>(), n, values.MutableSpan<long>(), idx, max); break;
            default: Reduce.Extremum(data.Span<int>(), n, values.MutableSpan<int>(), idx, max); break;
        }
        var x = this;
        if (Graph.Needs(x))
            Graph.Record(max ? "MaxBackward0" : "MinBackward0", values, [x], g =>
            {
                var gi = keepdim || x.Dim == 0 ? g : g.Unsqueeze(d);
                var ii = keepdim || x.Dim == 0 ? indices : indices.Unsqueeze(d);
                return [x.Dim == 0 ? g : ScatterIntoZeros(x._shape, d, ii, gi, accumulate: false)];
            }, indices);
        if (Trace.Active)
            Trace.Record(max ? "max_dim" : "min_dim", [x], [values, indices], new Dictionary<string, object> { ["dim"] = (long)d, ["keepdim"] = keepdim });
        return (values, indices);
    }

    /// <summary>Index of the largest element in the flattened tensor (<c>torch.argmax(x)</c>).</summary>
    public Tensor Argmax() => Flatten().Detach().ExtremumDim(0, false, true).Indices;

    /// <summary>Indices of the largest values along <paramref name="dim"/> (<c>torch.argmax(x, dim)</c>).</summary>
    public Tensor Argmax(int dim, bool keepdim = false) => Detach().ExtremumDim(dim, keepdim, true, "argmax").Indices;

    /// <summary>Index of the smallest element in the flattened tensor (<c>torch.argmin(x)</c>).</summary>
    public Tensor Argmin() => Flatten().Detach().ExtremumDim(0, false, false).Indices;

    /// <summary>Indices of the smallest values along <paramref name="dim"/> (<c>torch.argmin(x, dim)</c>).</summary>
    public Tensor Argmin(int dim, bool keepdim = false) => Detach().ExtremumDim(dim, keepdim, false, "argmin").Indices;
}
