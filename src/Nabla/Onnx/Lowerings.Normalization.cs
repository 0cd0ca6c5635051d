using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Batch, layer and group normalisation: ONNX's own op where one fits, else (x - mean) / sqrt(var + eps) from reductions.
internal static partial class Lowerings
{
    /// <summary>
    /// BatchNormalization with the running statistics in eval mode (what the exporter traces); batch statistics
    /// (training mode, or no running statistics) are computed per channel from reductions.
    /// </summary>
    private static void BatchNorm(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var x = cx.In(op, 0, dtype);
        var (weight, bias, next) = AffineInputs(cx, op, dtype);
        double eps = cx.Attr<double>(op, "eps");
        int rank = op.Inputs[0].Dim;
        if (!cx.Attr<bool>(op, "training") && cx.Attr<bool>(op, "has_running_stats"))
        {
            long[] channels = [op.Inputs[0]._shape[1]];
            string scale = weight ?? cx.TensorConstant(Torch.Ones(channels, dtype), dtype), shift = bias ?? cx.TensorConstant(Torch.Zeros(channels, dtype), dtype);
            cx.Emit("BatchNormalization", [x, scale, shift, cx.In(op, next, dtype), cx.In(op, next + 1, dtype)], cx.Out(op), Float("epsilon", (float)eps));
            return;
        }
        var axes = Enumerable.Range(0, rank).Where(a => a != 1).Select(a => (long)a).ToArray();
        Apply(cx, Standardize(cx, x, axes, eps, dtype), cx.Out(op), ("Mul", PerChannel(cx, weight, rank)), ("Add", PerChannel(cx, bias, rank)));
    }

    /// <summary>LayerNormalization from opset 17 (its scale is required: ones when there is no weight); reductions before.</summary>
    private static void LayerNorm(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var x = cx.In(op, 0, dtype);
        var (weight, bias, _) = AffineInputs(cx, op, dtype);
        var shape = cx.Attr<long[]>(op, "normalized_shape");
        double eps = cx.Attr<double>(op, "eps");
        if (cx.Opset >= 17)
        {
            var scale = weight ?? cx.TensorConstant(Torch.Ones(shape, dtype), dtype);
            cx.Emit("LayerNormalization", bias is null ? [x, scale] : [x, scale, bias], cx.Out(op), Int("axis", -shape.Length), Float("epsilon", (float)eps));
            return;
        }
        int rank = op.Inputs[0].Dim;
        var axes = Enumerable.Range(rank - shape.Length, shape.Length).Select(a => (long)a).ToArray();
        Apply(cx, Standardize(cx, x, axes, eps, dtype), cx.Out(op), ("Mul", weight), ("Add", bias));
    }

    /// <summary>
    /// Group normalisation as [N, G, -1] standardised over its last axis, reshaped back, then the per-channel affine
    /// (opset 18's GroupNormalization takes its scale per group, not per channel, and was replaced in opset 21).
    /// </summary>
    private static void GroupNorm(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var x = cx.In(op, 0, dtype);
        var (weight, bias, _) = AffineInputs(cx, op, dtype);
        var grouped = cx.Node("Reshape", [x, cx.Int64s(0, cx.Attr<long>(op, "num_groups"), -1)]);
        var normalized = cx.Node("Reshape", [Standardize(cx, grouped, [2], cx.Attr<double>(op, "eps"), dtype), cx.Node("Shape", [x])]);
        int rank = op.Inputs[0].Dim;
        Apply(cx, normalized, cx.Out(op), ("Mul", PerChannel(cx, weight, rank)), ("Add", PerChannel(cx, bias, rank)));
    }

    /// <summary>(x - mean) / sqrt(var + eps) over <paramref name="axes"/>, with the biased variance.</summary>
    private static string Standardize(ExportContext cx, string x, long[] axes, double eps, DType dtype)
    {
        var centered = cx.Node("Sub", [x, cx.Reduced("ReduceMean", x, axes, true)]);
        var variance = cx.Reduced("ReduceMean", cx.Node("Mul", [centered, centered]), axes, true);
        return cx.Node("Div", [centered, cx.Node("Sqrt", [cx.Node("Add", [variance, cx.Scalar(eps, dtype)])])]);
    }

    /// <summary>The weight and bias that the trace flags as present (<c>has_weight</c>, <c>has_bias</c>) after input 0, and the index of the next input.</summary>
    private static (string? Weight, string? Bias, int Next) AffineInputs(ExportContext cx, TracedOp op, DType dtype)
    {
        var present = OptionalInputs(cx, op, 1, dtype, "has_weight", "has_bias");
        return (present[0], present[1], 1 + present.Count(p => p is not null));
    }

    /// <summary>Inputs from <paramref name="first"/> on, one per flag that the trace sets (<c>has_weight</c>, ...), in <paramref name="dtype"/>; null where a flag is false.</summary>
    private static string?[] OptionalInputs(ExportContext cx, TracedOp op, int first, DType dtype, params string[] flags)
    {
        var values = new string?[flags.Length];
        for (int f = 0, i = first; f < flags.Length; f++)
            if (cx.Attr<bool>(op, flags[f])) values[f] = cx.In(op, i++, dtype);
        return values;
    }

    /// <summary>A per-channel [C] vector shaped [C, 1, ...] to broadcast over [N, C, *] of rank <paramref name="rank"/>.</summary>
    private static string? PerChannel(ExportContext cx, string? v, int rank)
        => v is null || rank <= 2 ? v : cx.Unsqueeze(v, [.. Enumerable.Range(1, rank - 2).Select(a => (long)a)]);

    /// <summary>Applies each binary step whose operand is present to <paramref name="x"/> in turn; the last writes <paramref name="output"/> (an Identity when none is present).</summary>
    private static void Apply(ExportContext cx, string x, string output, params (string Op, string? Operand)[] steps)
    {
        var present = steps.Where(s => s.Operand is not null).ToArray();
        if (present.Length == 0)
        {
            cx.Emit("Identity", [x], output);
            return;
        }
        foreach (var (onnx, operand) in present[..^1]) x = cx.Node(onnx, [x, operand!]);
        cx.Emit(present[^1].Op, [x, present[^1].Operand!], output);
    }
}
