using System.Text.Json;
using Nabla.Autograd;
using Xunit;

namespace Nabla.Tests.FunctionalParity;

/// <summary>
/// Every case of goldens/functional.json (tests/goldens/gen_functional.py): forward values, gradients of
/// sum(out * w) for each input that requires grad, and grad_fn names equal PyTorch's; and a float64 gradcheck.
/// </summary>
public class FunctionalParityTests
{
    private static readonly Tolerance s_default = new(1e-5, 1e-6, "float32 within 1e-5 relative");

    private static JsonElement Golden => Goldens.Load("functional");

    internal static JsonElement Case(string name) => Golden.GetProperty("cases").EnumerateArray().First(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> CaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden.GetProperty("cases").EnumerateArray()) data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    public static TheoryData<string> DifferentiableCaseNames()
    {
        var data = new TheoryData<string>();
        foreach (var c in Golden.GetProperty("cases").EnumerateArray())
            if (c.GetProperty("inputs").EnumerateArray().Any(i => i.GetProperty("requires_grad").GetBoolean())
                && FunctionalCases.Cases.Contains(c.GetProperty("name").GetString()!)
                && FunctionalCases.Cases[c.GetProperty("name").GetString()!].NoGradCheck is null)
                data.Add(c.GetProperty("name").GetString()!);
        return data;
    }

    internal static Tensor[] Inputs(JsonElement c, DType? floatType = null) => c.GetProperty("inputs").EnumerateArray().Select(i =>
    {
        var t = Goldens.Tensor(i);
        if (floatType is { } f && t.DType.IsFloatingPoint()) t = t.To(f);
        if (i.GetProperty("requires_grad").GetBoolean()) t.RequiresGrad = true;
        return t;
    }).ToArray();

    [Fact]
    public void EveryGoldenCaseHasAnEvaluationAndEveryEvaluationAGoldenCase()
    {
        var golden = Golden.GetProperty("cases").EnumerateArray().Select(c => c.GetProperty("name").GetString()!).ToHashSet();
        var missing = golden.Where(n => !FunctionalCases.Cases.Contains(n)).ToArray();
        var extra = FunctionalCases.Cases.Names.Where(n => !golden.Contains(n)).ToArray();
        Assert.True(missing.Length == 0, "no C# evaluation for: " + string.Join(", ", missing));
        Assert.True(extra.Length == 0, "no golden case for: " + string.Join(", ", extra));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void MatchesPyTorchForwardBackwardAndGradFn(string name)
    {
        var c = Case(name);
        var op = FunctionalCases.Cases[name];
        var tol = op.Tolerance ?? s_default;
        bool exact = c.GetProperty("exact").GetBoolean();
        var inputs = Inputs(c);
        var outputs = op.Run(inputs);
        var expected = c.GetProperty("outputs").EnumerateArray().Select(Goldens.Tensor).ToArray();
        var gradFns = c.GetProperty("grad_fns").EnumerateArray().Select(g => g.ValueKind == JsonValueKind.Null ? null : g.GetString()).ToArray();
        Assert.Equal(expected.Length, outputs.Length);
        Tensor? total = null;
        var weights = c.GetProperty("weights").EnumerateArray().ToArray();
        for (int o = 0; o < outputs.Length; o++)
        {
            if (exact || !expected[o].DType.IsFloatingPoint()) TensorAssert.Equal(expected[o], outputs[o], $"{name} output {o}");
            else TensorAssert.Close(expected[o], outputs[o], tol.Rtol, tol.Atol, $"{name} output {o} ({tol.Reason})");
            Assert.True(gradFns[o] == outputs[o].GradFn?.Name, $"{name} output {o}: grad_fn {outputs[o].GradFn?.Name ?? "None"}, PyTorch {gradFns[o] ?? "None"}");
            if (weights[o].ValueKind == JsonValueKind.Null) continue;
            var s = (outputs[o] * Goldens.Tensor(weights[o])).Sum();
            total = total is null ? s : total + s;
        }
        total?.Backward();
        var grads = c.GetProperty("grads").EnumerateArray().ToArray();
        for (int i = 0; i < inputs.Length; i++)
        {
            if (grads[i].ValueKind == JsonValueKind.Null) continue;
            Assert.True(inputs[i].Grad is not null, $"{name}: input {i} got no gradient");
            TensorAssert.Close(Goldens.Tensor(grads[i]), inputs[i].Grad!, tol.Rtol, tol.Atol, $"{name} grad of input {i} ({tol.Reason})");
        }
    }

    [Theory]
    [MemberData(nameof(DifferentiableCaseNames))]
    public void BackwardMatchesFiniteDifferencesInFloat64(string name)
    {
        var op = FunctionalCases.Cases[name];
        Assert.True(GradCheck.Check(op.Run, Inputs(Case(name), DType.Float64)));
    }

    [Theory]
    [MemberData(nameof(DifferentiableCaseNames))]
    public void SecondDerivativeMatchesFiniteDifferencesInFloat64(string name)
    {
        var op = FunctionalCases.Cases[name];
        Assert.True(GradGradCheck.Check(op.Run, Inputs(Case(name), DType.Float64)));
    }
}
