using System.Text.Json;
using Nabla.NN;
using SeedExperiment;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>
/// Module registration, enumeration order, state dicts and reprs against PyTorch (goldens/core.json "modules",
/// "load_state_dict", "linear_init"); the classes mirror those in tests/goldens/gen_core.py.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class ModuleTests
{
    private static readonly Dictionary<string, Func<Module>> Modules = new()
    {
        ["ExperimentModel"] = () => new ExperimentModel(),
        ["ExperimentModel2"] = () => new ExperimentModel2(),
        ["CustomLinear"] = () => new CustomLinear(3, 2),
        ["Net"] = () => new Net(),
        ["Block"] = () => new Block(),
        ["Empty"] = () => new Empty(),
        ["Linear"] = () => new Linear(3, 2),
        ["LinearNoBias"] = () => new Linear(3, 2, bias: false),
    };

    public static TheoryData<string> ModuleNames() => [.. Modules.Keys];

    private static JsonElement Golden(string name) => OpCases.Core.GetProperty("modules").GetProperty(name);

    // [["fc.weight", [2, 3], "float32"], ...] as "fc.weight [2, 3] float32".
    private static List<string> Pairs(JsonElement e) => e.EnumerateArray().Select(p => string.Join(" ", p.EnumerateArray().Select(Text))).ToList();

    private static string Text(JsonElement v) => v.ValueKind == JsonValueKind.Array ? "[" + string.Join(", ", v.EnumerateArray().Select(Text)) + "]" : v.ToString();

    private static string Shape(Tensor t) => "[" + string.Join(", ", t.Shape) + "]";

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void NamesOrderAndShapesMatchPyTorch(string name)
    {
        var golden = Golden(name);
        var m = Modules[name]();
        Assert.Equal(Pairs(golden.GetProperty("named_parameters")), m.NamedParameters().Select(p => $"{p.Name} {Shape(p.Parameter)}"));
        Assert.Equal(Pairs(golden.GetProperty("named_buffers")), m.NamedBuffers().Select(b => $"{b.Name} {Shape(b.Buffer)}"));
        Assert.Equal(Pairs(golden.GetProperty("state_dict")),
            m.StateDict().Select(kv => $"{kv.Key} {Shape(kv.Value)} {kv.Value.DType.ToString().ToLowerInvariant()}"));
        Assert.Equal(Pairs(golden.GetProperty("named_modules")), m.NamedModules().Select(x => $"{x.Name} {x.Module.GetType().Name}"));
        Assert.Equal(Pairs(golden.GetProperty("named_children")), m.NamedChildren().Select(x => $"{x.Name} {x.Module.GetType().Name}"));
        Assert.Equal(golden.GetProperty("parameter_count").GetInt32(), m.Parameters().Count());
        Assert.Equal(m.NamedModules().Select(x => x.Module), m.Modules());
        Assert.Equal(m.NamedChildren().Select(x => x.Module), m.Children());
        Assert.Equal(m.NamedBuffers().Select(x => x.Buffer), m.Buffers());
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void ReprMatchesPyTorch(string name) => Assert.Equal(Golden(name).GetProperty("repr").GetString(), Modules[name]().ToString());

    [Fact]
    public void PlainTensorFieldIsNotRegisteredEvenWhenItRequiresGrad()
    {
        var m = new ExperimentModel2();
        Assert.True(m.my_tensor.RequiresGrad);
        Assert.DoesNotContain(m.Parameters(), p => ReferenceEquals(p, m.my_tensor));
        Assert.DoesNotContain(m.Buffers(), b => ReferenceEquals(b, m.my_tensor));
        Assert.Same(m.my_param, m.Parameters().Single());
    }

    [Fact]
    public void FieldsAssignedLaterRegisterWithoutAnyCall()
    {
        var net = new Net();
        Assert.Same(net.fc1.Weight, net.NamedParameters().First(p => p.Name == "fc1.weight").Parameter);
        net.temp = new Parameter(Torch.Full([1], 5.0));
        Assert.Equal(5f, net.StateDict()["temp"].Item<float>()); // the current field value, not the first one
    }

    [Fact]
    public void ExplicitRegistrationAndLookup()
    {
        var m = new Empty();
        var lin = new Linear(2, 3);
        m.RegisterModule("body", lin);
        m.RegisterParameter("alpha", new Parameter(Torch.Ones(1)));
        m.RegisterBuffer("count", Torch.Tensor(0L));
        Assert.Equal(["alpha", "count", "body.weight", "body.bias"], m.StateDict().Keys);
        Assert.Same(lin, m.GetSubmodule("body"));
        Assert.NotNull(m.GetParameter("alpha"));
        Assert.NotNull(m.GetBuffer("count"));
        Assert.Throws<ArgumentException>(() => m.RegisterBuffer("alpha", Torch.Zeros(1)));
        Assert.Throws<ArgumentException>(() => m.RegisterParameter("a.b", null));
    }

    [Fact]
    public void StateDictSharesStorageAndLoadCopiesValues()
    {
        var a = new Net();
        var b = new Net();
        var sd = a.StateDict();
        using (Torch.NoGrad()) a.fc1.Weight.Fill_(0.5);
        Assert.All(sd["fc1.weight"].ToArray<float>(), v => Assert.Equal(0.5f, v));
        Assert.False(sd["fc1.weight"].RequiresGrad);
        var result = b.LoadStateDict(a.StateDict());
        Assert.Equal(OpCases.Core.GetProperty("load_state_dict").GetProperty("full").GetString(), result.ToString());
        Assert.All(b.fc1.Weight.ToArray<float>(), v => Assert.Equal(0.5f, v));
        Assert.True(b.fc1.Weight.RequiresGrad);
        Assert.True(b.fc1.Weight.IsLeaf);
    }

    [Fact]
    public void NonStrictLoadReportsMissingAndUnexpectedKeys()
    {
        var net = new Net();
        var partial = net.StateDict().Where(kv => kv.Key != "head.weight").ToList();
        partial.Add(new("extra", Torch.Zeros(1)));
        var result = net.LoadStateDict(partial, strict: false);
        Assert.Equal(["head.weight"], result.MissingKeys);
        Assert.Equal(["extra"], result.UnexpectedKeys);
        Assert.Equal(OpCases.Core.GetProperty("load_state_dict").GetProperty("partial_non_strict").GetString(), result.ToString());
    }

    [Fact]
    public void TrainAndEvalReachEveryDescendant()
    {
        var net = new Net();
        Assert.True(net.Training);
        net.Eval();
        Assert.All(net.Modules(), m => Assert.False(m.Training));
        net.Train();
        Assert.All(net.Modules(), m => Assert.True(m.Training));
        net.block.Train(false);
        Assert.True(net.Training);
        Assert.False(net.block.fc.Training);
    }

    [Fact]
    public void ZeroGradSetsGradsToNullOrZero()
    {
        var lin = new Linear(3, 2);
        Functional.MseLoss(lin.Forward(Torch.Ones(4, 3)), Torch.Zeros(4, 2)).Backward();
        Assert.NotNull(lin.Weight.Grad);
        lin.ZeroGrad(setToNone: false);
        Assert.All(lin.Weight.Grad!.ToArray<float>(), v => Assert.Equal(0f, v));
        lin.ZeroGrad();
        Assert.Null(lin.Weight.Grad);
        Assert.Null(lin.Bias!.Grad);
    }

    [Fact]
    public void ParameterPrintsAsPyTorch()
    {
        var prints = OpCases.Core.GetProperty("prints");
        var a = Torch.Tensor(new[,] { { 0.5f, -1.25f, 2f }, { 3f, -0.8022f, 0.125f } });
        Assert.Equal(prints.GetProperty("parameter").GetString(), new Parameter(a.Clone()).ToString());
        Assert.Equal(prints.GetProperty("parameter_f64").GetString(), new Parameter(a.To(DType.Float64)).ToString());
        Assert.IsAssignableFrom<Tensor>(new Parameter(a));
    }

    public static TheoryData<int> LinearInitCases() => [.. Enumerable.Range(0, OpCases.Core.GetProperty("linear_init").GetArrayLength())];

    [Theory]
    [MemberData(nameof(LinearInitCases))]
    public void LinearDefaultInitIsPyTorchsBitForBit(int index)
    {
        var c = OpCases.Core.GetProperty("linear_init")[index];
        Torch.ManualSeed(c.GetProperty("seed").GetInt64());
        var lin = new Linear(c.GetProperty("in").GetInt64(), c.GetProperty("out").GetInt64(), bias: c.GetProperty("bias").GetBoolean());
        string context = $"seed {c.GetProperty("seed")} Linear({c.GetProperty("in")}, {c.GetProperty("out")})";
        TensorAssert.Equal(Goldens.Tensor(c.GetProperty("weight")), lin.Weight.Detach(), context + " weight");
        if (c.GetProperty("bias_value").ValueKind == JsonValueKind.Null) Assert.Null(lin.Bias);
        else TensorAssert.Equal(Goldens.Tensor(c.GetProperty("bias_value")), lin.Bias!.Detach(), context + " bias");
        TensorAssert.Equal(Goldens.Tensor(c.GetProperty("next")), Torch.Randn(3), context + " next draw");
        Assert.Equal(c.GetProperty("repr").GetString(), lin.ToString());
    }
}
