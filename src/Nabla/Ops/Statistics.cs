using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla;

// var, std and logsumexp over dims, with keepdim.
public partial class Tensor
{
    /// <summary>
    /// Variance over <paramref name="dim"/> (all dims when null): the sum of squared deviations divided by
    /// N - correction, where correction is 1 when <paramref name="unbiased"/> (Bessel's) and 0 otherwise unless
    /// <paramref name="correction"/> is given (<c>torch.var(x, dim, unbiased, keepdim)</c>, <c>torch.var(x, dim, correction=c)</c>).
    /// N - correction &lt;= 0 gives inf or NaN, as in PyTorch.
    /// </summary>
    public Tensor Var(int[]? dim = null, bool unbiased = true, bool keepdim = false, double? correction = null)
        => Moment(dim, correction ?? (unbiased ? 1 : 0), keepdim, takeSqrt: false);

    /// <summary>Variance over one dimension (<c>torch.var(x, dim)</c>).</summary>
    public Tensor Var(int dim, bool unbiased = true, bool keepdim = false, double? correction = null) => Var([dim], unbiased, keepdim, correction);

    /// <summary>Standard deviation, the square root of <see cref="Var(int[], bool, bool, double?)"/> (<c>torch.std</c>).</summary>
    public Tensor Std(int[]? dim = null, bool unbiased = true, bool keepdim = false, double? correction = null)
        => Moment(dim, correction ?? (unbiased ? 1 : 0), keepdim, takeSqrt: true);

    /// <summary>Standard deviation over one dimension (<c>torch.std(x, dim)</c>).</summary>
    public Tensor Std(int dim, bool unbiased = true, bool keepdim = false, double? correction = null) => Std([dim], unbiased, keepdim, correction);

    private Tensor Moment(int[]? dim, double correction, bool keepdim, bool takeSqrt)
    {
        if (!DType.IsFloatingPoint()) throw new ArgumentException("std and var only support floating point and complex dtypes");
        var mask = ReducedMask(dim);
        var (data, keepShape, keptShape, n) = PrepareReduction(mask);
        var src = data.ContiguousRaw();
        var r = Empty(keepdim ? keepShape : keptShape, DType);
        if (DType == DType.Float32) Moments.Variance(src.Span<float>(), n, correction, takeSqrt, r.MutableSpan<float>());
        else Moments.Variance(src.Span<double>(), n, correction, takeSqrt, r.MutableSpan<double>());
        var x = this;
        if (Graph.Needs(x))
        {
            var dims = MaskedDims(mask);
            Graph.Record(takeSqrt ? "StdBackward0" : "VarBackward0", r, [x], g =>
            {
                var gk = g.Reshape(keepShape);
                if (takeSqrt)
                {
                    var rk = r.Reshape(keepShape);
                    gk = (gk / (rk * 2.0)).MaskedFill(rk.Eq(0.0), 0.0);
                }
                return [gk * (2.0 / (n - correction)) * (x - x.Mean(dims, keepdim: true))];
            }, x, r);
        }
        if (Trace.Active)
            Trace.Record(takeSqrt ? "std" : "var", [x], r, new Dictionary<string, object>
            {
                ["dims"] = MaskedDims(mask).Select(d => (long)d).ToArray(),
                ["correction"] = correction,
                ["keepdim"] = keepdim,
            });
        return r;
    }

    private static int[] MaskedDims(bool[] mask) => Enumerable.Range(0, mask.Length).Where(i => mask[i]).ToArray();

    /// <summary>log(sum(exp(x))) over <paramref name="dim"/>, computed stably by subtracting the maximum as PyTorch does (<c>torch.logsumexp</c>).</summary>
    public Tensor Logsumexp(int[] dim, bool keepdim = false)
    {
        var mask = ReducedMask(dim);
        var dims = MaskedDims(mask);
        var x = DType.IsFloatingPoint() ? this : To(DType.Float32);
        var keepShape = _shape.Select((s, i) => mask[i] ? 1L : s).ToArray();
        var keptShape = _shape.Where((_, i) => !mask[i]).ToArray();
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
        {
            var m = x.Detach();
            // Over an empty dim there is no maximum to subtract: the sum is 0 and the result log(0) = -inf, as in PyTorch.
            if (dims.Any(d => _shape[d] == 0)) m = Torch.Zeros(keepShape, x.DType);
            else foreach (var d in dims) m = m.Max(d, keepdim: true).Values;
            // Infinite maxima are replaced by 0 so inf - inf does not make NaN.
            m = m.MaskedFill(m.Abs().Eq(double.PositiveInfinity), 0.0);
            r = (x - m).Exp().Sum(dims, keepdim).Log() + (keepdim ? m : m.Reshape(keptShape));
        }
        if (Graph.Needs(x))
            Graph.Record("LogsumexpBackward0", r, [x], g => [g.Reshape(keepShape) * (x - r.Reshape(keepShape)).Exp()], x, r);
        if (Trace.Active)
            Trace.Record("logsumexp", [x], r, new Dictionary<string, object> { ["dims"] = dims.Select(d => (long)d).ToArray(), ["keepdim"] = keepdim });
        return r;
    }

    /// <summary>log(sum(exp(x))) over one dimension (<c>torch.logsumexp(x, dim)</c>).</summary>
    public Tensor Logsumexp(int dim, bool keepdim = false) => Logsumexp([dim], keepdim);

    /// <summary>Running sum along <paramref name="dim"/> (<c>torch.cumsum(x, dim, dtype)</c>); integer and bool inputs sum to int64.</summary>
    public Tensor Cumsum(int dim, DType? dtype = null) => CumsumCore(dim, dtype, reverse: false);

    // The reverse running sum is cumsum's gradient, and cumsum is the reverse one's.
    private Tensor CumsumCore(int dim, DType? dtype, bool reverse)
    {
        int d = Dim == 0 ? 0 : Shapes.NormalizeDim(dim, Dim);
        var outType = dtype ?? (DType.IsFloatingPoint() ? DType : DType.Int64);
        var (rows, perm) = RowsAlong(d, outType);
        int n = (int)rows._shape[^1];
        var sums = Empty(rows._shape, outType);
        switch (outType)
        {
            case DType.Float32: CumulativeSum.Rows<float, double>(rows.Span<float>(), n, reverse, sums.MutableSpan<float>()); break;
            case DType.Float64: CumulativeSum.Rows<double, double>(rows.Span<double>(), n, reverse, sums.MutableSpan<double>()); break;
            case DType.Int64: CumulativeSum.Rows<long, long>(rows.Span<long>(), n, reverse, sums.MutableSpan<long>()); break;
            case DType.Int32: CumulativeSum.Rows<int, int>(rows.Span<int>(), n, reverse, sums.MutableSpan<int>()); break;
            default: throw new ArgumentException("cumsum: cannot sum into torch.bool");
        }
        var r = FromRows(sums, perm, Dim);
        var x = this;
        if (Graph.Needs(x) && outType.IsFloatingPoint())
            Graph.Record("CumsumBackward0", r, [x], g => [g.CumsumCore(d, null, !reverse).To(x.DType)]);
        if (Trace.Active) Trace.Record("cumsum", [x], r, new Dictionary<string, object> { ["dim"] = (long)d, ["reverse"] = reverse });
        return r;
    }
}
