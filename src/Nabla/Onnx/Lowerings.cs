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
        ["erf"] = Unary("Erf"),
        ["log1p"] = Chain(("Add", 1), ("Log", null)),
        ["expm1"] = Chain(("Exp", null), ("Sub", 1)),
        ["rsqrt"] = Chain(("Sqrt", null), ("Reciprocal", null)),
        ["floor"] = Rounding("Floor"),
        ["ceil"] = Rounding("Ceil"),
        ["round"] = Rounding("Round"),
        ["xlogy"] = Xlogy,

        // Activations.
        ["leaky_relu"] = WithAlpha("LeakyRelu", "negative_slope"),
        ["elu"] = WithAlpha("Elu", "alpha"),
        ["gelu"] = Gelu,
        ["silu"] = Silu,
        ["softmax"] = Unary("Softmax", ("dim", "axis")),
        ["log_softmax"] = Unary("LogSoftmax", ("dim", "axis")),

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
        ["masked_fill"] = MaskedFill,

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
        ["split"] = Split,
        ["repeat"] = Repeat,
        ["pad"] = Pad,
        ["nonzero"] = NonZero,
        ["scatter"] = Scatter,
        ["scatter_add"] = ScatterAdd,
        ["one_hot"] = OneHot,

        // Reductions.
        ["sum"] = Reduction("ReduceSum"),
        ["mean"] = Reduction("ReduceMean"),
        ["max"] = Reduction("ReduceMax"),
        ["min"] = Reduction("ReduceMin"),
        ["max_dim"] = ExtremumDim("ReduceMax", "ArgMax"),
        ["min_dim"] = ExtremumDim("ReduceMin", "ArgMin"),
        ["logsumexp"] = Reduction("ReduceLogSumExp"),
        ["var"] = Moment(root: false),
        ["std"] = Moment(root: true),
        ["cumsum"] = Cumsum,
        ["sort"] = Sort,
        ["topk"] = TopK,
        ["einsum"] = Einsum,

        // Layers.
        ["linear"] = Linear,
        ["conv1d"] = Convolution("Conv"),
        ["conv2d"] = Convolution("Conv"),
        ["conv_transpose2d"] = Convolution("ConvTranspose"),
        ["max_pool1d"] = MaxPool,
        ["max_pool2d"] = MaxPool,
        ["avg_pool1d"] = AvgPool,
        ["avg_pool2d"] = AvgPool,
        ["adaptive_avg_pool2d"] = AdaptiveAvgPool2d,
        ["batch_norm"] = BatchNorm,
        ["layer_norm"] = LayerNorm,
        ["group_norm"] = GroupNorm,
        ["embedding"] = Embedding,
        ["dropout"] = Dropout,
        ["rnn"] = Recurrent,
        ["causal_mask"] = CausalMask,

        // Losses (cross_entropy is traced as log_softmax and nll_loss; kl_div as its elementwise ops).
        ["mse_loss"] = MseLoss,
        ["nll_loss"] = NllLoss,
        ["smooth_l1_loss"] = AbsLoss("beta", scaled: false),
        ["huber_loss"] = AbsLoss("delta", scaled: true),
        ["binary_cross_entropy"] = BinaryCrossEntropy,
        ["binary_cross_entropy_with_logits"] = BinaryCrossEntropyWithLogits,
    };
}
