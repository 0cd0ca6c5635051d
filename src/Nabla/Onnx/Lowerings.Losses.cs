using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Losses: the pointwise value from elementwise nodes, then the traced reduction ("none", "mean" or "sum").
internal static partial class Lowerings
{
    /// <summary>(input - target)².</summary>
    private static void MseLoss(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var diff = cx.Node("Sub", [cx.In(op, 0, dtype), cx.In(op, 1, dtype)]);
        Loss(cx, op, "Mul", [diff, diff]);
    }

    /// <summary>
    /// Smooth L1 (<paramref name="scaled"/> false, threshold <c>beta</c>) and Huber (true, threshold <c>delta</c>: delta
    /// times smooth L1 with beta = delta): 0.5·z²/c where z = |input - target| &lt; c, else z - 0.5·c.
    /// </summary>
    private static Lowering AbsLoss(string threshold, bool scaled) => (cx, op) =>
    {
        var dtype = op.Outputs[0].DType;
        var c = cx.Attr<double>(op, threshold);
        var z = cx.Node("Abs", [cx.Node("Sub", [cx.In(op, 0, dtype), cx.In(op, 1, dtype)])]);
        var quadratic = cx.Node("Div", [cx.Node("Mul", [cx.Node("Mul", [z, z]), cx.Scalar(0.5, dtype)]), cx.Scalar(c, dtype)]);
        string[] pieces = [cx.Node("Less", [z, cx.Scalar(c, dtype)]), quadratic, cx.Node("Sub", [z, cx.Scalar(0.5 * c, dtype)])];
        if (scaled) Loss(cx, op, "Mul", [cx.Node("Where", pieces), cx.Scalar(c, dtype)]);
        else Loss(cx, op, "Where", pieces);
    };

    /// <summary>
    /// NegativeLogLikelihoodLoss, which has PyTorch's weight, ignore_index and reductions ("mean" divides by the
    /// weight of the counted targets). A [C] input with a 0-d target is a batch of one.
    /// </summary>
    private static void NllLoss(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var reduction = cx.Attr<string>(op, "reduction");
        string x = cx.In(op, 0, dtype), target = cx.In(op, 1, DType.Int64);
        bool single = op.Inputs[0].Dim == 1;
        if (single) (x, target) = (cx.Unsqueeze(x, 0), cx.Unsqueeze(target, 0));
        string[] inputs = op.Inputs.Length > 2 ? [x, target, cx.In(op, 2, dtype)] : [x, target];
        var attributes = new[] { Text("reduction", reduction), Int("ignore_index", cx.Attr<long>(op, "ignore_index")) };
        if (single && reduction == "none") cx.Emit("Squeeze", [cx.Node("NegativeLogLikelihoodLoss", inputs, attributes), cx.Int64s(0)], cx.Out(op));
        else cx.Emit("NegativeLogLikelihoodLoss", inputs, cx.Out(op), attributes);
    }

    /// <summary>(t - 1)·max(log(1 - x), -100) - t·max(log x, -100), times the weight.</summary>
    private static void BinaryCrossEntropy(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        string x = cx.In(op, 0, dtype), t = cx.In(op, 1, dtype), one = cx.Scalar(1, dtype);
        string ClampedLog(string v) => cx.Node("Max", [cx.Node("Log", [v]), cx.Scalar(-100, dtype)]);
        var negative = cx.Node("Mul", [cx.Node("Sub", [t, one]), ClampedLog(cx.Node("Sub", [one, x]))]);
        var positive = cx.Node("Mul", [t, ClampedLog(x)]);
        Weighted(cx, op, "Sub", [negative, positive], op.Inputs.Length > 2 ? cx.In(op, 2, dtype) : null);
    }

    /// <summary>
    /// As PyTorch computes it stably, with m = max(-x, 0) and l = log(e^-m + e^(-x-m)): (1 - t)·x + m + l, or with
    /// pos_weight p, (1 - t)·x + ((p - 1)·t + 1)·(l + m); times the weight.
    /// </summary>
    private static void BinaryCrossEntropyWithLogits(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        string x = cx.In(op, 0, dtype), t = cx.In(op, 1, dtype), one = cx.Scalar(1, dtype);
        var optional = OptionalInputs(cx, op, 2, dtype, "has_weight", "has_pos_weight");
        var m = cx.Node("Relu", [cx.Node("Neg", [x])]);
        var l = cx.Node("Log", [cx.Node("Add", [cx.Node("Exp", [cx.Node("Neg", [m])]), cx.Node("Exp", [cx.Node("Sub", [cx.Node("Neg", [x]), m])])])]);
        var linear = cx.Node("Mul", [cx.Node("Sub", [one, t]), x]);
        string[] terms = optional[1] is not { } p
            ? [cx.Node("Add", [linear, m]), l]
            : [linear, cx.Node("Mul", [cx.Node("Add", [cx.Node("Mul", [cx.Node("Sub", [p, one]), t]), one]), cx.Node("Add", [l, m])])];
        Weighted(cx, op, "Add", terms, optional[0]);
    }

    /// <summary><see cref="Loss"/> of the node (<paramref name="last"/>, <paramref name="inputs"/>), times <paramref name="weight"/> when given.</summary>
    private static void Weighted(ExportContext cx, TracedOp op, string last, string[] inputs, string? weight)
    {
        if (weight is null) Loss(cx, op, last, inputs);
        else Loss(cx, op, "Mul", [cx.Node(last, inputs), weight]);
    }

    /// <summary>The loss whose pointwise value is the node (<paramref name="last"/>, <paramref name="inputs"/>): that node is the output for reduction "none", else its mean or sum is.</summary>
    private static void Loss(ExportContext cx, TracedOp op, string last, string[] inputs)
    {
        var reduction = cx.Attr<string>(op, "reduction");
        if (reduction == "none") cx.Emit(last, inputs, cx.Out(op));
        else cx.Reduce(reduction == "sum" ? "ReduceSum" : "ReduceMean", cx.Node(last, inputs), null, false, cx.Out(op));
    }
}
