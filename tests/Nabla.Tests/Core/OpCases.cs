using System.Text.Json;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>The "ops" cases of goldens/core.json (tests/goldens/gen_core.py), run through <see cref="OpTable"/>.</summary>
internal static class OpCases
{
    public static JsonElement Core => Goldens.Load("core");

    private static readonly Lazy<Dictionary<string, JsonElement>> s_cases = new(() =>
        Core.GetProperty("ops").EnumerateArray().ToDictionary(c => c.GetProperty("name").GetString()!));

    public static JsonElement Get(string name) => s_cases.Value[name];

    /// <summary>Case names for a theory, filtered.</summary>
    public static TheoryData<string> Names(Func<JsonElement, bool> where)
    {
        var data = new TheoryData<string>();
        foreach (var (name, c) in s_cases.Value)
            if (where(c)) data.Add(name);
        return data;
    }

    public static string Op(JsonElement c) => c.GetProperty("op").GetString()!;
    public static bool IsIndexing(JsonElement c) => Op(c).StartsWith("index", StringComparison.Ordinal);
    public static bool HasGrads(JsonElement c) => c.GetProperty("gout").ValueKind != JsonValueKind.Null;

    /// <summary>The leaf tensors (requiring grad where the case says) and the inputs seen through each case's view.</summary>
    public static (Tensor[] Leaves, Tensor[] Inputs) Inputs(JsonElement c, DType? floatAs = null)
    {
        var specs = c.GetProperty("inputs").EnumerateArray().ToArray();
        var leaves = new Tensor[specs.Length];
        var inputs = new Tensor[specs.Length];
        for (int i = 0; i < specs.Length; i++)
        {
            var leaf = Goldens.Tensor(specs[i].GetProperty("value"));
            if (floatAs is { } f && leaf.DType.IsFloatingPoint()) leaf = leaf.To(f);
            if (specs[i].GetProperty("grad").GetBoolean()) leaf.RequiresGrad = true;
            leaves[i] = leaf;
            inputs[i] = ApplyView(leaf, specs[i].GetProperty("view"));
        }
        return (leaves, inputs);
    }

    /// <summary>The views the script uses to make inputs non-contiguous: "t" (swap the last two dims) and "step" (every other element of the last dim).</summary>
    public static Tensor ApplyView(Tensor t, JsonElement view) => view.ValueKind == JsonValueKind.Null ? t : view.GetString() switch
    {
        "t" => t.Transpose(-2, -1),
        "step" => t[TensorIndex.Ellipsis, TensorIndex.Slice(null, null, 2)],
        var v => throw new ArgumentException($"unknown view {v}"),
    };

    public static Tensor[] Run(JsonElement c, Tensor[] inputs) => OpTable.Ops[Op(c)](inputs, new OpArgs(c.GetProperty("args")));

    public static Tensor[] Expected(JsonElement c) => c.GetProperty("outputs").EnumerateArray().Select(Goldens.Tensor).ToArray();

    /// <summary>
    /// Bit-exact where the script marks the op as one IEEE operation per element, else within 1e-6 relative (float32
    /// sums: within the case's "atol", a bound from the magnitudes summed).
    /// </summary>
    public static void AssertClose(JsonElement c, Tensor expected, Tensor actual, string context)
    {
        double atol = c.TryGetProperty("atol", out var a) && a.ValueKind == JsonValueKind.Number ? a.GetDouble() : 1e-6;
        if (c.GetProperty("exact").GetBoolean()) TensorAssert.Equal(expected, actual, context);
        else if (expected.DType == DType.Float64) TensorAssert.Close(expected, actual, 1e-12, 1e-12, context);
        else TensorAssert.Close(expected, actual, 1e-6, atol, context);
    }
}
