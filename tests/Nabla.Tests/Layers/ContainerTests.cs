using System.Text.Json;
using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Layers;

/// <summary>
/// Sequential, ModuleList and ModuleDict in a model with buffers (persistent and not) and nested modules: PyTorch's keys, names,
/// order and repr (gen_layers.py "containers"); and the container and Module conveniences.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class ContainerTests
{
    // nn.ReLU comes with the activations on another branch; this stand-in has its name and forward.
    private sealed class ReLU : Module
    {
        public override Tensor Forward(Tensor input) => input.Relu();
    }

    private sealed class Block : Module
    {
        public Conv2d conv = new(2, 2, 3, padding: 1);
        public BatchNorm2d bn = new(2);

        public Block()
        {
            RegisterBuffer("scale", Torch.Ones(1));
            RegisterBuffer("cache", Torch.Zeros(2), persistent: false);
        }

        public override Tensor Forward(Tensor x) => bn.Call(conv.Call(x)) * GetBuffer("scale")! + x;
    }

    // The script's Mixed model, attribute for attribute in the same order.
    private sealed class Mixed : Module
    {
        public Sequential stem = new(new OrderedDictionary<string, Module> { ["conv"] = new Conv2d(1, 2, 3), ["act"] = new ReLU(), ["pool"] = new MaxPool2d(2) });
        public ModuleList blocks = new(new Block(), new Block());
        public ModuleDict heads = new() { ["cls"] = new Linear(8, 3), ["aux"] = new Sequential(new Flatten(), new Dropout(0.1), new Linear(8, 2)) };
        public ModuleList repeat = new(new Linear(3, 3), new Linear(3, 3), new Linear(3, 3), new Identity());
        public LayerNorm norm;

        public Mixed()
        {
            RegisterBuffer("step", Torch.Tensor(0L));
            norm = new LayerNorm(3);
        }

        public override Tensor Forward(Tensor x)
        {
            x = stem.Call(x);
            foreach (var b in blocks) x = b.Call(x);
            var y = heads["cls"].Call(x.Flatten(1));
            foreach (var m in repeat) y = m.Call(y);
            return norm.Call(y) + heads["aux"].Call(x).Sum([1], keepdim: true);
        }
    }

    private static JsonElement Golden => Goldens.Load("layers").GetProperty("containers");

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public void MixedModelHasPyTorchsReprKeysNamesAndOrder()
    {
        Torch.ManualSeed(21);
        var model = new Mixed();
        Assert.Equal(Golden.GetProperty("repr").GetString(), model.ToString());
        Assert.Equal(Strings(Golden.GetProperty("state_keys")), model.StateDict().Keys);
        Assert.Equal(Strings(Golden.GetProperty("named_parameters")), model.NamedParameters().Select(p => p.Name));
        Assert.Equal(Strings(Golden.GetProperty("named_buffers")), model.NamedBuffers().Select(b => b.Name));
        var modules = Golden.GetProperty("named_modules").EnumerateArray().Select(e => (e[0].GetString()!, e[1].GetString()!)).ToArray();
        Assert.Equal(modules, model.NamedModules().Select(m => (m.Name, m.Module.GetType().Name)));
    }

    [Fact]
    public void MixedModelInitAndEvalOutputMatchPyTorch()
    {
        Torch.ManualSeed(21);
        var model = new Mixed();
        var state = model.StateDict();
        foreach (var p in Golden.GetProperty("state").EnumerateObject())
            TensorAssert.Equal(Goldens.Tensor(p.Value), state[p.Name], p.Name);
        model.Eval();
        var x = Torch.Randn(2, 1, 6, 6);
        TensorAssert.Equal(Goldens.Tensor(Golden.GetProperty("input")), x);
        TensorAssert.Close(Goldens.Tensor(Golden.GetProperty("eval_output")), model.Call(x), 1e-5, 2e-6);
    }

    [Fact]
    public void ModuleListCollapsesRepeatsAsPyTorch2()
    {
        Assert.Equal(Golden.GetProperty("sequential_repr").GetString(), new Sequential(new Linear(2, 2), new Linear(2, 2)).ToString());
        var list = new ModuleList(new Linear(2, 2), new Linear(2, 2), new Linear(2, 2), new Linear(2, 3), new Linear(2, 2));
        Assert.Equal(Golden.GetProperty("modulelist_repr").GetString(), list.ToString());
        Assert.Equal(Golden.GetProperty("empty_modulelist_repr").GetString(), new ModuleList().ToString());
    }

    [Fact]
    public void SequentialIndexesSlicesAppendsAndChains()
    {
        var a = new Linear(2, 3);
        var b = new Identity();
        var c = new Linear(3, 1);
        var seq = new Sequential(a, b);
        Assert.Same(a, seq[0]);
        Assert.Same(b, seq[^1]);
        Assert.Same(b, seq[-1]);
        seq.Append(c);
        Assert.Equal(3, seq.Count);
        Assert.Equal([a, b, c], seq.ToArray());
        var tail = seq[1..];
        Assert.Equal(["1", "2"], tail.NamedChildren().Select(n => n.Name));
        Assert.Same(c, tail[1]);
        var x = Torch.Randn(4, 2);
        TensorAssert.Equal(c.Call(a.Call(x)), seq.Call(x));
        seq[1] = new Flatten();
        Assert.Equal("Flatten", seq[1].GetType().Name);
        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias"], seq.StateDict().Keys);
    }

    [Fact]
    public void ModuleListInsertRemoveRenumbersKeys()
    {
        var list = new ModuleList(new Linear(1, 1), new Linear(1, 2));
        list.Insert(0, new Linear(1, 3));
        Assert.Equal([3L, 1L, 2L], list.Select(m => ((Linear)m).OutFeatures));
        Assert.Equal(["0.weight", "0.bias", "1.weight", "1.bias", "2.weight", "2.bias"], list.StateDict().Keys);
        list.RemoveAt(1);
        Assert.Equal([3L, 2L], list.Select(m => ((Linear)m).OutFeatures));
        Assert.Equal(["0", "1"], list.NamedChildren().Select(c => c.Name));
        Assert.Throws<InvalidOperationException>(() => list.Call(Torch.Randn(1)));
    }

    [Fact]
    public void ModuleDictKeepsInsertionOrderAndPops()
    {
        var dict = new ModuleDict { ["b"] = new Linear(1, 1), ["a"] = new Identity() };
        dict["c"] = new Flatten();
        Assert.Equal(["b", "a", "c"], dict.Keys);
        Assert.True(dict.ContainsKey("a"));
        Assert.Equal("Identity", dict.Pop("a").GetType().Name);
        Assert.Equal(["b", "c"], dict.Select(kv => kv.Key));
        Assert.Throws<KeyNotFoundException>(() => dict["a"]);
    }

    [Fact]
    public void ApplyVisitsChildrenBeforeParents()
    {
        var inner = new Sequential(new Linear(1, 1));
        var outer = new Sequential(inner, new Identity());
        var order = new List<string>();
        outer.Apply(m => order.Add(m.GetType().Name));
        Assert.Equal(["Linear", "Sequential", "Identity", "Sequential"], order);
        // The usual use: custom init.
        outer.Apply(m => { if (m is Linear l) Init.Constant_(l.Weight, 0.5); });
        Assert.Equal(0.5f, ((Linear)inner[0]).Weight.Item<float>());
    }

    [Fact]
    public void ToFloat64KeepsParameterIdentityAndConvertsFloatBuffersOnly()
    {
        var model = new Sequential(new Conv2d(1, 2, 3), new BatchNorm2d(2));
        var weight = ((Conv2d)model[0]).Weight;
        var bn = (BatchNorm2d)model[1];
        model.Call(Torch.Randn(2, 1, 5, 5)).Sum().Backward();
        model.To(DType.Float64);
        Assert.Same(weight, ((Conv2d)model[0]).Weight);
        Assert.Equal(DType.Float64, weight.DType);
        Assert.Equal(DType.Float64, weight.Grad!.DType);
        Assert.True(weight.RequiresGrad && weight.IsLeaf);
        Assert.Equal(DType.Float64, bn.RunningVar!.DType);
        Assert.Equal(DType.Int64, bn.NumBatchesTracked!.DType);
        var y = model.Call(Torch.Randn([2, 1, 5, 5], DType.Float64));
        Assert.Equal(DType.Float64, y.DType);
        Assert.All(model.StateDict().Values.Where(v => v.DType != DType.Int64), v => Assert.Equal(DType.Float64, v.DType));
    }

    [Fact]
    public void RequiresGradFalseFreezesEveryParameter()
    {
        var model = new Sequential(new Linear(2, 2), new LayerNorm(2));
        model.RequiresGrad_(false);
        Assert.All(model.Parameters(), p => Assert.False(p.RequiresGrad));
        var x = Torch.Randn([3, 2], requiresGrad: true);
        model.Call(x).Sum().Backward();
        Assert.NotNull(x.Grad);
        Assert.All(model.Parameters(), p => Assert.Null(p.Grad));
    }
}
