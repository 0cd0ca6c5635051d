using Nabla.Autograd;
using Xunit;
using AG = Nabla.Autograd.Autograd;

namespace Nabla.Tests.Autograd;

/// <summary>torch.autograd.grad and backward(inputs=...): what is returned, what is left alone, and the refusals.</summary>
public class AutogradGradTests
{
    private static Tensor X() => Torch.Tensor(new double[,] { { 1, 5, 2 }, { -3, 0, -1 } }).RequiresGrad_();

    [Fact]
    public void MaxAlongADimHasASecondDerivativeUnderCreateGraph()
    {
        // y = sum(max(x, 1)^3): dy/dx = 3 m^2 at each row's argmax, d2y/dx2 summed = 6 m there.
        var x = X();
        var y = x.Max(dim: 1).Values.Pow(3).Sum();
        var g = AG.Grad([y], [x], createGraph: true)[0]!;
        Assert.True(g.RequiresGrad);
        Assert.Equal(new double[] { 0, 75, 0, 0, 0, 0 }, g.ToArray<double>());
        var h = AG.Grad([g.Sum()], [x])[0]!;
        Assert.Equal(new double[] { 0, 30, 0, 0, 0, 0 }, h.ToArray<double>());
    }

    [Fact]
    public void GatherHasASecondDerivativeUnderCreateGraph()
    {
        var x = X();
        var idx = Torch.Tensor(new long[,] { { 1, 1 }, { 0, 2 } });
        var g = AG.Grad([x.Gather(1, idx).Pow(2).Sum()], [x], createGraph: true)[0]!;
        Assert.Equal(new double[] { 0, 20, 0, -6, 0, -2 }, g.ToArray<double>());
        Assert.Equal(new double[] { 0, 4, 0, 2, 0, 2 }, AG.Grad([g.Sum()], [x])[0]!.ToArray<double>());
    }

    [Fact]
    public void GradLeavesDotGradUntouchedAndReturnsOnePerInput()
    {
        var x = X();
        var w = Torch.Tensor(new double[] { 2, 3, 4 }).RequiresGrad_();
        var loss = (x * w).Sum();
        var g = AG.Grad([loss], [x, w]);
        Assert.Null(x.Grad);
        Assert.Null(w.Grad);
        Assert.Equal(new double[] { 2, 3, 4, 2, 3, 4 }, g[0]!.ToArray<double>());
        Assert.Equal(new double[] { -2, 5, 1 }, g[1]!.ToArray<double>());
        Assert.False(g[0]!.RequiresGrad);
    }

    [Fact]
    public void GradOfANonLeafInputIsTheGradientReachingIt()
    {
        var x = X();
        var h = x * 2.0;
        var g = AG.Grad([(h * h).Sum()], [h])[0]!;
        Assert.Equal((x * 4.0).Detach().ToArray<double>(), g.ToArray<double>());
        Assert.Null(x.Grad);
    }

    [Fact]
    public void NonScalarOutputsNeedGradOutputs()
    {
        var x = X();
        var y = x * 3.0;
        Assert.Contains("grad can be implicitly created only for scalar outputs", Assert.Throws<InvalidOperationException>(() => AG.Grad([y], [x])).Message);
        var g = AG.Grad([y], [x], gradOutputs: [Torch.OnesLike(y) * 2.0])[0]!;
        Assert.All(g.ToArray<double>(), v => Assert.Equal(6.0, v));
    }

    [Fact]
    public void SeveralOutputsSumTheirGradients()
    {
        var x = X();
        var g = AG.Grad([x.Sum(), (x * 2.0).Sum()], [x])[0]!;
        Assert.All(g.ToArray<double>(), v => Assert.Equal(3.0, v));
    }

    [Fact]
    public void RetainGraphDefaultsToCreateGraph()
    {
        var x = X();
        var y = (x.Exp() * x).Sum();
        AG.Grad([y], [x], createGraph: true);
        AG.Grad([y], [x]);
        var e = Assert.Throws<InvalidOperationException>(() => AG.Grad([y], [x]));
        Assert.StartsWith("Trying to backward through the graph a second time", e.Message);
    }

    [Fact]
    public void AnUnusedInputIsAnErrorUnlessAllowed()
    {
        var x = X();
        var z = Torch.Ones([2], DType.Float64).RequiresGrad_();
        var y = (x * 2.0).Sum();
        var e = Assert.Throws<InvalidOperationException>(() => AG.Grad([y], [x, z], retainGraph: true));
        Assert.Equal("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.", e.Message);
        var g = AG.Grad([y], [x, z], allowUnused: true);
        Assert.NotNull(g[0]);
        Assert.Null(g[1]);
    }

    [Fact]
    public void InputsThatDoNotRequireGradAndOutputsWithoutGraphAreRefused()
    {
        var x = X();
        var c = Torch.Ones([2, 3], DType.Float64);
        Assert.Equal("One of the differentiated Tensors does not require grad", Assert.Throws<InvalidOperationException>(() => AG.Grad([(x * c).Sum()], [c])).Message);
        Assert.Equal("element 0 of tensors does not require grad and does not have a grad_fn", Assert.Throws<InvalidOperationException>(() => AG.Grad([c.Sum()], [x])).Message);
    }

    [Fact]
    public void BackwardWithInputsAccumulatesOnlyIntoTheNamedTensors()
    {
        var x = X();
        var w = Torch.Tensor(new double[] { 2, 3, 4 }).RequiresGrad_();
        (x * w).Sum().Backward(inputs: [w]);
        Assert.Null(x.Grad);
        Assert.Equal(new double[] { -2, 5, 1 }, w.Grad!.ToArray<double>());
        (x * w).Sum().Backward(inputs: [w, x]);
        Assert.Equal(new double[] { -4, 10, 2 }, w.Grad!.ToArray<double>());
        Assert.Equal(new double[] { 2, 3, 4, 2, 3, 4 }, x.Grad!.ToArray<double>());
        Assert.Throws<ArgumentException>(() => (x * w).Sum().Backward(inputs: []));
    }

    [Fact]
    public void ADetachedSecondDerivativeIsCaughtByGradGradCheck()
    {
        // Backward of d(x^2) claims 2x but built from a detached x: the first derivative is right, the second is lost.
        static Tensor Square(Tensor x)
        {
            Tensor r;
            using (Torch.NoGrad()) r = x * x;
            if (Graph.Needs(x)) Graph.Record("DetachedBackward", r, [x], g => [g * x.Detach() * 2.0]);
            return r;
        }
        var x = Torch.Randn([4], DType.Float64, requiresGrad: true);
        Assert.True(GradCheck.Check(t => Square(t[0]), [x]));
        Assert.Throws<GradCheckException>(() => GradGradCheck.Check(t => Square(t[0]), [x]));
        Assert.True(GradGradCheck.Check(t => t[0] * t[0], [x]));
    }
}
