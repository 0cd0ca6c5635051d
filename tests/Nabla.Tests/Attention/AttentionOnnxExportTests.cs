using Nabla.NN;
using Nabla.Tests.Onnx;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Attention;

/// <summary>
/// Attention and Transformer modules exported at opsets 14 and 18 with dynamic batch and sequence axes: ONNX Runtime computes what
/// Nabla computes at the traced sizes and at other batch sizes and sequence lengths. Masks are graph inputs, so they resize too.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class AttentionOnnxExportTests
{
    // An export case: the module, inputs for a batch size and sequence length, each input's dynamic axes (all of them: batch and sequence axes, both of a mask), and the outputs to export.
    private sealed record Case(Func<Module> Build, Func<long, long, Tensor[]> Inputs, int[][] Axes, Func<Module, Tensor[], Tensor[]> Forward);

    private const long E = 8;

    private static Tensor Padding(long batch, long length)
    {
        // Key 0 is never padded, so no row is fully masked.
        return Torch.Rand([batch, length]).Lt(Torch.Tensor(0.3)) & Torch.Arange(length).Gt(Torch.Tensor(0L));
    }

    private static readonly Dictionary<string, Case> Cases = new()
    {
        ["sdpa_causal"] = new(() => new Identity(),
            (b, l) => [Torch.Randn(b, 2, l, 4), Torch.Randn(b, 2, l + 1, 4), Torch.Randn(b, 2, l + 1, 3)],
            [[0, 2], [0, 2], [0, 2]],
            (_, x) => [F.ScaledDotProductAttention(x[0], x[1], x[2], isCausal: true)]),
        ["sdpa_bool_mask_scale"] = new(() => new Identity(),
            (b, l) => [Torch.Randn(b, l, 4), Torch.Randn(b, l + 1, 4), Torch.Randn(b, l + 1, 4), Padding(l, l + 1).LogicalNot()],
            [[0, 1], [0, 1], [0, 1], [0, 1]],
            (_, x) => [F.ScaledDotProductAttention(x[0], x[1], x[2], x[3], scale: 0.7)]),
        ["mha_self_padding_weights"] = new(() => new MultiheadAttention(E, 2, batchFirst: true),
            (b, l) => [Torch.Randn(b, l, E), Padding(b, l)],
            [[0, 1], [0, 1]],
            (m, x) =>
            {
                var (o, w) = ((MultiheadAttention)m).Forward(x[0], x[0], x[0], keyPaddingMask: x[1]);
                return [o, w!];
            }),
        ["mha_cross_bias_kv_zero_attn_kdim"] = new(() => new MultiheadAttention(E, 4, addBiasKv: true, addZeroAttn: true, kdim: 5, vdim: 3),
            (b, l) => [Torch.Randn(l, b, E), Torch.Randn(l + 1, b, 5), Torch.Randn(l + 1, b, 3), Torch.Randn(l, l + 1)],
            [[0, 1], [0, 1], [0, 1], [0, 1]],
            (m, x) =>
            {
                var (o, w) = ((MultiheadAttention)m).Forward(x[0], x[1], x[2], attnMask: x[3], averageAttnWeights: false);
                return [o, w!];
            }),
        ["encoder_pre_norm_gelu"] = new(() => new TransformerEncoder(
                new TransformerEncoderLayer(E, 2, dimFeedforward: 16, activation: "gelu", batchFirst: true, normFirst: true), 2, new LayerNorm(E)),
            (b, l) => [Torch.Randn(b, l, E), Transformer.GenerateSquareSubsequentMask(l), Padding(b, l)],
            [[0, 1], [0, 1], [0, 1]],
            (m, x) => [((TransformerEncoder)m).Forward(x[0], x[1], x[2])]),
        ["decoder_post_norm"] = new(() => new TransformerDecoder(new TransformerDecoderLayer(E, 2, dimFeedforward: 16), 2),
            (b, l) => [Torch.Randn(l, b, E), Torch.Randn(l + 1, b, E), Transformer.GenerateSquareSubsequentMask(l), Padding(b, l + 1)],
            [[0, 1], [0, 1], [0, 1], [0, 1]],
            (m, x) => [((TransformerDecoder)m).Forward(x[0], x[1], tgtMask: x[2], memoryKeyPaddingMask: x[3])]),
        ["transformer"] = new(() => new Transformer(dModel: E, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, batchFirst: true),
            (b, l) => [Torch.Randn(b, l + 1, E), Torch.Randn(b, l, E), Transformer.GenerateSquareSubsequentMask(l)],
            [[0, 1], [0, 1], [0, 1]],
            (m, x) => [((Transformer)m).Forward(x[0], x[1], tgtMask: x[2])]),
    };

    public static TheoryData<string, int> CasesAndOpsets()
    {
        var data = new TheoryData<string, int>();
        foreach (var name in Cases.Keys)
            foreach (var opset in new[] { 14, 18 }) data.Add(name, opset);
        return data;
    }

    [Theory]
    [MemberData(nameof(CasesAndOpsets))]
    public void OnnxRuntimeComputesWhatNablaComputesAtOtherBatchAndSequenceSizes(string name, int opset)
    {
        var c = Cases[name];
        Torch.ManualSeed(0);
        var module = c.Build();
        module.Eval();
        Tensor[] Forward(Tensor[] xs)
        {
            using (Torch.NoGrad()) return c.Forward(module, xs);
        }
        var inputs = c.Inputs(2, 5);
        var inputNames = inputs.Select((_, i) => $"in{i}").ToArray();
        var axes = new Dictionary<string, Dictionary<int, string>>();
        for (int i = 0; i < inputs.Length; i++)
        {
            axes[inputNames[i]] = c.Axes[i].ToDictionary(a => a, a => $"in{i}_dim{a}");
        }
        var bytes = ExportOrtTests.ExportBytes(module, Forward, inputs, opset, inputNames, axes);
        ExportDump.Save(bytes, $"attention_{name}_opset{opset}");
        foreach (var (batch, length) in new (long, long)[] { (2, 5), (1, 3), (3, 7) })
        {
            var xs = c.Inputs(batch, length);
            var expected = Forward(xs);
            var actual = OrtRunner.Run(bytes, xs);
            Assert.Equal(expected.Length, actual.Length);
            for (int i = 0; i < expected.Length; i++)
                TensorAssert.Close(expected[i], actual[i], rtol: 1e-5, atol: 1e-5, context: $"{name} opset {opset} at batch {batch}, length {length}: output {i}");
        }
    }
}
