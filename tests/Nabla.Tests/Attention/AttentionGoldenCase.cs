using System.Text.Json;
using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Attention;

/// <summary>
/// One case of gen_attention.py: its inputs (floating ones require grad when the script took their gradient), the outputs PyTorch gave,
/// and the gradients of sum_i (out_i * w_i).sum() with respect to inputs and parameters.
/// </summary>
internal sealed class AttentionGoldenCase(string group, string name)
{
    // float32 within 1e-5 relative; the atol covers elements that land near zero after sums of products added in another order.
    private const double Rtol = 1e-5, Atol = 2e-6;

    public string Name { get; } = $"{group}/{name}";

    public JsonElement Golden { get; } = Goldens.Load("attention").GetProperty(group).GetProperty(name);

    public static TheoryData<string> Names(string group)
    {
        var data = new TheoryData<string>();
        foreach (var p in Goldens.Load("attention").GetProperty(group).EnumerateObject()) data.Add(p.Name);
        return data;
    }

    public long Seed => Golden.GetProperty("seed").GetInt64();

    public long? ForwardSeed => Golden.GetProperty("forward_seed") is { ValueKind: JsonValueKind.Number } s ? s.GetInt64() : null;

    /// <summary>Fresh input tensors by name; those with a golden gradient require grad.</summary>
    public Dictionary<string, Tensor> Inputs()
    {
        var grads = Golden.GetProperty("grads");
        var inputs = new Dictionary<string, Tensor>();
        foreach (var p in Golden.GetProperty("inputs").EnumerateObject())
        {
            var t = Goldens.Tensor(p.Value);
            if (grads.TryGetProperty(p.Name, out _)) t.RequiresGrad = true;
            inputs[p.Name] = t;
        }
        return inputs;
    }

    /// <summary>The state dict PyTorch had after the seed, in order.</summary>
    public List<KeyValuePair<string, Tensor>> State()
        => Golden.GetProperty("state").EnumerateArray().Select(e => KeyValuePair.Create(e[0].GetString()!, Goldens.Tensor(e[1]))).ToList();

    public void AssertOutputs(Tensor?[] outputs, double rtol = Rtol, double atol = Atol)
    {
        var expected = Golden.GetProperty("outputs").EnumerateArray().Select(Goldens.Tensor).ToArray();
        var actual = outputs.Where(o => o is not null).Select(o => o!).ToArray();
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++) TensorAssert.Close(expected[i], actual[i], rtol, atol, $"{Name}: output {i}");
    }

    /// <summary>Backward of sum_i (out_i * w_i).sum(), then every golden gradient against the input's or parameter's.</summary>
    public void AssertGradients(Tensor?[] outputs, Dictionary<string, Tensor> inputs, Module? module)
    {
        var weights = Golden.GetProperty("loss_weights").EnumerateArray().Select(Goldens.Tensor).ToArray();
        var actual = outputs.Where(o => o is not null).Select(o => o!).ToArray();
        Tensor loss = (actual[0] * weights[0]).Sum();
        for (int i = 1; i < actual.Length; i++) loss = loss + (actual[i] * weights[i]).Sum();
        loss.Backward();
        var parameters = module?.NamedParameters().ToDictionary(p => p.Name, p => p.Parameter) ?? [];
        foreach (var g in Golden.GetProperty("grads").EnumerateObject())
        {
            var got = inputs.TryGetValue(g.Name, out var input) ? input.Grad : parameters[g.Name].Grad;
            if (g.Value.ValueKind == JsonValueKind.Null) Assert.Null(got);
            else TensorAssert.Close(Goldens.Tensor(g.Value), got!, Rtol, Atol, $"{Name}: grad of {g.Name}");
        }
    }
}
