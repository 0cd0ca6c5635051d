using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Reductions, matrix layers and losses.
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
            if (cx.IsUsed(op, 0)) cx.Emit("Identity", [x], cx.Out(op, 0));
            if (cx.IsUsed(op, 1)) cx.Emit("Identity", [cx.Scalar(0, DType.Int64)], cx.Out(op, 1));
            return;
        }
        if (cx.IsUsed(op, 0)) cx.Reduce(reduce, x, [dim], keepdim, cx.Out(op, 0));
        if (cx.IsUsed(op, 1)) cx.Emit(arg, [x], cx.Out(op, 1), Int("axis", dim), Int("keepdims", keepdim ? 1 : 0));
    };

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

    /// <summary>(input - target)², then the mean, the sum, or nothing (<c>reduction</c>).</summary>
    private static void MseLoss(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var reduction = cx.Attr<string>(op, "reduction");
        var diff = cx.Node("Sub", [cx.In(op, 0, dtype), cx.In(op, 1, dtype)]);
        if (reduction == "none")
        {
            cx.Emit("Mul", [diff, diff], cx.Out(op));
            return;
        }
        var squared = cx.Node("Mul", [diff, diff]);
        cx.Reduce(reduction == "sum" ? "ReduceSum" : "ReduceMean", squared, null, false, cx.Out(op));
    }
}
