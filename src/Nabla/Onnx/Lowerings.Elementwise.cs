using Nabla.Tracing;
using static Nabla.Onnx.ExportContext;

namespace Nabla.Onnx;

// Elementwise ops: arithmetic, functions, comparisons, logic, casts.
internal static partial class Lowerings
{
    // ONNX's arithmetic has no bool form; PyTorch's bool + and * are logical or and and.
    private static readonly Dictionary<string, string> s_boolForms = new() { ["Add"] = "Or", ["Mul"] = "And", ["Max"] = "Or", ["Min"] = "And" };

    private static string OnBool(string onnx, DType dtype) => dtype == DType.Bool && s_boolForms.TryGetValue(onnx, out var b) ? b : onnx;

    /// <summary>Both inputs in the result's dtype (the one PyTorch computed in), then one node.</summary>
    private static Lowering Binary(string onnx) => (cx, op) =>
    {
        var dtype = op.Outputs[0].DType;
        cx.Emit(OnBool(onnx, dtype), [cx.In(op, 0, dtype), cx.In(op, 1, dtype)], cx.Out(op));
    };

    /// <summary>a ± alpha * b: the scaling as a Mul by a constant of the result's dtype.</summary>
    private static Lowering AddOrSub(string onnx) => (cx, op) =>
    {
        var dtype = op.Outputs[0].DType;
        string a = cx.In(op, 0, dtype), b = cx.In(op, 1, dtype);
        double alpha = cx.Attr(op, "alpha", 1.0);
        if (alpha != 1) b = cx.Node(OnBool("Mul", dtype), [b, cx.Scalar(alpha, dtype)]);
        cx.Emit(OnBool(onnx, dtype), [a, b], cx.Out(op));
    };

    /// <summary>
    /// One node on the input in the result's dtype; each traced integer attribute is passed on under its ONNX name
    /// (<c>Unary("Softmax", ("dim", "axis"))</c>).
    /// </summary>
    private static Lowering Unary(string onnx, params (string Traced, string Onnx)[] attributes) => (cx, op) =>
        cx.Emit(onnx, [cx.In(op, 0, op.Outputs[0].DType)], cx.Out(op), [.. attributes.Select(a => Int(a.Onnx, cx.Attr<long>(op, a.Traced)))]);

    /// <summary>Clip with the bounds as constants of the input's dtype (integer bounds truncate, as PyTorch's do).</summary>
    private static void Clamp(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        var inputs = new List<string> { cx.In(op, 0, dtype) };
        inputs.Add(op.Attributes.ContainsKey("min") ? cx.Scalar(cx.Attr<double>(op, "min"), dtype) : "");
        if (op.Attributes.ContainsKey("max")) inputs.Add(cx.Scalar(cx.Attr<double>(op, "max"), dtype));
        cx.Emit("Clip", [.. inputs], cx.Out(op));
    }

    /// <summary>Inputs promoted to their common dtype (<c>torch.result_type</c>), compared into bool.</summary>
    private static Lowering Compare(string onnx) => (cx, op) =>
    {
        var dtype = Tensor.ResultType(op.Inputs[0], op.Inputs[1]);
        cx.Emit(onnx, [cx.In(op, 0, dtype), cx.In(op, 1, dtype)], cx.Out(op));
    };

    private static void NotEqual(ExportContext cx, TracedOp op)
    {
        var dtype = Tensor.ResultType(op.Inputs[0], op.Inputs[1]);
        var equal = cx.Node("Equal", [cx.In(op, 0, dtype), cx.In(op, 1, dtype)]);
        cx.Emit("Not", [equal], cx.Out(op));
    }

    private static Lowering Logical(string onnx) => (cx, op) =>
        cx.Emit(onnx, [cx.In(op, 0, DType.Bool), cx.In(op, 1, DType.Bool)], cx.Out(op));

    private static void LogicalNot(ExportContext cx, TracedOp op) => cx.Emit("Not", [cx.In(op, 0, DType.Bool)], cx.Out(op));

    private static void Where(ExportContext cx, TracedOp op)
    {
        var dtype = op.Outputs[0].DType;
        cx.Emit("Where", [cx.In(op, 0, DType.Bool), cx.In(op, 1, dtype), cx.In(op, 2, dtype)], cx.Out(op));
    }

    private static void Cast(ExportContext cx, TracedOp op)
        => cx.Emit("Cast", [cx.In(op, 0)], cx.Out(op), Int("to", (long)op.Outputs[0].DType.ToOnnx()));

    private static void Identity(ExportContext cx, TracedOp op) => cx.Emit("Identity", [cx.In(op, 0)], cx.Out(op));
}
