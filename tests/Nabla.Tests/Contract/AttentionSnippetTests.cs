using Nabla.NN;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Contract;

/// <summary>The attention half of issue 11's snippet, written as the issue writes it: names, argument names and returned shapes.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class AttentionSnippetTests
{
    [Fact]
    public void AttentionSnippetCompilesAndGivesTheShapesItPromises()
    {
        Torch.ManualSeed(0);
        var q = Torch.Randn(2, 4, 5, 8);
        var k = Torch.Randn(2, 4, 5, 8);
        var v = Torch.Randn(2, 4, 5, 8);
        var y = F.ScaledDotProductAttention(q, k, v, attnMask: null, dropoutP: 0.0, isCausal: true, scale: null);
        Assert.Equal([2L, 4, 5, 8], y.Shape);

        var query = Torch.Randn(2, 5, 16);
        var key = query;
        var value = query;
        var pad = Torch.Tensor(new bool[,] { { false, false, false, true, true }, { false, false, false, false, false } });
        var mask = Transformer.GenerateSquareSubsequentMask(5);
        var mha = new MultiheadAttention(embedDim: 16, numHeads: 4, dropout: 0.0, bias: true, addBiasKv: false, kdim: null, vdim: null, batchFirst: true);
        var (attnOutput, attnWeights) = mha.Forward(query, key, value, keyPaddingMask: pad, needWeights: true, attnMask: mask, averageAttnWeights: true);
        Assert.Equal([2L, 5, 16], attnOutput.Shape);
        Assert.Equal([2L, 5, 5], attnWeights!.Shape);

        var layer = new TransformerEncoderLayer(dModel: 16, nhead: 4, dimFeedforward: 64, dropout: 0.1, activation: "gelu", layerNormEps: 1e-5, batchFirst: true, normFirst: true);
        var encoder = new TransformerEncoder(layer, numLayers: 2, norm: new LayerNorm(16));
        var src = query;
        var h = encoder.Forward(src, mask: Transformer.GenerateSquareSubsequentMask(5), srcKeyPaddingMask: pad);
        Assert.Equal([2L, 5, 16], h.Shape);
        var decoder = new TransformerDecoder(new TransformerDecoderLayer(dModel: 16, nhead: 4, batchFirst: true), numLayers: 2);
        var tgt = Torch.Randn(2, 3, 16);
        var memory = h;
        var causal = Transformer.GenerateSquareSubsequentMask(3);
        var o = decoder.Forward(tgt, memory, tgtMask: causal);
        Assert.Equal([2L, 3, 16], o.Shape);
        var model = new Transformer(dModel: 16, nhead: 4, numEncoderLayers: 2, numDecoderLayers: 2, dimFeedforward: 32, batchFirst: true);
        Assert.Equal([2L, 3, 16], model.Forward(src, tgt).Shape);
        Assert.Equal("layers.0.self_attn.in_proj_weight", encoder.StateDict().Keys.First());
        Assert.Contains("layers.1.multihead_attn.out_proj.weight", decoder.StateDict().Keys);
        Assert.Contains("encoder.layers.1.linear1.weight", model.StateDict().Keys);
        Assert.Contains("decoder.layers.0.norm3.bias", model.StateDict().Keys);
    }
}
