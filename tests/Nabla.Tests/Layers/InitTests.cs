using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Layers;

/// <summary>nn.init functions after Torch.ManualSeed against gen_layers.py's "init" goldens.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class InitTests
{
    // One line per golden: the same call as the script's, on a tensor of the golden's shape and dtype.
    private static readonly Dictionary<string, Action<Tensor>> Cases = new()
    {
        ["kaiming_normal_fan_in"] = t => Init.KaimingNormal_(t),
        ["kaiming_normal_fan_out_relu"] = t => Init.KaimingNormal_(t, mode: "fan_out", nonlinearity: "relu"),
        ["kaiming_uniform_leaky"] = t => Init.KaimingUniform_(t, a: 0.2),
        ["xavier_uniform"] = t => Init.XavierUniform_(t),
        ["xavier_uniform_gain"] = t => Init.XavierUniform_(t, gain: Init.CalculateGain("tanh")),
        ["xavier_normal"] = t => Init.XavierNormal_(t),
        ["xavier_normal_small"] = t => Init.XavierNormal_(t, gain: 2.0),
        ["trunc_normal_default"] = t => Init.TruncNormal_(t),
        ["trunc_normal_shifted"] = t => Init.TruncNormal_(t, mean: 1.0, std: 0.5, a: 0.0, b: 1.5),
        ["trunc_normal_float64"] = t => Init.TruncNormal_(t, std: 0.02),
        ["orthogonal_tall"] = t => Init.Orthogonal_(t),
        ["orthogonal_wide"] = t => Init.Orthogonal_(t, gain: 2.0),
        ["orthogonal_conv"] = t => Init.Orthogonal_(t),
        ["orthogonal_square_small"] = t => Init.Orthogonal_(t),
        ["constant"] = t => Init.Constant_(t, 0.25),
        ["zeros"] = t => Init.Zeros_(t),
        ["ones"] = t => Init.Ones_(t),
    };

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var p in Goldens.Load("layers").GetProperty("init").EnumerateObject()) data.Add(p.Name);
        return data;
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void InitDrawsAsPyTorchAfterManualSeed(string name)
    {
        var golden = Goldens.Load("layers").GetProperty("init").GetProperty(name);
        var expected = Goldens.Tensor(golden.GetProperty("value"));
        Torch.ManualSeed(golden.GetProperty("seed").GetInt64());
        var t = Torch.Empty(expected.Shape, expected.DType);
        Cases[name](t);
        if (name.StartsWith("orthogonal", StringComparison.Ordinal))
            // Same normal draws; the QR is Householder in double here and LAPACK in float32 there, so Q agrees to float rounding only.
            TensorAssert.Close(expected, t, rtol: 0, atol: 2e-6, context: name);
        else
            TensorAssert.Equal(expected, t, name);
    }

    [Fact]
    public void OrthogonalColumnsAreOrthonormalTimesGain()
    {
        Torch.ManualSeed(0);
        var t = Init.Orthogonal_(Torch.Empty([7, 4], DType.Float64), gain: 3);
        var gram = t.T().Mm(t);
        TensorAssert.Close(Torch.Eye(4, dtype: DType.Float64) * 9.0, gram, 0, 1e-12);
    }

    [Fact]
    public void TruncNormalStaysWithinBounds()
    {
        Torch.ManualSeed(0);
        var t = Init.TruncNormal_(Torch.Empty(1000), mean: 0.5, std: 2, a: -1, b: 1).ToArray<float>();
        Assert.All(t, v => Assert.InRange(v, -1f, 1f));
    }
}
