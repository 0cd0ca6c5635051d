using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Views, indexing and joins. Sizes and positions that follow a dynamic axis go through ExportContext.Sizes/Position.
internal static partial class Lowerings
{
    /// <summary>Reshape to the traced shape; a size that follows a dynamic axis is read from the input or left as -1.</summary>
    private static void Reshape(ExportContext cx, TracedOp op)
    {
        var shape = (long[])op.Attributes["shape"];
        var x = cx.In(op, 0);
        var sizes = cx.Sizes(op, shape, cx.Other(op)?.Attributes["shape"] as long[], allowInfer: true);
        if (!shape.Contains(0))
            cx.Emit("Reshape", [x, sizes], cx.Out(op));
        else if (cx.Opset >= 14)
            cx.Emit("Reshape", [x, sizes], cx.Out(op), Int("allowzero", 1));
        else
            throw cx.Unsupported(op, "a shape with a zero-size dimension needs Reshape's allowzero, opset 14 or later");
    }

    private static void Permute(ExportContext cx, TracedOp op)
        => cx.Emit("Transpose", [cx.In(op, 0)], cx.Out(op), Ints("perm", cx.Attr<long[]>(op, "perm")));

    /// <summary>Expand (bidirectional broadcast): a size that follows the input's own dynamic dimension becomes 1, which keeps it.</summary>
    private static void Expand(ExportContext cx, TracedOp op)
    {
        var size = (long[])((long[])op.Attributes["shape"]).Clone();
        var other = cx.Other(op) is { } o ? (long[])((long[])o.Attributes["shape"]).Clone() : null;
        if (other is not null && other.Length == size.Length)
        {
            var input = op.Inputs[0]._shape;
            var otherInput = cx.Other(op)!.Inputs[0]._shape;
            int lead = size.Length - input.Length;
            for (int k = lead; k < size.Length; k++)
                if (size[k] != other[k] && input[k - lead] == size[k] && otherInput[k - lead] == other[k])
                    size[k] = other[k] = 1;
        }
        var x = cx.In(op, 0);
        cx.Emit("Expand", [x, cx.Sizes(op, size, other, allowInfer: false)], cx.Out(op));
    }

    private static void Slice(ExportContext cx, TracedOp op)
    {
        int dim = (int)cx.Attr<long>(op, "dim");
        long start = cx.Position(op, "start", dim), end = cx.Position(op, "end", dim), step = cx.Attr<long>(op, "step");
        var x = cx.In(op, 0);
        cx.Emit("Slice", [x, cx.Int64s(start), cx.Int64s(end), cx.Int64s(dim), cx.Int64s(step)], cx.Out(op));
    }

    /// <summary>Gather with a scalar index removes the dimension, as <c>select</c> does.</summary>
    private static void Select(ExportContext cx, TracedOp op)
    {
        int dim = (int)cx.Attr<long>(op, "dim");
        long index = cx.Position(op, "index", dim);
        var x = cx.In(op, 0);
        cx.Emit("Gather", [x, cx.Scalar(index, DType.Int64)], cx.Out(op), Int("axis", dim));
    }

    /// <summary>
    /// Advanced indexing. One index tensor is a Gather on its dimension. Several are broadcast, stacked on a last
    /// axis and read with GatherND after moving the indexed dimensions first; the result's dimensions then follow
    /// PyTorch's layout (the index dimensions where the first indexed one was, when the indexed ones are adjacent).
    /// </summary>
    private static void Index(ExportContext cx, TracedOp op)
    {
        var dims = cx.Attr<long[]>(op, "dims");
        var x = cx.In(op, 0);
        if (dims.Length == 1)
        {
            cx.Emit("Gather", [x, cx.In(op, 1)], cx.Out(op), Int("axis", dims[0]));
            return;
        }
        var shape = Broadcast(op);
        var otherShape = cx.Other(op) is { } other ? Broadcast(other) : null;
        var columns = new string[dims.Length];
        for (int k = 0; k < dims.Length; k++)
        {
            var ix = cx.In(op, k + 1, DType.Int64);
            if (!Shapes.SameShape(op.Inputs[k + 1]._shape, shape))
                ix = cx.Node("Expand", [ix, cx.Sizes(op, shape, otherShape, allowInfer: false)]);
            columns[k] = cx.Unsqueeze(ix, -1);
        }
        var indices = cx.Node("Concat", columns, Int("axis", -1));
        int rank = op.Inputs[0].Dim;
        var rest = Enumerable.Range(0, rank).Where(d => !dims.Contains(d)).Select(d => (long)d).ToArray();
        var perm = dims.Concat(rest).ToArray();
        var data = perm.Select((p, i) => p == i).All(b => b) ? x : cx.Node("Transpose", [x], Ints("perm", perm));
        bool adjacent = dims.Zip(dims.Skip(1)).All(p => p.Second == p.First + 1);
        int before = adjacent ? (int)dims[0] : 0;
        if (before == 0)
        {
            cx.Emit("GatherND", [data, indices], cx.Out(op));
            return;
        }
        // GatherND gives [index dims..., rest...]; put the rest dimensions before the first indexed one back in front.
        var gathered = cx.Node("GatherND", [data, indices]);
        int nb = shape.Length;
        var back = Enumerable.Range(nb, before)
            .Concat(Enumerable.Range(0, nb))
            .Concat(Enumerable.Range(nb + before, rest.Length - before))
            .Select(d => (long)d).ToArray();
        cx.Emit("Transpose", [gathered], cx.Out(op), Ints("perm", back));

        static long[] Broadcast(TracedOp op)
        {
            var b = op.Inputs[1]._shape;
            for (int i = 2; i < op.Inputs.Length; i++) b = Shapes.Broadcast(b, op.Inputs[i]._shape);
            return b;
        }
    }

    /// <summary><c>torch.gather</c> is GatherElements.</summary>
    private static void Gather(ExportContext cx, TracedOp op)
    {
        long dim = cx.Attr<long>(op, "dim");
        cx.Emit("GatherElements", [cx.In(op, 0), cx.In(op, 1, DType.Int64)], cx.Out(op), Int("axis", dim));
    }

    private static void Concat(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var inputs = Enumerable.Range(0, op.Inputs.Length).Select(i => cx.In(op, i, dtype)).ToArray();
        cx.Emit("Concat", inputs, cx.Out(op), Int("axis", cx.Attr<long>(op, "dim")));
    }

    /// <summary>ONNX's NonZero gives one row per dimension; PyTorch's one row per element: transpose.</summary>
    private static void NonZero(ExportContext cx, TracedOp op)
    {
        var rows = cx.Node("NonZero", [cx.In(op, 0)]);
        cx.Emit("Transpose", [rows], cx.Out(op), Ints("perm", [1, 0]));
    }

    /// <summary>Split with the traced sizes as an input (opset 13 and later).</summary>
    private static void Split(ExportContext cx, TracedOp op)
    {
        var outputs = Enumerable.Range(0, op.Outputs.Length).Select(i => cx.Out(op, i)).ToArray();
        cx.Emit("Split", [cx.In(op, 0), cx.Int64s(cx.Attr<long[]>(op, "sizes"))], outputs, Int("axis", cx.Attr<long>(op, "dim")));
    }

    /// <summary>Tile; repeats beyond the input's rank add leading dimensions, as PyTorch's.</summary>
    private static void Repeat(ExportContext cx, TracedOp op)
    {
        var repeats = cx.Attr<long[]>(op, "repeats");
        var x = cx.In(op, 0);
        int lead = repeats.Length - op.Inputs[0].Dim;
        if (lead > 0) x = cx.Unsqueeze(x, [.. Enumerable.Range(0, lead).Select(a => (long)a)]);
        cx.Emit("Tile", [x, cx.Int64s(repeats)], cx.Out(op));
    }

    private static readonly Dictionary<string, string> s_padModes = new() { ["constant"] = "constant", ["reflect"] = "reflect", ["replicate"] = "edge" };

    /// <summary>Pad, with PyTorch's (left, right) pairs from the last dimension back turned into ONNX's begins then ends per axis.</summary>
    private static void Pad(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var pad = cx.Attr<long[]>(op, "pads");
        var mode = cx.Attr<string>(op, "mode");
        int rank = op.Inputs[0].Dim;
        var pads = new long[2 * rank];
        for (int p = 0; p < pad.Length / 2; p++)
        {
            pads[rank - 1 - p] = pad[2 * p];
            pads[2 * rank - 1 - p] = pad[2 * p + 1];
        }
        var x = cx.In(op, 0, dtype);
        string[] inputs = mode == "constant" ? [x, cx.Int64s(pads), cx.Scalar(cx.Attr<double>(op, "value"), dtype)] : [x, cx.Int64s(pads)];
        cx.Emit("Pad", inputs, cx.Out(op), Text("mode", s_padModes[mode]));
    }
}
