using Nabla.NN;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Attention;

/// <summary>
/// F.ScaledDotProductAttention against PyTorch 2.x's reference formula evaluated by the reference PyTorch (gen_attention.py, "sdpa"):
/// bool masks that say which keys take part, float masks, causal, scale, float64, and dropout drawn as PyTorch's math path draws it.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class SdpaParityTests
{
    public static TheoryData<string> CaseNames() => AttentionGoldenCase.Names("sdpa");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void OutputAndGradientsMatchPyTorch(string name)
    {
        var c = new AttentionGoldenCase("sdpa", name);
        var x = c.Inputs();
        var kwargs = c.Golden.GetProperty("kwargs");
        bool isCausal = kwargs.TryGetProperty("is_causal", out var causal) && causal.GetBoolean();
        double? scale = kwargs.TryGetProperty("scale", out var s) ? s.GetDouble() : null;
        double dropout = kwargs.TryGetProperty("dropout_p", out var p) ? p.GetDouble() : 0.0;
        if (c.ForwardSeed is { } seed) Torch.ManualSeed(seed);
        var y = F.ScaledDotProductAttention(x["q"], x["k"], x["v"], x.GetValueOrDefault("mask"), dropout, isCausal, scale);
        c.AssertOutputs([y]);
        c.AssertGradients([y], x, null);
    }

    [Fact]
    public void CausalWithAnExplicitMaskIsRefused()
    {
        var q = Torch.Randn(1, 2, 4);
        var ex = Assert.Throws<ArgumentException>(() => F.ScaledDotProductAttention(q, q, q, Torch.Ones([2, 2]), isCausal: true));
        Assert.Equal("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True", ex.Message);
    }

    [Fact]
    public void BoolMaskTakesPartWhereTrue()
    {
        // With only key 1 allowed, every query returns value row 1.
        var q = Torch.Randn(3, 4);
        var k = Torch.Randn(2, 4);
        var v = Torch.Tensor(new float[,] { { 1, 2 }, { 3, 4 } });
        var mask = Torch.Tensor(new bool[,] { { false, true } });
        var y = F.ScaledDotProductAttention(q, k, v, mask);
        TensorAssert.Equal(Torch.Tensor(new float[,] { { 3, 4 }, { 3, 4 }, { 3, 4 } }), y);
    }
}
