using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;
using static Nabla.Torch;

namespace Nabla;

// sort and topk: values with the indices they came from; the gradient flows back to those indices.
public partial class Tensor
{
    /// <summary>
    /// Sorts along <paramref name="dim"/> (<c>torch.sort(x, dim, descending, stable)</c>). The sort is always
    /// stable (equal values keep their order, which <c>stable: false</c> permits too); NaN sorts as the largest value.
    /// </summary>
    public (Tensor Values, Tensor Indices) Sort(int dim = -1, bool descending = false, bool stable = false)
    {
        int d = Dim == 0 ? 0 : Shapes.NormalizeDim(dim, Dim);
        // PyTorch's stable overload has its own node class.
        return SortCore("sort", d, Dim == 0 ? 1 : _shape[d], descending, stable ? "SortBackward1" : "SortBackward0",
            new Dictionary<string, object> { ["dim"] = (long)d, ["descending"] = descending });
    }

    /// <summary>
    /// The <paramref name="k"/> largest (or smallest) elements along <paramref name="dim"/> and their indices
    /// (<c>torch.topk(x, k, dim, largest, sorted)</c>). Results are always in sorted order, which <c>sorted: false</c> permits.
    /// </summary>
    public (Tensor Values, Tensor Indices) TopK(long k, int dim = -1, bool largest = true, bool sorted = true)
    {
        _ = sorted;
        int d = Dim == 0 ? 0 : Shapes.NormalizeDim(dim, Dim);
        long size = Dim == 0 ? 1 : _shape[d];
        if (k < 0 || k > size) throw new ArgumentException("selected index k out of range");
        return SortCore("topk", d, k, largest, "TopkBackward0",
            new Dictionary<string, object> { ["dim"] = (long)d, ["k"] = k, ["largest"] = largest });
    }

    private (Tensor Values, Tensor Indices) SortCore(string kind, int d, long k, bool descending, string gradFn, Dictionary<string, object> attributes)
    {
        if (DType == DType.Bool) throw new ArgumentException($"{kind}: not implemented for 'Bool'");
        var (rows, perm) = RowsAlong(d);
        int n = (int)rows._shape[^1];
        var outShape = (long[])rows._shape.Clone();
        outShape[^1] = k;
        var values = Empty(outShape, DType);
        var indices = Empty(outShape, DType.Int64);
        var idx = indices.MutableSpan<long>();
        switch (DType)
        {
            case DType.Float32: SortRows.Sort(rows.Span<float>(), n, (int)k, descending, values.MutableSpan<float>(), idx); break;
            case DType.Float64: SortRows.Sort(rows.Span<double>(), n, (int)k, descending, values.MutableSpan<double>(), idx); break;
            case DType.Int64: SortRows.Sort(rows.Span<long>(), n, (int)k, descending, values.MutableSpan<long>(), idx); break;
            default: SortRows.Sort(rows.Span<int>(), n, (int)k, descending, values.MutableSpan<int>(), idx); break;
        }
        values = FromRows(values, perm, Dim);
        indices = FromRows(indices, perm, Dim);
        var x = this;
        if (Graph.Needs(x))
            Graph.Record(gradFn, values, [x], g => [x.Dim == 0 ? g : Zeros(x._shape, g.DType).Scatter(d, indices, g)], indices);
        if (Trace.Active) Trace.Record(kind, [x], [values, indices], attributes);
        return (values, indices);
    }
}
