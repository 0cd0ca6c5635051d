using System.Text.Json;
using Nabla.NN;
using Nabla.Optim;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>torch.optim.SGD's update rule for every option combination, and a short training run (goldens/core.json).</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class SgdTests
{
    private static JsonElement Core => OpCases.Core;

    public static TheoryData<int> RuleCases() => [.. Enumerable.Range(0, Core.GetProperty("sgd_rule").GetArrayLength())];

    public static TheoryData<int> TrainCases() => [.. Enumerable.Range(0, Core.GetProperty("sgd_train").GetArrayLength())];

    private static SGD Make(IEnumerable<Tensor> parameters, JsonElement o)
    {
        double D(string k, double d) => o.TryGetProperty(k, out var v) ? v.GetDouble() : d;
        bool B(string k) => o.TryGetProperty(k, out var v) && v.GetBoolean();
        return new SGD(parameters, lr: D("lr", 1e-3), momentum: D("momentum", 0), dampening: D("dampening", 0),
            weightDecay: D("weight_decay", 0), nesterov: B("nesterov"), maximize: B("maximize"));
    }

    [Theory]
    [MemberData(nameof(RuleCases))]
    public void UpdateRuleIsPyTorchsBitForBit(int index)
    {
        var c = Core.GetProperty("sgd_rule")[index];
        var p = new Parameter(Goldens.Tensor(c.GetProperty("initial")));
        var opt = Make([p], c.GetProperty("options"));
        var grads = c.GetProperty("grads").EnumerateArray().Select(Goldens.Tensor).ToArray();
        var expected = c.GetProperty("params").EnumerateArray().Select(Goldens.Tensor).ToArray();
        for (int step = 0; step < grads.Length; step++)
        {
            p.Grad = grads[step];
            opt.Step();
            TensorAssert.Equal(expected[step], p.Detach(), $"{c.GetProperty("options")} step {step + 1}");
        }
        Assert.True(p.IsLeaf);
        Assert.Null(p.GradFn);
    }

    [Theory]
    [MemberData(nameof(TrainCases))]
    public void TrainingTrajectoryMatchesPyTorch(int index)
    {
        var c = Core.GetProperty("sgd_train")[index];
        Torch.ManualSeed(c.GetProperty("seed").GetInt64());
        var model = new Linear(3, 2);
        var opt = Make(model.Parameters(), c.GetProperty("options"));
        var x = Goldens.Tensor(c.GetProperty("x"));
        var y = Goldens.Tensor(c.GetProperty("y"));
        var losses = c.GetProperty("losses").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        for (int step = 0; step < losses.Length; step++)
        {
            opt.ZeroGrad();
            var loss = Functional.MseLoss(model.Call(x), y);
            loss.Backward();
            opt.Step();
            Assert.Equal(losses[step], loss.Item<float>(), 1e-6 * Math.Abs(losses[step]));
            TensorAssert.Close(Goldens.Tensor(c.GetProperty("weights")[step]), model.Weight.Detach(), 1e-6, 1e-6, $"step {step + 1} weight");
            TensorAssert.Close(Goldens.Tensor(c.GetProperty("biases")[step]), model.Bias!.Detach(), 1e-6, 1e-6, $"step {step + 1} bias");
        }
    }

    [Fact]
    public void MomentumBufferIsKeptPerParameter()
    {
        var p = new Parameter(Torch.Zeros(2));
        var opt = new SGD([p], lr: 0.1, momentum: 0.9);
        p.Grad = Torch.Ones(2);
        opt.Step();
        Assert.True(opt.State[p].ContainsKey("momentum_buffer"));
        opt.ZeroGrad();
        Assert.Null(p.Grad);
    }

    [Fact]
    public void InvalidOptionsAreRejected()
    {
        var p = new Parameter(Torch.Zeros(2));
        Assert.Throws<ArgumentException>(() => new SGD([p], lr: -1));
        Assert.Throws<ArgumentException>(() => new SGD([p], lr: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new SGD([p], lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true));
        Assert.Throws<ArgumentException>(() => new SGD([(Torch.Ones([1], requiresGrad: true) * 2)], lr: 0.1));
    }
}
