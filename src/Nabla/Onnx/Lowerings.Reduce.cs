using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Reductions, statistics, sorting and matrix products.
internal static partial class Lowerings
{
    /// <summary>A reduction over the traced dims (all when none), in the result's dtype (integer sums are int64).</summary>
    private static Lowering Reduction(string onnx) => (cx, op) =>
    {
        var dims = cx.Attr<long[]>(op, "dims");
        bool keepdim = cx.Attr<bool>(op, "keepdim");
        var x = cx.In(op, 0, op.Outputs[0].DType);
        cx.Reduce(onnx, x, dims, keepdim, cx.Out(op));
    };

    /// <summary><c>max(dim)</c>: values by a reduction, indices by ArgMax (first index of ties, as PyTorch); only the outputs read are emitted.</summary>
    private static Lowering ExtremumDim(string reduce, string arg) => (cx, op) =>
    {
        long dim = cx.Attr<long>(op, "dim");
        bool keepdim = cx.Attr<bool>(op, "keepdim");
        var x = cx.In(op, 0);
        if (op.Inputs[0].Dim == 0)
        {
            ScalarWithIndex(cx, op, x);
            return;
        }
        if (cx.IsUsed(op, 0)) cx.Reduce(reduce, x, [dim], keepdim, cx.Out(op, 0));
        if (cx.IsUsed(op, 1)) cx.Emit(arg, [x], cx.Out(op, 1), Int("axis", dim), Int("keepdims", keepdim ? 1 : 0));
    };

    /// <summary>A 0-d input's values and indices along its one position: itself and 0.</summary>
    private static void ScalarWithIndex(ExportContext cx, TracedOp op, string x)
    {
        if (cx.IsUsed(op, 0)) cx.Emit("Identity", [x], cx.Out(op, 0));
        if (cx.IsUsed(op, 1)) cx.Emit("Identity", [cx.Scalar(0, DType.Int64)], cx.Out(op, 1));
    }

    /// <summary>
    /// var and std: the squared deviations from the mean, summed over the traced dims and divided by their count less
    /// the correction (the count read from the input's shape when it follows a dynamic axis); std takes the root.
    /// </summary>
    private static Lowering Moment(bool root) => (cx, op) =>
    {
        var dtype = op.Outputs[0].DType;
        var dims = cx.Attr<long[]>(op, "dims");
        var x = cx.In(op, 0, dtype);
        var centered = cx.Node("Sub", [x, cx.Reduced("ReduceMean", x, dims, true)]);
        var squares = cx.Reduced("ReduceSum", cx.Node("Mul", [centered, centered]), dims, cx.Attr<bool>(op, "keepdim"));
        var divisor = cx.Count(op, 0, dims, dtype, cx.Attr<double>(op, "correction"));
        if (root) cx.Emit("Sqrt", [cx.Node("Div", [squares, divisor])], cx.Out(op));
        else cx.Emit("Div", [squares, divisor], cx.Out(op));
    };

    /// <summary>CumSum in the result's dtype (integer and bool inputs sum in int64), reversed when the trace says so.</summary>
    private static void Cumsum(ExportContext cx, TracedOp op)
        => cx.Emit("CumSum", [cx.In(op, 0, op.Outputs[0].DType), cx.Scalar(cx.Attr<long>(op, "dim"), DType.Int64)], cx.Out(op),
            Int("reverse", cx.Attr<bool>(op, "reverse") ? 1 : 0));

    /// <summary>sort is TopK of the whole dimension (its size read from the input when it follows a dynamic axis); descending is largest first.</summary>
    private static void Sort(ExportContext cx, TracedOp op) => TopK(cx, op, cx.Attr<bool>(op, "descending"), () =>
    {
        int dim = (int)cx.Attr<long>(op, "dim");
        long[]? other = cx.Other(op) is { } o ? [o.Inputs[0]._shape[dim]] : null;
        return cx.Sizes(op, [op.Inputs[0]._shape[dim]], other, allowInfer: false);
    });

    private static void TopK(ExportContext cx, TracedOp op) => TopK(cx, op, cx.Attr<bool>(op, "largest"), () => cx.Int64s(cx.Attr<long>(op, "k")));

    private static void TopK(ExportContext cx, TracedOp op, bool largest, Func<string> k)
    {
        var x = cx.In(op, 0);
        if (op.Inputs[0].Dim == 0)
        {
            ScalarWithIndex(cx, op, x);
            return;
        }
        cx.Emit("TopK", [x, k()], [cx.Out(op, 0), cx.Out(op, 1)], Int("axis", cx.Attr<long>(op, "dim")), Int("largest", largest ? 1 : 0), Int("sorted", 1));
    }

    /// <summary>Einsum (opset 12 and later) with the traced equation, operands in the result's dtype.</summary>
    private static void Einsum(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var operands = Enumerable.Range(0, op.Inputs.Length).Select(i => cx.In(op, i, dtype)).ToArray();
        cx.Emit("Einsum", operands, cx.Out(op), Text("equation", cx.Attr<string>(op, "equation")));
    }

    /// <summary>Gemm (weight transposed) for a 2-D input, as PyTorch's addmm; MatMul with the transposed weight and Add otherwise.</summary>
    private static void Linear(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        string x = cx.In(op, 0, dtype), w = cx.In(op, 1, dtype);
        string? b = op.Inputs.Length > 2 ? cx.In(op, 2, dtype) : null;
        if (op.Inputs[0].Dim == 2)
        {
            cx.Emit("Gemm", b is null ? [x, w] : [x, w, b], cx.Out(op), Int("transB", 1));
            return;
        }
        var wt = cx.Node("Transpose", [w], Ints("perm", [1, 0]));
        if (b is null)
        {
            cx.Emit("MatMul", [x, wt], cx.Out(op));
            return;
        }
        var product = cx.Node("MatMul", [x, wt]);
        cx.Emit("Add", [product, b], cx.Out(op));
    }
}
