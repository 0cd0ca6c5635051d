using Xunit;

namespace Nabla.Tests.Autograd;

/// <summary>In-place writes through views that PyTorch refuses, with its messages (checked against PyTorch 1.13).</summary>
public class InPlaceOnViewRefusalTests
{
    private static Tensor X() => Torch.Randn([4, 3], DType.Float64, requiresGrad: true);

    [Fact]
    public void AViewOfALeafThatRequiresGradIsRefused()
        => Assert.Equal("a view of a leaf Variable that requires grad is being used in an in-place operation.",
            Assert.Throws<InvalidOperationException>(() => X()[0].Mul_(2.0)).Message);

    [Fact]
    public void AnOutputOfSplitIsRefused()
    {
        var parts = (X() * 1.0).Split(2);
        var e = Assert.Throws<InvalidOperationException>(() => parts[1].Add_(1.0));
        Assert.Equal("Output 1 of SplitBackward0 is a view and is being modified inplace. This view is the output of a function that returns multiple views. " +
            "Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.", e.Message);
    }

    [Fact]
    public void AViewMadeWithoutGradModifiedWithGradIsRefused()
    {
        var y = X() * 1.0;
        Tensor v;
        using (Torch.NoGrad()) v = y[0];
        var e = Assert.Throws<InvalidOperationException>(() => v.Add_(1.0));
        Assert.StartsWith("A view was created in no_grad mode and is being modified inplace with grad mode enabled.", e.Message);
        // Inside no_grad, both the view and the write are untracked: allowed.
        using (Torch.NoGrad()) v.Add_(1.0);
    }
}
