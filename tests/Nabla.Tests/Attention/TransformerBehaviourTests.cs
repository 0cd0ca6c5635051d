using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Attention;

/// <summary>What PyTorch's Transformer code does that surprises people, checked directly; and Module.DeepCopy, which the stacks use.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class TransformerBehaviourTests
{
    [Fact]
    public void SquareSubsequentMaskIsPyTorchs()
        => TensorAssert.Equal(Goldens.Tensor(Goldens.Load("attention").GetProperty("square_subsequent_mask")), Transformer.GenerateSquareSubsequentMask(4));

    [Fact]
    public void EncoderStackLayersStartEqualButAreIndependentCopies()
    {
        Torch.ManualSeed(3);
        var layer = new TransformerEncoderLayer(8, 2, dimFeedforward: 16);
        var encoder = new TransformerEncoder(layer, 3);
        var layers = encoder.Layers.Cast<TransformerEncoderLayer>().ToArray();
        Assert.All(layers, l => Assert.NotSame(layer, l));
        foreach (var l in layers.Skip(1))
            foreach (var ((name, a), (_, b)) in layers[0].NamedParameters().Zip(l.NamedParameters()))
            {
                Assert.NotSame(a, b);
                TensorAssert.Equal(a, b, name);
            }
        using (Torch.NoGrad()) layers[1].Linear1.Weight.Fill_(0);
        Assert.NotEqual(0f, layers[0].Linear1.Weight.ToArray<float>()[0]);
        Assert.NotEqual(0f, layer.Linear1.Weight.ToArray<float>()[0]);
    }

    [Fact]
    public void DeepCopyDrawsNothingAndKeepsSharingAndFlags()
    {
        var shared = new Linear(3, 3);
        var model = new Sequential(shared, new ReLU(), shared);
        model.Eval();
        shared.Bias!.RequiresGrad_(false);
        Torch.ManualSeed(5);
        var copy = (Sequential)model.DeepCopy();
        var drawnAfterCopy = Torch.Rand(4);
        Torch.ManualSeed(5);
        TensorAssert.Equal(Torch.Rand(4), drawnAfterCopy);
        Assert.Same(copy[0], copy[2]);
        Assert.NotSame(shared, copy[0]);
        Assert.False(copy.Training);
        var c = (Linear)copy[0];
        Assert.True(c.Weight.RequiresGrad);
        Assert.False(c.Bias!.RequiresGrad);
        Assert.Equal(model.StateDict().Keys, copy.StateDict().Keys);
        TensorAssert.Equal(shared.Weight, c.Weight);
        var x = Torch.Randn(2, 3);
        TensorAssert.Equal(model.Call(x), copy.Call(x));
    }

    [Fact]
    public void TransformerReinitialisesEveryMatrixButKeepsBiasesAndNorms()
    {
        Torch.ManualSeed(0);
        var model = new Transformer(dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16, dropout: 0.0);
        var state = model.StateDict();
        // The Linear biases keep the default init of the layer they were copied from; the attention biases stay 0, the norms 1 and 0.
        Assert.Contains(state["encoder.layers.0.linear1.bias"].ToArray<float>(), v => v != 0);
        Assert.All(state["encoder.layers.0.self_attn.in_proj_bias"].ToArray<float>(), v => Assert.Equal(0f, v));
        Assert.All(state["decoder.norm.weight"].ToArray<float>(), v => Assert.Equal(1f, v));
        // xavier_uniform_ bound for [16, 8]: sqrt(6 / 24) = 0.5; kaiming's would be 1/sqrt(8) ≈ 0.354, and most draws exceed it in a 128-value matrix.
        var w = state["encoder.layers.0.linear1.weight"].ToArray<float>();
        Assert.All(w, v => Assert.InRange(Math.Abs(v), 0, 0.5f));
        Assert.Contains(w, v => Math.Abs(v) > 0.36f);
    }

    [Fact]
    public void MultiheadAttentionRefusesWhatPyTorchRefuses()
    {
        Assert.Equal("embed_dim must be divisible by num_heads", Assert.Throws<ArgumentException>(() => new MultiheadAttention(6, 4)).Message);
        var mha = new MultiheadAttention(4, 2);
        var x = Torch.Randn(3, 2, 4);
        Assert.Equal("The shape of the 2D attn_mask is torch.Size([3, 2]), but should be (3, 3).",
            Assert.Throws<ArgumentException>(() => mha.Forward(x, x, x, attnMask: Torch.Zeros(3, 2))).Message);
        Assert.Equal("For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D but found 1-D tensor instead",
            Assert.Throws<ArgumentException>(() => mha.Forward(x, x, x, keyPaddingMask: Torch.Zeros(3))).Message);
        Assert.Equal("activation should be relu/gelu, not tanh",
            Assert.Throws<ArgumentException>(() => new TransformerEncoderLayer(4, 2, activation: "tanh")).Message);
    }

    [Fact]
    public void ReprNamesTheOutputProjectionAsPyTorchDoes()
        => Assert.Equal("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear(in_features=4, out_features=4, bias=True)\n)",
            new MultiheadAttention(4, 2).ToString());
}
