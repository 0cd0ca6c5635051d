using Nabla.Autograd;
using Nabla.NN;
using Xunit;
using AG = Nabla.Autograd.Autograd;

namespace Nabla.Tests.Autograd;

/// <summary>Tensor and module backward hooks, grad modes, anomaly detection and the functional API's options.</summary>
public class HookAndModeTests
{
    private static Tensor X() => Torch.Tensor(new double[] { 1, -2, 3 }, DType.Float64).RequiresGrad_();

    [Fact]
    public void HooksRunInOrderAndNullLeavesTheGradientUnchanged()
    {
        var x = X();
        var order = new List<string>();
        x.RegisterHook(g => { order.Add("first"); return null; });
        x.RegisterHook(g => { order.Add("second"); return g * 10.0; });
        x.RegisterHook(g => { order.Add("third"); Assert.Equal(10.0, g.ToArray<double>()[0]); return null; });
        x.Sum().Backward();
        Assert.Equal(["first", "second", "third"], order);
        Assert.All(x.Grad!.ToArray<double>(), v => Assert.Equal(10.0, v));
    }

    [Fact]
    public void RemovedHooksNoLongerRun()
    {
        var x = X();
        var h = x.RegisterHook(g => g * 2.0);
        h.Remove();
        h.Remove();
        x.Sum().Backward();
        Assert.All(x.Grad!.ToArray<double>(), v => Assert.Equal(1.0, v));
    }

    [Fact]
    public void NonLeafHooksChangeWhatFlowsUpstream()
    {
        var x = X();
        var y = x * 2.0;
        y.RegisterHook(g => g + 1.0);
        (y * 3.0).Sum().Backward();
        Assert.All(x.Grad!.ToArray<double>(), v => Assert.Equal(8.0, v));
    }

    [Fact]
    public void HooksApplyToTheGradientsAutogradGradReturns()
    {
        var x = X();
        x.RegisterHook(g => g * 5.0);
        Assert.All(AG.Grad([x.Sum()], [x])[0]!.ToArray<double>(), v => Assert.Equal(5.0, v));
        Assert.Null(x.Grad);
    }

    [Fact]
    public void AHookOnATensorThatDoesNotRequireGradIsRefused()
        => Assert.Equal("cannot register a hook on a tensor that doesn't require gradient",
            Assert.Throws<InvalidOperationException>(() => Torch.Ones(2).RegisterHook(g => g)).Message);

    [Fact]
    public void AHookThatChangesTheShapeIsRefused()
    {
        var x = X();
        x.RegisterHook(g => g.Sum());
        Assert.Equal("hook 'hook' has changed the size of value", Assert.Throws<InvalidOperationException>(() => x.Sum().Backward()).Message);
    }

    [Fact]
    public void FullBackwardPreHookReplacesTheOutputGradient()
    {
        Torch.ManualSeed(0);
        var lin = new Linear(3, 2, dtype: DType.Float64);
        var seen = new List<Tensor?[]>();
        lin.RegisterFullBackwardPreHook((m, go) => [go[0]! * 0.0]);
        lin.RegisterFullBackwardHook((m, gi, go) => { seen.Add(go); return null; });
        var z = Torch.Randn([2, 3], DType.Float64, requiresGrad: true);
        lin.Call(z).Sum().Backward();
        Assert.All(z.Grad!.ToArray<double>(), v => Assert.Equal(0.0, v));
        Assert.All(lin.Weight.Grad!.ToArray<double>(), v => Assert.Equal(0.0, v));
        Assert.All(seen.Single()[0]!.ToArray<double>(), v => Assert.Equal(0.0, v));
    }

    [Fact]
    public void FullBackwardHookWithNoInputRequiringGradSeesNullGradInput()
    {
        var lin = new Linear(3, 2, dtype: DType.Float64);
        Tensor?[]? gradInput = null;
        lin.RegisterFullBackwardHook((m, gi, go) => { gradInput = gi; return null; });
        lin.Call(Torch.Ones([1, 3], DType.Float64)).Sum().Backward();
        Assert.Null(Assert.Single(gradInput!));
        Assert.NotNull(lin.Weight.Grad);
    }

    [Fact]
    public void DetectAnomalyNamesTheNodeThatReturnedNaN()
    {
        var x = Torch.Tensor(new double[] { 0.0, 1.0 }, DType.Float64).RequiresGrad_();
        var y = (x / x).Sum();
        using (AG.DetectAnomaly())
        {
            var e = Assert.Throws<InvalidOperationException>(() => y.Backward());
            // d(x/x)/d(divisor) = -x/x² is 0/0 at x = 0 (the dividend's, 1/0, is infinite, not NaN): PyTorch names output 1 too.
            Assert.Equal("Function 'DivBackward0' returned nan values in its 1th output.", e.Message);
        }
        // Off again: the same NaN passes silently.
        (x / x).Sum().Backward();
        Assert.True(double.IsNaN(x.Grad!.ToArray<double>()[0]));
    }

    [Fact]
    public void InferenceModeAndSetGradEnabledStopRecording()
    {
        var x = X();
        using (Torch.InferenceMode())
        {
            Assert.True(Torch.IsInferenceModeEnabled());
            Assert.False((x * 2.0).RequiresGrad);
        }
        Assert.False(Torch.IsInferenceModeEnabled());
        Assert.True((x * 2.0).RequiresGrad);
        using (Torch.SetGradEnabled(false)) Assert.False((x * 2.0).RequiresGrad);
        Assert.True(Torch.IsGradEnabled());
    }

    [Fact]
    public void FunctionalWithCreateGraphGivesDifferentiableResults()
    {
        var x = X();
        var j = AG.Functional.Jacobian(t => t.Pow(3), x, createGraph: true);
        Assert.True(j.RequiresGrad);
        // d/dx of trace(diag(3x^2)) = 6x.
        var g = AG.Grad([(j * Torch.Eye(3, dtype: DType.Float64)).Sum()], [x])[0]!;
        Assert.Equal((x.Detach() * 6.0).ToArray<double>(), g.ToArray<double>());
        Assert.Throws<NotSupportedException>(() => AG.Functional.Jacobian(t => t, x, vectorize: true));
    }
}
