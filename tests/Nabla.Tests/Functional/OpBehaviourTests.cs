using Nabla.Autograd;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.FunctionalParity;

/// <summary>Storage and in-place behaviour of the new ops (what values alone do not show).</summary>
public class OpBehaviourTests
{
    [Fact]
    public void SplitPiecesAreViewsOfTheInput()
    {
        var x = Torch.Zeros(4, 2);
        var pieces = x.Split(3);
        pieces[1].Fill_(7);
        Assert.Equal(new float[] { 0, 0, 0, 0, 0, 0, 7, 7 }, x.ToArray<float>());
        Assert.True(pieces[1].IsView);
    }

    [Fact]
    public void RepeatAlwaysCopiesEvenWhenEveryRepeatIsOne()
    {
        var x = Torch.Arange(6).Reshape(2, 3)[1..];
        var r = x.Repeat(1, 1);
        Assert.Equal(x.ToArray<long>(), r.ToArray<long>());
        r.Fill_(0);
        Assert.Equal(new long[] { 3, 4, 5 }, x.ToArray<long>());
    }

    [Fact]
    public void InPlaceFormsWriteIntoTheTensorAndBumpItsVersion()
    {
        var x = Torch.Zeros(2, 3);
        int version = x.Version;
        Assert.Same(x, x.MaskedFill_(Torch.Tensor(new[] { true, false, true }), 1.5));
        Assert.Same(x, x.ScatterAdd_(0, Torch.Tensor(new long[,] { { 1, 1, 1 } }), Torch.Ones(1, 3)));
        Assert.Equal(new float[] { 1.5f, 0, 1.5f, 2.5f, 1, 2.5f }, x.ToArray<float>());
        Assert.True(x.Version > version);
    }

    [Fact]
    public void InPlaceOnALeafThatRequiresGradIsRefused()
    {
        var x = Torch.Randn([3], requiresGrad: true);
        Assert.Throws<InvalidOperationException>(() => F.Relu(x, inplace: true));
        Assert.Throws<InvalidOperationException>(() => x.MaskedFill_(x > 0.0, 0));
    }

    [Fact]
    public void RoundingOpsHaveZeroGradientAwayFromTheirJumps()
    {
        // Values with fractional parts far from 0 and 0.5, where floor, ceil and round are locally constant.
        var x = Torch.Tensor(new[] { -2.3, -0.7, 0.2, 1.3, 2.8 }, DType.Float64, requiresGrad: true);
        Assert.True(GradCheck.Check(t => t[0].Floor(), [x]));
        Assert.True(GradCheck.Check(t => t[0].Ceil(), [x]));
        Assert.True(GradCheck.Check(t => t[0].Round(), [x]));
    }

    [Fact]
    public void IntegerInputsKeepTheirTypeWhereTorchDoes()
    {
        var t = Torch.Tensor(new long[] { 3, 1, 2 });
        Assert.Equal(DType.Int64, t.Cumsum(0).DType);
        Assert.Equal(DType.Int64, t.Sort().Values.DType);
        Assert.Equal(DType.Float32, t.Erf().DType);
        Assert.Equal(DType.Int64, F.OneHot(t).DType);
    }
}
