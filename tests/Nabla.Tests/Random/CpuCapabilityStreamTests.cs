using System.Text.Json;
using Nabla.NN;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Random;

/// <summary>
/// Replays goldens/rng_capability.json (tests/goldens/gen_rng_capability.py: Debian's torch 1.13 run once with
/// <c>ATEN_CPU_CAPABILITY=default</c> and once with <c>avx2</c>) under the matching <see cref="CpuCapability"/>, from
/// <c>Torch.ManualSeed</c> on the default generator, and asserts every value bit for bit.
/// </summary>
[Collection(CpuCapabilityCollection.Name)]
public class CpuCapabilityStreamTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() =>
    {
        var cases = new Dictionary<string, JsonElement>();
        foreach (var capability in Goldens.Load("rng_capability").EnumerateObject())
            foreach (var c in capability.Value.EnumerateArray())
                cases[$"{capability.Name}/{c.GetProperty("name").GetString()}@{c.GetProperty("seed").GetInt64()}"] = c;
        return cases;
    });

    public static TheoryData<string> CaseIds() => [.. Cases.Value.Keys];

    [Theory]
    [MemberData(nameof(CaseIds))]
    public void StreamMatchesPyTorchUnderCapability(string caseId)
    {
        var golden = Cases.Value[caseId];
        var capability = caseId.StartsWith("avx2/", StringComparison.Ordinal) ? CpuCapability.Avx2 : CpuCapability.Default;
        using var scope = new CapabilityScope(capability);
        Torch.ManualSeed(golden.GetProperty("seed").GetInt64());
        int index = 0;
        foreach (var step in golden.GetProperty("steps").EnumerateArray())
        {
            string what = $"{caseId} step {index++} ({step.GetProperty("op").GetString()})";
            if (Draw(step) is { } values)
                AssertValues(step, values, what);
            else
                GeneratorTests.AssertStepMatches(Generator.Default, step, what);
        }
    }

    [Fact]
    public void Avx512DrawsAsAvx2()
    {
        // PyTorch 1.13 registers no AVX-512 normal_ kernel (AVX2's serves) and its AVX-512 uniform_ fuses like AVX2's.
        float[] Draw(CpuCapability c)
        {
            using var scope = new CapabilityScope(c);
            Torch.ManualSeed(3);
            return [.. Torch.Randn(100).ToArray<float>(), .. Torch.Empty(50).Uniform_(-0.37, 1.3).ToArray<float>()];
        }
        Assert.Equal(Draw(CpuCapability.Avx2), Draw(CpuCapability.Avx512));
        Assert.NotEqual(Draw(CpuCapability.Avx2), Draw(CpuCapability.Default));
    }

    [Fact]
    public void SetCpuCapabilityIsReadBack()
    {
        using var scope = new CapabilityScope(CpuCapability.Avx2);
        Assert.Equal(CpuCapability.Avx2, Torch.CpuCapability);
        Torch.SetCpuCapability(CpuCapability.Default);
        Assert.Equal(CpuCapability.Default, Torch.CpuCapability);
        Assert.Throws<ArgumentOutOfRangeException>(() => Torch.SetCpuCapability((CpuCapability)7));
    }

    // The steps gen_rng_capability.py adds to gen_rng.py's ops; null for a gen_rng op.
    private static double[]? Draw(JsonElement step)
    {
        switch (step.GetProperty("op").GetString())
        {
            case "init":
                var t = Torch.Empty([.. step.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64())]);
                Init(t, step.GetProperty("init").GetString()!, step.GetProperty("args"));
                return t.ToArray<double>();
            case "linear":
                var linear = new Linear(step.GetProperty("in").GetInt64(), step.GetProperty("out").GetInt64());
                return [.. linear.Weight.ToArray<double>(), .. linear.Bias!.ToArray<double>()];
            case "conv2d":
                var conv = new Conv2d(step.GetProperty("in").GetInt64(), step.GetProperty("out").GetInt64(), (int)step.GetProperty("k").GetInt64());
                return [.. conv.Weight.ToArray<double>(), .. conv.Bias!.ToArray<double>()];
            case "dropout":
                return F.Dropout(Torch.Ones(step.GetProperty("n").GetInt64()), step.GetProperty("p").GetDouble(), training: true).ToArray<double>();
            case "strided":
                var dtype = step.GetProperty("dtype").GetString() == "float64" ? DType.Float64 : DType.Float32;
                var baseTensor = Torch.Empty([step.GetProperty("n").GetInt64(), 2], dtype);
                double[] a = [.. step.GetProperty("args").EnumerateArray().Select(e => e.GetDouble())];
                _ = step.GetProperty("fill").GetString() switch
                {
                    "normal" => baseTensor.T().Normal_(a[0], a[1]),
                    "uniform" => baseTensor.T().Uniform_(a[0], a[1]),
                    _ => baseTensor.T().Bernoulli_(a[0]),
                };
                return baseTensor.ToArray<double>();
            default:
                return null;
        }
    }

    private static void Init(Tensor t, string name, JsonElement args)
    {
        double Arg(string key, double fallback) => args.TryGetProperty(key, out var v) ? v.GetDouble() : fallback;
        switch (name)
        {
            case "uniform": NN.Init.Uniform_(t, Arg("a", 0), Arg("b", 1)); break;
            case "normal": NN.Init.Normal_(t, Arg("mean", 0), Arg("std", 1)); break;
            case "kaiming_uniform": NN.Init.KaimingUniform_(t, a: Arg("a", 0)); break;
            case "kaiming_normal": NN.Init.KaimingNormal_(t, a: Arg("a", 0)); break;
            case "xavier_uniform": NN.Init.XavierUniform_(t, Arg("gain", 1)); break;
            case "xavier_normal": NN.Init.XavierNormal_(t, Arg("gain", 1)); break;
            case "trunc_normal": NN.Init.TruncNormal_(t, Arg("mean", 0), Arg("std", 1), Arg("a", -2), Arg("b", 2)); break;
            case "orthogonal": NN.Init.Orthogonal_(t, Arg("gain", 1)); break;
            default: Assert.Fail($"unknown init '{name}'"); break;
        }
    }

    // orthogonal_ factorises with LAPACK in PyTorch and a Householder QR in double here: its draws are exact, its values close.
    private static void AssertValues(JsonElement step, double[] values, string what)
    {
        if (step.TryGetProperty("init", out var init) && init.GetString() == "orthogonal")
        {
            var want = step.GetProperty("expected").EnumerateArray().Select(e => e.GetDouble()).ToArray();
            Assert.Equal(want.Length, values.Length);
            for (int i = 0; i < want.Length; i++)
                Assert.True(Math.Abs(want[i] - values[i]) <= 1e-5, $"{what}: [{i}] PyTorch {want[i]:R}, Nabla {values[i]:R}");
            return;
        }
        GeneratorTests.AssertFloats(step.GetProperty("expected"), values, what);
    }
}
