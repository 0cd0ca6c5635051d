using Nabla.Autograd;
using Xunit;

namespace Nabla.Tests.Autograd;

public class GradCheckTests
{
    private static Tensor Input(params long[] shape) => Torch.Randn(shape, DType.Float64, requiresGrad: true);

    [Fact]
    public void CorrectBackwardPasses()
    {
        Torch.ManualSeed(0);
        Assert.True(GradCheck.Check(x => (x[0] * x[1]).Exp().Sum(1), [Input(3, 4), Input(4)]));
    }

    [Fact]
    public void WrongBackwardThrowsNamingTheMismatch()
    {
        Torch.ManualSeed(0);
        // d(x^2)/dx is 2x; this op claims 3x.
        static Tensor Square(Tensor x)
        {
            Tensor r;
            using (Torch.NoGrad()) r = x * x;
            if (Graph.Needs(x)) Graph.Record("BadBackward", r, [x], g => [g * x * 3.0]);
            return r;
        }
        var e = Assert.Throws<GradCheckException>(() => GradCheck.Check(x => Square(x[0]), [Input(5)]));
        Assert.Contains("Jacobian mismatch for output 0 with respect to input 0", e.Message);
        Assert.False(GradCheck.Check(x => Square(x[0]), [Input(5)], raiseException: false));
    }

    [Fact]
    public void MultipleOutputsAndIntegerInputsAreHandled()
    {
        Torch.ManualSeed(0);
        var index = Torch.Tensor(new long[] { 2, 0 });
        Assert.True(GradCheck.Check(x => new[] { x[0].IndexSelect(0, x[1]), x[0].Sin() }, [Input(3, 2), index]));
    }

    [Fact]
    public void CallerTensorsAreLeftAlone()
    {
        var x = Input(3);
        GradCheck.Check(t => t[0].Exp(), [x]);
        Assert.Null(x.Grad);
    }

    [Fact]
    public void NoInputRequiringGradIsAnError()
        => Assert.Throws<ArgumentException>(() => GradCheck.Check(x => x[0].Exp(), [Torch.Randn([2], DType.Float64)]));
}
