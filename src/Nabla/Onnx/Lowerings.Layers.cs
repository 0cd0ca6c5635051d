using Nabla.Onnx.Proto;
using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Convolution, pooling, embedding and dropout. The traced attributes of conv and pooling carry ONNX's names and layout
// (pads as all begins, then all ends).
internal static partial class Lowerings
{
    /// <summary>Conv or ConvTranspose with the traced pads, strides, dilations and groups (and output padding when transposed).</summary>
    private static Lowering Convolution(string onnx) => (cx, op) =>
    {
        var dtype = op.Outputs[0].DType;
        var parameters = Enumerable.Range(1, op.Inputs.Length - 1).Select(i => cx.In(op, i, dtype)).ToArray();
        var attributes = Copied(cx, op, "kernel_shape", "strides", "pads", "dilations").Append(Int("group", cx.Attr<long>(op, "group")));
        if (op.Attributes.ContainsKey("output_padding")) attributes = attributes.Append(Ints("output_padding", cx.Attr<long[]>(op, "output_padding")));
        AttributeProto[] all = [.. attributes];
        Batched(cx, op, Spatial(cx, op), cx.In(op, 0, dtype), 1, (x, outputs) => cx.Emit(onnx, [x, .. parameters], outputs[0], all));
    };

    /// <summary>MaxPool; its indices, when read, count within each plane as PyTorch's do (ONNX's count over the whole tensor).</summary>
    private static void MaxPool(ExportContext cx, TracedOp op)
    {
        AttributeProto[] attributes = [.. Copied(cx, op, "kernel_shape", "strides", "pads", "dilations"), CeilMode(cx, op)];
        bool indices = op.Outputs.Length > 1 && cx.IsUsed(op, 1);
        Batched(cx, op, Spatial(cx, op), cx.In(op, 0), indices ? 2 : 1, (x, outputs) =>
        {
            if (!indices)
            {
                cx.Emit("MaxPool", [x], outputs[0], attributes);
                return;
            }
            var flat = cx.Unique($"{op.Kind}_flat_indices");
            cx.Emit("MaxPool", [x], [outputs[0], flat], attributes);
            int rank = op.Inputs[0].Dim;
            cx.Emit("Mod", [flat, cx.Count(op, 0, [rank - 2, rank - 1], DType.Int64)], outputs[1]);
        });
    }

    /// <summary>
    /// AveragePool; <c>divisor_override</c> as the padded window mean times kernel size / divisor, which holds while
    /// every window lies inside the padded input (not so with ceil_mode, refused).
    /// </summary>
    private static void AvgPool(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        long? divisor = op.Attributes.ContainsKey("divisor_override") ? cx.Attr<long>(op, "divisor_override") : null;
        if (divisor is not null && cx.Attr<bool>(op, "ceil_mode"))
            throw cx.Unsupported(op, "divisor_override with ceil_mode makes windows that end past the padding, whose sums no ONNX pooling op gives; use ceil_mode: false");
        bool includePad = divisor is not null || cx.Attr<bool>(op, "count_include_pad");
        AttributeProto[] attributes = [.. Copied(cx, op, "kernel_shape", "strides", "pads"), CeilMode(cx, op), Int("count_include_pad", includePad ? 1 : 0)];
        double scale = divisor is { } d ? cx.Attr<long[]>(op, "kernel_shape").Aggregate(1L, (p, k) => p * k) / (double)d : 1;
        Batched(cx, op, Spatial(cx, op), cx.In(op, 0, dtype), 1, (x, outputs) =>
        {
            if (divisor is null) cx.Emit("AveragePool", [x], outputs[0], attributes);
            else cx.Emit("Mul", [cx.Node("AveragePool", [x], attributes), cx.Scalar(scale, dtype)], outputs[0]);
        });
    }

    /// <summary>
    /// Adaptive average pooling: GlobalAveragePool for a 1x1 output, an AveragePool with kernel = stride when the
    /// output size divides the input's; other sizes have windows of varying size, which no ONNX op has.
    /// </summary>
    private static void AdaptiveAvgPool2d(ExportContext cx, TracedOp op)
    {
        var size = cx.Attr<long[]>(op, "output_size");
        var x = cx.In(op, 0, op.Outputs[0].DType);
        if (size is [1, 1])
        {
            Batched(cx, op, 2, x, 1, (x, outputs) => cx.Emit("GlobalAveragePool", [x], outputs[0]));
            return;
        }
        var kernel = Kernel(op);
        if (kernel is null || (cx.Other(op) is { } other && Kernel(other) is { } k && !k.AsSpan().SequenceEqual(kernel)))
            throw cx.Unsupported(op, $"pooling {Shapes.Format(op.Inputs[0]._shape[^2..])} to {Shapes.Format(size)} needs windows of different sizes, which no ONNX pooling op has; use an output size that divides the input's");
        Batched(cx, op, 2, x, 1, (x, outputs) => cx.Emit("AveragePool", [x], outputs[0], Ints("kernel_shape", kernel), Ints("strides", kernel)));

        static long[]? Kernel(TracedOp op)
        {
            var size = (long[])op.Attributes["output_size"];
            var input = op.Inputs[0]._shape[^2..];
            return size[0] > 0 && size[1] > 0 && input[0] % size[0] == 0 && input[1] % size[1] == 0 ? [input[0] / size[0], input[1] / size[1]] : null;
        }
    }

    /// <summary>An embedding is a Gather of weight rows (input 0) by the indices (input 1).</summary>
    private static void Embedding(ExportContext cx, TracedOp op) => cx.Emit("Gather", [cx.In(op, 0), cx.In(op, 1)], cx.Out(op), Int("axis", 0));

    /// <summary>
    /// Dropout is traced only in training mode (in eval it returns its input and records nothing): ONNX's Dropout with
    /// training_mode on, which draws its own mask, scaled by 1 / (1 - p) as PyTorch's.
    /// </summary>
    private static void Dropout(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        double p = cx.Attr<double>(op, "p");
        bool training = cx.Attr<bool>(op, "training");
        cx.Emit("Dropout", [cx.In(op, 0), cx.Scalar(p, dtype), cx.Scalar(training ? 1 : 0, DType.Bool)], cx.Out(op));
    }

    /// <summary>The traced integer-list attributes <paramref name="names"/>, passed on under the same names.</summary>
    private static IEnumerable<AttributeProto> Copied(ExportContext cx, TracedOp op, params string[] names) => names.Select(n => Ints(n, cx.Attr<long[]>(op, n)));

    private static int Spatial(ExportContext cx, TracedOp op) => cx.Attr<long[]>(op, "kernel_shape").Length;

    private static AttributeProto CeilMode(ExportContext cx, TracedOp op) => Int("ceil_mode", cx.Attr<bool>(op, "ceil_mode") ? 1 : 0);

    /// <summary>
    /// Runs <paramref name="body"/> (input value, output names) for an op over [N, C, *spatial]; PyTorch's unbatched
    /// form, one dimension fewer, gets a batch dimension of one around it. The first <paramref name="outputs"/> outputs are written.
    /// </summary>
    private static void Batched(ExportContext cx, TracedOp op, int spatial, string x, int outputs, Action<string, string[]> body)
    {
        if (op.Inputs[0].Dim == spatial + 2)
        {
            body(x, [.. Enumerable.Range(0, outputs).Select(i => cx.Out(op, i))]);
            return;
        }
        var inner = Enumerable.Range(0, outputs).Select(_ => cx.Unique($"{op.Kind}_batched")).ToArray();
        body(cx.Unsqueeze(x, 0), inner);
        for (int i = 0; i < outputs; i++) cx.Emit("Squeeze", [inner[i], cx.Int64s(0)], cx.Out(op, i));
    }
}
