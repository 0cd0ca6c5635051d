using Nabla.NN;
using SeedExperiment;

namespace Nabla.Tests.Onnx;

/// <summary>
/// A model to export: how to build it and its example inputs (after <c>Torch.ManualSeed(0)</c>), and optionally a
/// forward with several outputs. Adding a model to every ONNX Runtime check is one line in <see cref="ExportCases.All"/>.
/// </summary>
internal sealed record ExportCase(string Name, Func<Module> Model, Func<Tensor[]> Inputs, Func<Module, Func<Tensor[], Tensor[]>>? Outputs = null)
{
    public override string ToString() => Name;
}

internal static class ExportCases
{
    public static readonly ExportCase[] All =
    [
        new("seed", () => new ExperimentModel(), () => [Torch.Tensor(new[] { 1f })]),
        new("custom_linear", () => new CustomLinear(3, 2), () => [Torch.Randn(5, 3)]),
        new("mlp", () => new Mlp(), () => [Torch.Randn(8, 4)]),
        new("reshapes", () => new ReshapeNet(), () => [Torch.Randn(3, 2, 3)]),
        new("two_inputs", () => new TwoInputs(), () => [Torch.Randn(4, 3), Torch.Randn(4, 3)]),
        new("bool_max", () => new BoolMax(), () => [Torch.Randn(4, 3)]),
        new("batch_statistics", () => new BatchStatistics(), () => [Torch.Randn(5, 4)]),
        new("every_op", () => new EveryOp(), EveryOp.ExampleInputs, m => ((EveryOp)m).Outputs),
        new("cnn", SmallCnn.Trained, () => [Torch.Randn(2, 3, 12, 12)]),
        new("sequence", () => new SequenceNet(), () => [Torch.Randint(10, [2, 5])]),
        new("decoder", () => new DecoderNet(), () => [Torch.Randn(2, 4, 6, 6)]),
        new("every_layer_op", () => new EveryLayerOp(), EveryLayerOp.ExampleInputs, m => ((EveryLayerOp)m).Outputs),
        new("every_recurrent_layer", () => new Recurrent.EveryRecurrentLayer(), Recurrent.EveryRecurrentLayer.ExampleInputs, m => ((Recurrent.EveryRecurrentLayer)m).Outputs),
        new("causal_attention", () => new CausalAttentionNet(), () => [Torch.Randn(2, 5, 8)]),
    ];

    public static ExportCase Get(string name) => All.Single(c => c.Name == name);
}

/// <summary>Linear, ReLU, Linear.</summary>
internal sealed class Mlp : Module
{
    public Linear fc1 = new(4, 8);
    public Linear fc2 = new(8, 3);

    public override Tensor Forward(Tensor x) => fc2.Call(fc1.Call(x).Relu());
}

/// <summary>Reshapes, slices and broadcasts that follow the batch size: the case for dynamic-axis export.</summary>
internal sealed class ReshapeNet : Module
{
    public Linear fc = new(6, 4);

    public override Tensor Forward(Tensor x)
    {
        var h = fc.Call(x.Flatten(1)).Relu();                 // [B, 4]
        var v = h.View(-1, 2, 2).Transpose(1, 2);             // [B, 2, 2], not contiguous
        var t = v.Reshape(x.Size(0), 4);                      // a copying reshape to [B, 4]
        var bias = fc.Bias!.Expand(x.Size(0), 4);             // expand a parameter to the batch
        var tail = t[1..].Sum(0, keepdim: true);              // a slice to the (dynamic) end
        var last = x[^1].Sum();                               // the last row: a negative index
        return t + bias * 0.5 + tail + last + x[.., -1].Mean(-1, keepdim: true);
    }
}

/// <summary>Statistics over the batch: sort's length and var's count follow a dynamic batch axis.</summary>
internal sealed class BatchStatistics : Module
{
    public override Tensor Forward(Tensor x)
        => x.Sort(0, descending: true).Values[0] + x.Var(0) + x.Std(0, unbiased: false) - x.Sort(0).Values[0];
}

/// <summary>A forward of two inputs.</summary>
internal sealed class TwoInputs : Module
{
    public Parameter w = new(Torch.Randn(3));

    public override Tensor Forward(Tensor a, Tensor b) => (a * w - b).Abs().Sum(1);
}

/// <summary>max over a bool mask computed from the input: the casts around it must be exported, not baked in.</summary>
internal sealed class BoolMax : Module
{
    public override Tensor Forward(Tensor x) => (x > 0.0).Max(1).Values.To(DType.Float32) + x.Sum(1);
}

/// <summary>Runs every tensor op that has a lowering, each result a graph output (the layers and losses are in <see cref="EveryLayerOp"/>).</summary>
internal sealed class EveryOp : Module
{
    public Linear fc = new(4, 3);
    public Parameter scale = new(Torch.Rand(4) + 0.5);
    public Tensor rows = Torch.Tensor(new long[] { 2, 0, 1, 2 });
    public Tensor halves = Torch.Tensor(new[] { 0.5f, 1.5f, 2.5f, -0.5f, -1.5f, -2.5f });

    /// <summary>Two [3, 4] float inputs in [0.5, 1.5), where log, sqrt and pow are well defined.</summary>
    public static Tensor[] ExampleInputs() => [Torch.Rand(3, 4) + 0.5, Torch.Rand(3, 4) + 0.5];

    public Tensor[] Outputs(Tensor[] inputs)
    {
        var (x, y) = (inputs[0], inputs[1]);
        var z = x.View(3, 2, 2);
        var cols = Torch.Tensor(new long[] { 3, 1 });
        var i2 = Torch.Tensor(new long[] { 1, 0, 1 });
        var j2 = Torch.Tensor(new long[] { 0, 1, 1 });
        var gatherIndex = Torch.Tensor(new long[,] { { 0, 3 }, { 1, 1 }, { 2, 0 } });
        var (maxValues, maxIndices) = x.Max(1);
        var (sorted, order) = x.Sort(1);
        var (top, topIndices) = x.TopK(2, 0, largest: false);
        var scatterIndex = Torch.Tensor(new long[,] { { 3, 0 }, { 1, 2 }, { 0, 1 } });
        var repeatedIndex = Torch.Tensor(new long[,] { { 3, 3 }, { 1, 3 }, { 0, 0 } });
        var partialIndex = Torch.Tensor(new long[,] { { 2, 0, 2 }, { 1, 1, 0 } });
        var repeatedRows = Torch.Tensor(new long[,] { { 2, 0, 2 }, { 2, 1, 2 } });
        return
        [
            // arithmetic
            x + y, x.Add(y, alpha: 2.5), x.Sub(y, alpha: 0.5), x * y, x / y, x.Pow(y), x.Pow(2), x.Pow(0.5),
            x.Maximum(y), x.Minimum(y), x * 2.0 + 1.0, 1.0 - x, 3.0 / x, x * scale,
            // functions
            (x - 1.0).Neg(), (x - 1.0).Abs(), (x - 1.0).Sign(), x.Exp(), x.Log(), x.Sqrt(), x.Sin(), x.Cos(), x.Tanh(),
            x.Sigmoid(), (x - 1.0).Relu(), x.Clamp(0.7, 1.2), x.Clamp(min: 0.9), x.Clamp(max: 1.1),
            // comparisons and logic
            x.Eq(x.Clamp(max: 1.0)), x.Ne(x.Clamp(max: 1.0)), x > y, x < y, x >= y, x <= y, x > 1.0,
            (x > 1.0) & (y > 1.0), (x > 1.0) | (y > 1.0), (x > 1.0) ^ (y > 1.0), !(x > 1.0), Tensor.Where(x > y, x, y * 2.0),
            // matrix products and layers
            x.Matmul(y.T()), x.Mm(y.T()), x.View(3, 1, 4).Bmm(y.View(3, 4, 1)), x.Matmul(y[0]), x[0].Matmul(y[0]),
            fc.Call(x), Functional.Linear(z.View(3, 1, 4), fc.Weight, fc.Bias), Functional.Linear(x, fc.Weight),
            // shapes and indexing
            x.View(2, 6), x.Reshape(-1), z.Flatten(1), x.Unsqueeze(1).Squeeze(1), x.Permute(1, 0), z.Transpose(0, 2),
            x[0..1].Expand(5, 4), y.Expand(2, 3, 4), x[.., 1..3], x[TensorIndex.Slice(0, null, 2)], x[^1], x[.., 1],
            x[rows], x[.., cols], z[.., i2, j2], z[i2, .., j2], x[i2, j2.Reshape(3, 1)], x[x > 1.0],
            x.Gather(1, gatherIndex), Torch.Cat([x, y], 1), Torch.Stack([x, y]), (x > 1.0).Nonzero(),
            // reductions
            x.Sum(), x.Sum(1, keepdim: true), x.Mean(), x.Mean([0, 1], keepdim: true), x.Max(), x.Min(),
            maxValues, maxIndices, x.Min(0, keepdim: true).Indices, x.Min(0).Values, x.Argmax(1), (x > 1.0).Sum(),
            // more functions and activations
            x.Erf(), (x - 1.0).Log1p(), (x - 1.0).Expm1(), x.Rsqrt(), (x * 3.0).Floor(), (x * 3.0).Ceil(), halves.Round(), (x * 3.0).Round(), rows.Floor(),
            x.Xlogy(y), ((x > 1.0).Float() * x).Xlogy(y), Functional.LeakyRelu(x - 1.0, 0.2), Functional.Elu(x - 1.0, 1.5),
            Functional.Gelu(x - 1.0), Functional.Gelu(x - 1.0, "tanh"), Functional.Silu(x - 1.0), Functional.Softmax(x, 0), Functional.LogSoftmax(x, -1),
            // splits, repeats, scatters, sorting
            .. x.Split(3, 1), .. x.Split([1, 2], 0), .. x.Chunk(2, 0), x.Repeat(2, 1, 3), x.Tile(2),
            x.Scatter(1, scatterIndex, y), x.Scatter(0, partialIndex, y), x.Scatter(1, scatterIndex, 0.25),
            x.ScatterAdd(1, repeatedIndex, y), x.ScatterAdd(0, repeatedRows, y), x.MaskedFill(x > 1.0, -1.0), x.MaskedFill(x < y, y[0, 0]),
            sorted, order, x.Sort(0, descending: true).Values, top, topIndices, x.TopK(1, 1).Indices,
            // statistics and products
            x.Var(), x.Var(1, keepdim: true), x.Std(0, unbiased: false), x.Var([0, 1], correction: 2), x.Logsumexp(1), x.Logsumexp([0, 1], keepdim: true),
            x.Cumsum(1), rows.Cumsum(0), (x > 1.0).Cumsum(0), Torch.Einsum("ij,kj->ik", x, y), Torch.Einsum("ij->j", x), Torch.Einsum("ij,ij->i", x, y),
            // losses
            Functional.MseLoss(x, y), Functional.MseLoss(x, y, "sum"), Functional.MseLoss(x, y, "none"),
            // casts, copies, integers, float64
            x.To(DType.Float64).Exp(), (x * 10.0).To(DType.Int64), x.Clone(), x.T().Contiguous(),
            rows + 1L, rows * 2L, rows.Float() / 2.0, x.Double() * y.Double(),
        ];
    }

    public override Tensor Forward(Tensor x, Tensor y) => Outputs([x, y])[0];
}
