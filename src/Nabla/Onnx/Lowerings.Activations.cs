using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Activations and elementwise functions that ONNX spells as a few nodes.
internal static partial class Lowerings
{
    /// <summary>One node with a float attribute <c>alpha</c> taken from the traced attribute <paramref name="traced"/> (LeakyRelu, Elu).</summary>
    private static Lowering WithAlpha(string onnx, string traced) => (cx, op) =>
        cx.Emit(onnx, [cx.In(op, 0, op.Outputs[0].DType)], cx.Out(op), Float("alpha", (float)cx.Attr<double>(op, traced)));

    /// <summary>
    /// 0.5·x·(1 + erf(x/√2)), or 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))) for approximate "tanh": ONNX's Gelu
    /// op comes only in opset 20.
    /// </summary>
    private static void Gelu(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var x = cx.In(op, 0, dtype);
        string bend = cx.Attr<string>(op, "approximate") == "tanh"
            ? cx.Node("Tanh", [cx.Node("Mul", [Polynomial(cx, x, dtype), cx.Scalar(Math.Sqrt(2 / Math.PI), dtype)])])
            : cx.Node("Erf", [cx.Node("Mul", [x, cx.Scalar(Math.Sqrt(0.5), dtype)])]);
        var half = cx.Node("Mul", [x, cx.Scalar(0.5, dtype)]);
        cx.Emit("Mul", [half, cx.Node("Add", [bend, cx.Scalar(1, dtype)])], cx.Out(op));

        static string Polynomial(ExportContext cx, string x, DType dtype)
        {
            var cube = cx.Node("Mul", [cx.Node("Mul", [x, x]), x]);
            return cx.Node("Add", [x, cx.Node("Mul", [cube, cx.Scalar(0.044715, dtype)])]);
        }
    }

    /// <summary>x·sigmoid(x).</summary>
    private static void Silu(ExportContext cx, TracedOp op)
    {
        var x = cx.In(op, 0, op.Outputs[0].DType);
        cx.Emit("Mul", [x, cx.Node("Sigmoid", [x])], cx.Out(op));
    }

    /// <summary>Nodes applied to the input in turn, each unary or, with a constant, binary with the constant second (log1p = Log(x + 1)).</summary>
    private static Lowering Chain(params (string Op, double? Constant)[] steps) => (cx, op) =>
    {
        var dtype = op.Outputs[0].DType;
        var x = cx.In(op, 0, dtype);
        for (int i = 0; i < steps.Length; i++)
        {
            string[] inputs = steps[i].Constant is { } c ? [x, cx.Scalar(c, dtype)] : [x];
            if (i < steps.Length - 1) x = cx.Node(steps[i].Op, inputs);
            else cx.Emit(steps[i].Op, inputs, cx.Out(op));
        }
    };

    /// <summary>Floor, Ceil, Round (halves to even, as PyTorch's); integer tensors are copied unchanged.</summary>
    private static Lowering Rounding(string onnx) => (cx, op) =>
        cx.Emit(op.Inputs[0].DType.IsFloatingPoint() ? onnx : "Identity", [cx.In(op, 0)], cx.Out(op));

    /// <summary>x·log(y), and 0 where x is 0 unless y is NaN.</summary>
    private static void Xlogy(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        string x = cx.In(op, 0, dtype), y = cx.In(op, 1, dtype);
        var product = cx.Node("Mul", [x, cx.Node("Log", [y])]);
        var zero = cx.Scalar(0, dtype);
        var vanishes = cx.Node("And", [cx.Node("Equal", [x, zero]), cx.Node("Not", [cx.Node("IsNaN", [y])])]);
        cx.Emit("Where", [vanishes, zero, product], cx.Out(op));
    }
}
