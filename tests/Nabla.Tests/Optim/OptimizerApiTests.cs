using Nabla.Optim;
using Xunit;

namespace Nabla.Tests.Optim;

/// <summary>The optimizer API around the update rules: groups, ZeroGrad, closures, checks and state-dict errors.</summary>
public class OptimizerApiTests
{
    private static Tensor P(params float[] values) => Torch.Tensor(values).RequiresGrad_();

    private static readonly Tensor[] P0 = [Torch.Zeros(2).RequiresGrad_()];

    /// <summary>The invalid configs of gen_optim.py's ERRORS, built in C#.</summary>
    private static readonly Dictionary<string, Action> Invalid = new()
    {
        ["SGD(lr=-1)"] = () => _ = new SGD(P0, lr: -1),
        ["SGD(lr=0.1, momentum=-0.5)"] = () => _ = new SGD(P0, lr: 0.1, momentum: -0.5),
        ["SGD(lr=0.1, nesterov=True)"] = () => _ = new SGD(P0, lr: 0.1, nesterov: true),
        ["Adam(lr=-1)"] = () => _ = new Adam(P0, lr: -1),
        ["Adam(eps=-0.001)"] = () => _ = new Adam(P0, eps: -0.001),
        ["Adam(betas=(1.5, 0.999))"] = () => _ = new Adam(P0, betas: (1.5, 0.999)),
        ["Adam(betas=(0.9, -0.5))"] = () => _ = new Adam(P0, betas: (0.9, -0.5)),
        ["AdamW(weight_decay=-0.5)"] = () => _ = new AdamW(P0, weightDecay: -0.5),
        ["RMSprop(alpha=-0.5)"] = () => _ = new RMSprop(P0, alpha: -0.5),
        ["RMSprop(momentum=-0.5)"] = () => _ = new RMSprop(P0, momentum: -0.5),
        ["Adagrad(lr_decay=-0.5)"] = () => _ = new Adagrad(P0, lrDecay: -0.5),
        ["Adagrad(initial_accumulator_value=-0.5)"] = () => _ = new Adagrad(P0, initialAccumulatorValue: -0.5),
        ["Adadelta(rho=1.5)"] = () => _ = new Adadelta(P0, rho: 1.5),
        ["Adamax(eps=-0.5)"] = () => _ = new Adamax(P0, eps: -0.5),
        ["NAdam(momentum_decay=-0.5)"] = () => _ = new NAdam(P0, momentumDecay: -0.5),
        ["RAdam(weight_decay=-0.5)"] = () => _ = new RAdam(P0, weightDecay: -0.5),
    };

    public static IEnumerable<object[]> InvalidNames() => Invalid.Keys.Select(k => new object[] { k });

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public void InvalidHyperParametersThrowPyTorchsMessage(string name)
    {
        var expected = Goldens.Load("optim").GetProperty("errors").GetProperty(name).GetString();
        Assert.Equal(expected, Assert.Throws<ArgumentException>(Invalid[name]).Message);
    }

    [Fact]
    public void LoadStateDictWithADifferentGroupCountThrows()
    {
        Tensor a = P(0, 0), b = P(0, 0);
        var saved = new SGD(new ParamGroup[] { new([a]), new([b]) }, lr: 0.1).StateDict();
        var e = Assert.Throws<ArgumentException>(() => new SGD([a, b], lr: 0.1).LoadStateDict(saved));
        Assert.Equal(Goldens.Load("optim").GetProperty("errors").GetProperty("load_state_dict(group count)").GetString(), e.Message);
    }

    [Fact]
    public void LoadStateDictWithADifferentGroupSizeThrows()
    {
        Tensor a = P(0, 0), b = P(0, 0), c = P(0, 0);
        var saved = new SGD([a, b], lr: 0.1).StateDict();
        var e = Assert.Throws<ArgumentException>(() => new SGD([a, b, c], lr: 0.1).LoadStateDict(saved));
        Assert.Equal(Goldens.Load("optim").GetProperty("errors").GetProperty("load_state_dict(group size)").GetString(), e.Message);
    }

    [Fact]
    public void LoadStateDictRestoresHyperParametersAndCopiesState()
    {
        var w = P(1, 2);
        var adam = new Adam([w], lr: 0.01);
        w.Grad = Torch.Tensor(new[] { 0.5f, -0.5f });
        adam.Step();
        var sd = adam.StateDict();
        Assert.Same(adam.State[w]["exp_avg"], sd.State[0]["exp_avg"]);  // shared, as PyTorch's state_dict()

        var v = P(1, 2);
        var resumed = new Adam([v], lr: 0.5);
        resumed.LoadStateDict(sd);
        Assert.Equal(0.01, resumed.ParamGroups[0].Lr);
        Assert.NotSame(sd.State[0]["exp_avg"], resumed.State[v]["exp_avg"]);
        TensorAssert.Equal((Tensor)sd.State[0]["exp_avg"]!, (Tensor)resumed.State[v]["exp_avg"]!);
    }

    [Fact]
    public void LoadStateDictCastsStateToTheParameterDtypeExceptStep()
    {
        var w = P(1, 2);
        var adam = new Adam([w]);
        w.Grad = Torch.Tensor(new[] { 0.5f, -0.5f });
        adam.Step();
        var v = Torch.Zeros([2], DType.Float64).RequiresGrad_();
        var resumed = new Adam([v]);
        resumed.LoadStateDict(adam.StateDict());
        Assert.Equal(DType.Float64, ((Tensor)resumed.State[v]["exp_avg"]!).DType);
        Assert.Equal(DType.Float32, ((Tensor)resumed.State[v]["step"]!).DType);
    }

    [Fact]
    public void GroupsTakeUnsetOptionsFromTheDefaultsAndExposeThemByPyTorchNames()
    {
        Tensor w = P(1), b = P(2);
        var sgd = new SGD(new ParamGroup[] { new([w]) { Lr = 0.1 }, new([b]) { ["momentum"] = 0.9 } }, lr: 0.05);
        Assert.Equal(0.1, sgd.ParamGroups[0].Lr);
        Assert.Equal(0.05, sgd.ParamGroups[1].Lr);
        Assert.Equal(0.0, sgd.ParamGroups[0]["momentum"]);
        Assert.Equal(0.9, sgd.ParamGroups[1]["momentum"]);
        Assert.Equal(["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable"], sgd.ParamGroups[0].Keys);
        sgd.ParamGroups[0]["weight_decay"] = 0.5;
        Assert.Equal(0.5, sgd.ParamGroups[0].GetDouble("weight_decay"));
        Assert.Null(sgd.ParamGroups[0]["foreach"]);
    }

    [Fact]
    public void AddParamGroupJoinsLaterAndRejectsParametersAlreadyPresent()
    {
        Tensor w = P(1), b = P(2);
        var adam = new Adam([w], lr: 0.01);
        adam.AddParamGroup(new ParamGroup([b]) { Lr = 0.1 });
        Assert.Equal(2, adam.ParamGroups.Count);
        Assert.Equal((0.9, 0.999), adam.ParamGroups[1]["betas"]);
        var e = Assert.Throws<ArgumentException>(() => adam.AddParamGroup(new ParamGroup([w])));
        Assert.Equal("some parameters appear in more than one parameter group", e.Message);
        Assert.Equal("optimizer got an empty parameter list", Assert.Throws<ArgumentException>(() => new SGD(Array.Empty<Tensor>())).Message);
    }

    [Fact]
    public void NonLeafTensorsCannotBeOptimized()
    {
        var x = P(1);
        var e = Assert.Throws<ArgumentException>(() => new SGD([x * 2.0]));
        Assert.Equal("can't optimize a non-leaf Tensor", e.Message);
    }

    [Fact]
    public void ZeroGradSetsGradientsToNullByDefaultOrZerosThem()
    {
        var w = P(1, 2);
        var sgd = new SGD([w], lr: 0.1);
        w.Grad = Torch.Tensor(new[] { 3f, 4f });
        sgd.ZeroGrad(setToNone: false);
        TensorAssert.Equal(Torch.Zeros(2), w.Grad!);
        sgd.ZeroGrad();
        Assert.Null(w.Grad);
    }

    [Fact]
    public void StepWithAClosureReevaluatesTheLossUnderGradModeAndReturnsIt()
    {
        var w = P(3);
        var sgd = new SGD([w], lr: 0.1);
        Tensor loss;
        using (Torch.NoGrad())
            loss = sgd.Step(() =>
            {
                sgd.ZeroGrad();
                var l = (w * w).Sum();
                l.Backward();
                return l;
            });
        Assert.Equal(9f, loss.Item<float>());
        Assert.Equal(3f - 0.1f * 6f, w.Item<float>());  // d(w²)/dw = 6
    }

    [Fact]
    public void ParametersWithoutGradientsAreSkippedAndGetNoState()
    {
        Tensor w = P(1), b = P(2);
        var adam = new Adam([w, b]);
        w.Grad = Torch.Tensor(new[] { 1f });
        adam.Step();
        Assert.Equal(2f, b.Item<float>());
        Assert.True(adam.State.ContainsKey(w));
        Assert.False(adam.State.ContainsKey(b));
    }

    [Fact]
    public void AdagradCreatesStateForEveryParameterUpFront()
    {
        Tensor w = P(1), b = P(2);
        var adagrad = new Adagrad([w, b], initialAccumulatorValue: 0.5);
        Assert.Equal([0L, 1L], adagrad.StateDict().State.Keys);
        TensorAssert.Equal(Torch.Tensor(new[] { 0.5f }), (Tensor)adagrad.State[b]["sum"]!);
    }

    [Fact]
    public void RMSpropKeepsAnIntegerStepAndAdamAFloat32TensorStep()
    {
        Tensor w = P(1), v = P(1);
        var rms = new RMSprop([w]);
        var adam = new Adam([v]);
        w.Grad = Torch.Tensor(new[] { 1f });
        v.Grad = Torch.Tensor(new[] { 1f });
        rms.Step(); rms.Step();
        adam.Step(); adam.Step();
        Assert.Equal(2L, rms.State[w]["step"]);
        var step = Assert.IsType<Tensor>(adam.State[v]["step"]);
        Assert.Equal(DType.Float32, step.DType);
        Assert.Empty(step.Shape);
        Assert.Equal(2f, step.Item<float>());
    }
}
