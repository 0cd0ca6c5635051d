namespace Nabla.Onnx;

/// <summary>
/// How each traced op kind becomes ONNX nodes, for opsets 13 to 18: one entry per kind. Adding an op is one line
/// here, plus a small function when it takes more than one ONNX node. A test fails when an op records a kind that
/// has no entry.
/// </summary>
internal static partial class Lowerings
{
    /// <summary>Op kind (the first argument of <c>Trace.Record</c>) → its lowering.</summary>
    public static readonly IReadOnlyDictionary<string, Lowering> Table = new Dictionary<string, Lowering>
    {
        // Arithmetic, in the dtype the op computed in (x * 2.0 on float32 multiplies by a float32 constant).
        ["add"] = AddOrSub("Add"),
        ["sub"] = AddOrSub("Sub"),
        ["mul"] = Binary("Mul"),
        ["div"] = Binary("Div"),
        ["pow"] = Binary("Pow"),
        ["maximum"] = Binary("Max"),
        ["minimum"] = Binary("Min"),
        ["matmul"] = Binary("MatMul"),

        // Elementwise functions; integer inputs of float functions are cast first, as PyTorch computes them.
        ["neg"] = Unary("Neg"),
        ["abs"] = Unary("Abs"),
        ["sign"] = Unary("Sign"),
        ["exp"] = Unary("Exp"),
        ["log"] = Unary("Log"),
        ["sqrt"] = Unary("Sqrt"),
        ["sin"] = Unary("Sin"),
        ["cos"] = Unary("Cos"),
        ["tanh"] = Unary("Tanh"),
        ["sigmoid"] = Unary("Sigmoid"),
        ["relu"] = Unary("Relu"),
        ["clamp"] = Clamp,

        // Comparisons and logic.
        ["eq"] = Compare("Equal"),
        ["ne"] = NotEqual,
        ["gt"] = Compare("Greater"),
        ["lt"] = Compare("Less"),
        ["ge"] = Compare("GreaterOrEqual"),
        ["le"] = Compare("LessOrEqual"),
        ["logical_and"] = Logical("And"),
        ["logical_or"] = Logical("Or"),
        ["logical_xor"] = Logical("Xor"),
        ["logical_not"] = LogicalNot,
        ["where"] = Where,

        // Casts and copies.
        ["to"] = Cast,
        ["clone"] = Identity,

        // Shapes and indexing.
        ["reshape"] = Reshape,
        ["permute"] = Permute,
        ["expand"] = Expand,
        ["slice"] = Slice,
        ["select"] = Select,
        ["index"] = Index,
        ["gather"] = Gather,
        ["cat"] = Concat,
        ["nonzero"] = NonZero,

        // Reductions.
        ["sum"] = Reduction("ReduceSum"),
        ["mean"] = Reduction("ReduceMean"),
        ["max"] = Reduction("ReduceMax"),
        ["min"] = Reduction("ReduceMin"),
        ["max_dim"] = ExtremumDim("ReduceMax", "ArgMax"),
        ["min_dim"] = ExtremumDim("ReduceMin", "ArgMin"),

        // Layers and losses.
        ["linear"] = Linear,
        ["mse_loss"] = MseLoss,
    };
}
