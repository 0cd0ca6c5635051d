using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Ops that write values at positions: scatter, scatter_add, masked_fill, one_hot.
internal static partial class Lowerings
{
    /// <summary>ScatterElements along the traced dim.</summary>
    private static void Scatter(ExportContext cx, TracedOp op)
        => cx.Emit("ScatterElements", [cx.In(op, 0), cx.In(op, 1, DType.Int64), Updates(cx, op)], cx.Out(op), Int("axis", cx.Attr<long>(op, "dim")));

    /// <summary>
    /// ScatterElements with reduction "add" from opset 16. Before, ScatterElements keeps one of duplicate indices, so
    /// the updates are summed per target position instead: each update is spread over a new axis after dim by
    /// comparing its index with 0..n-1, the sum over dim gives each position's total, padded to the input's size, added.
    /// </summary>
    private static void ScatterAdd(ExportContext cx, TracedOp op)
    {
        long dim = cx.Attr<long>(op, "dim");
        var updates = Updates(cx, op);
        var index = cx.In(op, 1, DType.Int64);
        if (cx.Opset >= 16)
        {
            cx.Emit("ScatterElements", [cx.In(op, 0), index, updates], cx.Out(op), Int("axis", dim), Text("reduction", "add"));
            return;
        }
        var dtype = op.Outputs[0].DType;
        var (n, pads) = Layout(op);
        if (cx.Other(op) is { } other && (Layout(other).N != n || !Layout(other).Pads.AsSpan().SequenceEqual(pads)))
            throw cx.Unsupported(op, "before opset 16 it is exported for fixed sizes of the scattered dimension and of any dimension where the index is smaller than the input, but one follows a dynamic axis; export with opset 16 or later");
        int rank = op.Inputs[1].Dim;
        var positions = Torch.Arange(n).Reshape([.. Enumerable.Repeat(1L, (int)dim + 1), n, .. Enumerable.Repeat(1L, rank - (int)dim - 1)]);
        var hits = cx.Node("Equal", [cx.Unsqueeze(index, dim + 1), cx.TensorConstant(positions, DType.Int64)]);
        var spread = cx.Node("Where", [hits, cx.Unsqueeze(updates, dim + 1), cx.Scalar(0, dtype)]);
        var totals = cx.Reduced("ReduceSum", spread, [dim], false);
        if (pads.Any(p => p != 0)) totals = cx.Node("Pad", [totals, cx.Int64s(pads)]);
        cx.Emit("Add", [cx.In(op, 0, dtype), totals], cx.Out(op));

        // The size of the scattered dim, and the zeros that pad the index's shape (dim sized n) to the input's.
        static (long N, long[] Pads) Layout(TracedOp op)
        {
            int d = (int)(long)op.Attributes["dim"];
            long[] x = op.Inputs[0]._shape, index = op.Inputs[1]._shape;
            var pads = new long[2 * x.Length];
            for (int k = 0; k < x.Length; k++) pads[x.Length + k] = k == d ? 0 : x[k] - index[k];
            return (x[d], pads);
        }
    }

    /// <summary>
    /// ScatterElements wants updates of the index's shape: a value (a 0-d src) is expanded to it, a src larger than
    /// the index sliced to it (PyTorch reads only that corner).
    /// </summary>
    private static string Updates(ExportContext cx, TracedOp op)
    {
        var src = cx.In(op, 2, op.Outputs[0].DType);
        static bool SameShape(TracedOp o) => Shapes.SameShape(o.Inputs[1]._shape, o.Inputs[2]._shape);
        if (SameShape(op) && (cx.Other(op) is not { } other || SameShape(other))) return src;
        var shape = cx.Node("Shape", [cx.In(op, 1)]);
        return op.Inputs[2].Dim == 0
            ? cx.Node("Expand", [src, shape])
            : cx.Node("Slice", [src, cx.Int64s(new long[op.Inputs[1].Dim]), shape]);
    }

    /// <summary>Where(mask, value, input), the value in the input's dtype.</summary>
    private static void MaskedFill(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        cx.Emit("Where", [cx.In(op, 1, DType.Bool), cx.In(op, 2, dtype), cx.In(op, 0, dtype)], cx.Out(op));
    }

    /// <summary>
    /// Each index compared with 0..num_classes-1 on a new last axis, cast to int64. The class count is the traced
    /// one (PyTorch's <c>num_classes=-1</c> infers it from the traced values, so the graph fixes it).
    /// </summary>
    private static void OneHot(ExportContext cx, TracedOp op)
    {
        var classes = cx.TensorConstant(Torch.Arange(cx.Attr<long>(op, "num_classes")), DType.Int64);
        var hits = cx.Node("Equal", [cx.Unsqueeze(cx.In(op, 0), -1), classes]);
        cx.Emit("Cast", [hits], cx.Out(op), Int("to", (long)DType.Int64.ToOnnx()));
    }
}
