using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Attention;

/// <summary>
/// MultiheadAttention and the Transformer modules against the reference PyTorch (gen_attention.py, "mha" and "transformer"): init after
/// ManualSeed bit for bit, repr and state keys, outputs and attention weights, gradients of inputs and parameters, and a PyTorch state
/// dict loaded strictly into a module built from another seed.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class AttentionModuleParityTests
{
    public static TheoryData<string, string> CaseNames()
    {
        var data = new TheoryData<string, string>();
        foreach (var group in new[] { "mha", "transformer" })
            foreach (var name in AttentionGoldenCase.Names(group)) data.Add(group, name);
        return data;
    }

    private static (Module Module, AttentionGoldenCase Golden, AttentionModuleCases.Case Case) Build(string group, string name, long? seed = null)
    {
        var golden = new AttentionGoldenCase(group, name);
        var c = AttentionModuleCases.For(group, name);
        Torch.ManualSeed(seed ?? golden.Seed);
        var module = c.Build();
        module.Train(golden.Golden.GetProperty("train").GetBoolean());
        return (module, golden, c);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void InitReprAndStateKeysArePyTorchs(string group, string name)
    {
        var (module, golden, _) = Build(group, name);
        Assert.Equal(golden.Golden.GetProperty("repr").GetString(), module.ToString());
        var expected = golden.State();
        var state = module.StateDict();
        Assert.Equal(expected.Select(e => e.Key), state.Keys);
        foreach (var (key, value) in expected) TensorAssert.Equal(value, state[key], $"{golden.Name}: {key}");
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void ForwardAndBackwardMatchPyTorch(string group, string name)
    {
        var (module, golden, c) = Build(group, name);
        var inputs = golden.Inputs();
        if (golden.ForwardSeed is { } seed) Torch.ManualSeed(seed);
        var outputs = c.Forward(module, inputs);
        golden.AssertOutputs(outputs);
        golden.AssertGradients(outputs, inputs, module);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void PyTorchStateDictLoadsStrictlyAndGivesItsOutputs(string group, string name)
    {
        var (module, golden, c) = Build(group, name, seed: 12345);
        var result = module.LoadStateDict(golden.State(), strict: true);
        Assert.Empty(result.MissingKeys);
        Assert.Empty(result.UnexpectedKeys);
        if (golden.ForwardSeed is { } seed) Torch.ManualSeed(seed);
        golden.AssertOutputs(c.Forward(module, golden.Inputs()));
    }
}
