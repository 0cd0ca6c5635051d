using System.Text.Json;
using Nabla.Optim;
using Xunit;
using static Nabla.Tests.Optim.OptimGoldens;

namespace Nabla.Tests.Optim;

/// <summary>Every optimizer config against PyTorch 1.13's single-tensor updates (goldens/optim.json).</summary>
public class OptimizerTrajectoryTests
{
    [Fact]
    public void EveryGoldenConfigHasACSharpConfig()
    {
        var missing = Names().Select(n => (string)n[0]).Where(n => !Configs.ContainsKey(n)).ToList();
        Assert.Empty(missing);
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(OptimGoldens))]
    public void StepsMatchPyTorchBitForBitGivenItsGradients(string name)
    {
        var run = Run(name);
        var ps = InitialParams();
        var opt = Configs[name](ps);
        int steps = run.GetProperty("steps").GetArrayLength();
        for (int k = 0; k < steps; k++)
        {
            SetGrads(ps, GradsAt(run, k));
            opt.Step();
            AssertParams(ParamsAfter(run, k), ps, $"{name} step {k + 1}", exact: true);
        }
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(OptimGoldens))]
    public void TrainingWithNablaGradientsTracksPyTorch(string name)
    {
        var run = Run(name);
        var ps = InitialParams();
        var opt = Configs[name](ps);
        int steps = run.GetProperty("steps").GetArrayLength();
        for (int k = 0; k < steps; k++)
        {
            opt.ZeroGrad();
            var loss = Loss(ps);
            double expectedLoss = run.GetProperty("steps")[k].GetProperty("loss").GetDouble();
            Assert.True(Math.Abs(loss.Item<float>() - expectedLoss) <= 1e-6 * expectedLoss, $"{name} step {k + 1}: loss {loss.Item<float>()} != {expectedLoss}");
            loss.Backward();
            opt.Step();
            AssertParams(ParamsAfter(run, k), ps, $"{name} step {k + 1}", exact: false);
        }
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(OptimGoldens))]
    public void StateDictHasPyTorchsKeysAndValues(string name)
    {
        var run = Run(name);
        var ps = InitialParams();
        var opt = Configs[name](ps);
        int steps = run.GetProperty("steps").GetArrayLength();
        for (int k = 0; k < steps; k++)
        {
            if (k == Mid) StateDictAssert.Equal(run.GetProperty("state_dict_mid"), opt.StateDict(), $"{name} after {Mid} steps");
            SetGrads(ps, GradsAt(run, k));
            opt.Step();
        }
        StateDictAssert.Equal(run.GetProperty("state_dict"), opt.StateDict(), name);
    }

    [Theory]
    [MemberData(nameof(Names), MemberType = typeof(OptimGoldens))]
    public void LoadStateDictIntoAFreshOptimizerContinuesTheRunExactly(string name)
    {
        var run = Run(name);
        var ps = InitialParams();
        var opt = Configs[name](ps);
        for (int k = 0; k < Mid; k++)
        {
            SetGrads(ps, GradsAt(run, k));
            opt.Step();
        }
        var saved = opt.StateDict();
        var qs = ps.Select(p => p.Detach().Clone().RequiresGrad_()).ToArray();
        var resumed = Configs[name](qs);
        resumed.LoadStateDict(saved);
        // The loaded state is a copy: stepping the original must not move the resumed one.
        SetGrads(ps, GradsAt(run, Mid));
        opt.Step();
        int steps = run.GetProperty("steps").GetArrayLength();
        for (int k = Mid; k < steps; k++)
        {
            SetGrads(qs, GradsAt(run, k));
            resumed.Step();
            AssertParams(ParamsAfter(run, k), qs, $"{name} resumed step {k + 1}", exact: true);
        }
    }

    internal static void SetGrads(Tensor[] ps, Tensor[] grads)
    {
        for (int i = 0; i < ps.Length; i++) ps[i].Grad = grads[i];
    }

    private static void AssertParams(Tensor[] expected, Tensor[] actual, string context, bool exact)
    {
        for (int i = 0; i < expected.Length; i++)
        {
            if (exact) TensorAssert.Equal(expected[i], actual[i].Detach(), $"{context}, param {i}");
            else TensorAssert.Close(expected[i], actual[i].Detach(), rtol: 1e-6, atol: 1e-7, $"{context}, param {i}");
        }
    }
}

/// <summary>Compares an <see cref="OptimizerStateDict"/> with PyTorch's state_dict() as gen_optim.py wrote it.</summary>
public static class StateDictAssert
{
    public static void Equal(JsonElement expected, OptimizerStateDict actual, string context)
    {
        var state = expected.GetProperty("state").EnumerateObject().ToList();
        Assert.Equal(state.Select(s => long.Parse(s.Name)), actual.State.Keys);
        foreach (var s in state)
        {
            var a = actual.State[long.Parse(s.Name)];
            Assert.Equal(s.Value.EnumerateObject().Select(e => e.Name), a.Keys);
            foreach (var e in s.Value.EnumerateObject()) Value(e.Value, a[e.Name], $"{context}: state[{s.Name}][{e.Name}]");
        }
        var groups = expected.GetProperty("param_groups").EnumerateArray().ToList();
        Assert.Equal(groups.Count, actual.ParamGroups.Count);
        for (int g = 0; g < groups.Count; g++)
        {
            Assert.Equal(groups[g].EnumerateObject().Select(e => e.Name), actual.ParamGroups[g].Keys);
            foreach (var e in groups[g].EnumerateObject()) Value(e.Value, actual.ParamGroups[g][e.Name], $"{context}: param_groups[{g}][{e.Name}]");
        }
    }

    private static void Value(JsonElement e, object? a, string context)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Null: Assert.True(a is null, $"{context}: {a} != None"); break;
            case JsonValueKind.True or JsonValueKind.False: Assert.Equal(e.GetBoolean(), Assert.IsType<bool>(a)); break;
            // A Python int: PyTorch's integer defaults (momentum=0) are doubles in C#; RMSprop's integer step is a long.
            case JsonValueKind.Number: Assert.True(a is long or double, $"{context}: {a?.GetType().Name} is not a number"); Assert.Equal(e.GetDouble(), Convert.ToDouble(a)); break;
            case JsonValueKind.Array:
                var items = e.EnumerateArray().ToList();
                var list = a switch
                {
                    ValueTuple<double, double> pair => new List<object?> { pair.Item1, pair.Item2 },
                    System.Collections.IEnumerable xs => xs.Cast<object?>().ToList(),
                    _ => throw new Xunit.Sdk.XunitException($"{context}: {a} is not a list"),
                };
                Assert.Equal(items.Count, list.Count);
                for (int i = 0; i < items.Count; i++) Value(items[i], list[i], $"{context}[{i}]");
                break;
            default:
                if (e.TryGetProperty("tensor", out var t)) TensorAssert.Equal(Goldens.Tensor(t), Assert.IsAssignableFrom<Tensor>(a), context);
                else Assert.Equal(e.GetProperty("float").GetDouble(), Assert.IsType<double>(a));
                break;
        }
    }
}
