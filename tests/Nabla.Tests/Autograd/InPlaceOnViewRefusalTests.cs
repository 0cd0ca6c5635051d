using Xunit;

namespace Nabla.Tests.Autograd;

/// <summary>In-place writes through views that PyTorch refuses, with its messages (checked against PyTorch 1.13).</summary>
public class InPlaceOnViewRefusalTests
{
    private static Tensor X() => Torch.Randn([4, 3], DType.Float64, requiresGrad: true);

    private const string MultiOutput = " This view is the output of a function that returns multiple views. " +
        "Such functions do not allow the output views to be modified inplace. You should replace the inplace operation by an out-of-place one.";

    private const string NoGrad = " Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by moving both the view and " +
        "the inplace either both inside the no_grad block (if you don't want the inplace to be tracked) or both outside (if you want the inplace to be tracked).";

    [Fact]
    public void AViewOfALeafThatRequiresGradIsRefused()
    {
        Assert.Equal("a view of a leaf Variable that requires grad is being used in an in-place operation.",
            Assert.Throws<InvalidOperationException>(() => X()[0].Mul_(2.0)).Message);
        var x = X();
        Assert.Equal("a view of a leaf Variable that requires grad is being used in an in-place operation.",
            Assert.Throws<InvalidOperationException>(() => x[0] = Torch.Ones([3], DType.Float64)).Message);
    }

    [Fact]
    public void AnOutputOfSplitIsRefused()
    {
        var parts = (X() * 1.0).Split(2);
        var e = Assert.Throws<InvalidOperationException>(() => parts[1].Add_(1.0));
        Assert.Equal("Output 1 of SplitBackward0 is a view and is being modified inplace." + MultiOutput, e.Message);
        // A view of one of them is refused too (PyTorch keeps the stricter creation of the two).
        e = Assert.Throws<InvalidOperationException>(() => parts[0][0].Add_(1.0));
        Assert.Equal("Output 0 of SelectBackward0 is a view and is being modified inplace." + MultiOutput, e.Message);
    }

    [Fact]
    public void AnOutputOfUnbindIsRefused()
    {
        var rows = (X() * 1.0).Unbind();
        Assert.Equal("Output 2 of UnbindBackward0 is a view and is being modified inplace." + MultiOutput,
            Assert.Throws<InvalidOperationException>(() => rows[2].Mul_(2.0)).Message);
    }

    [Fact]
    public void AnOutputOfSplitReadAfterItsBaseChangedIsRefused()
    {
        var y = X() * 1.0;
        var parts = y.Chunk(2);
        y.Mul_(2.0);
        var e = Assert.Throws<InvalidOperationException>(() => parts[0].GradFn);
        Assert.Equal("Output 0 of SplitBackward0 is a view and its base or another view of its base has been modified inplace." + MultiOutput, e.Message);
    }

    [Fact]
    public void AnOutputOfSplitOfATensorWithoutGradWrittenWithGradIsRefused()
    {
        var parts = Torch.Zeros([4, 3], DType.Float64).Split(2);
        var e = Assert.Throws<InvalidOperationException>(() => parts[0].Add_(Torch.Ones([2, 3], DType.Float64, requiresGrad: true)));
        Assert.Equal("A view was created in no_grad mode and is being modified inplace with grad mode enabled." + MultiOutput, e.Message);
    }

    [Fact]
    public void AViewMadeWithoutGradModifiedWithGradIsRefused()
    {
        var y = X() * 1.0;
        Tensor v;
        using (Torch.NoGrad()) v = y[0];
        var e = Assert.Throws<InvalidOperationException>(() => v.Add_(1.0));
        Assert.Equal("A view was created in no_grad mode and is being modified inplace with grad mode enabled." + NoGrad, e.Message);
        // Inside no_grad, both the view and the write are untracked: allowed.
        using (Torch.NoGrad()) v.Add_(1.0);
        // Its base changed since: reading its history is refused as well.
        e = Assert.Throws<InvalidOperationException>(() => v.GradFn);
        Assert.Equal("A view was created in no_grad mode and its base or another view of its base has been modified inplace with grad mode enabled." + NoGrad, e.Message);
    }

    [Fact]
    public void AViewMadeWithoutGradOfATensorWithoutGradWrittenWithATensorThatRequiresGradIsRefused()
    {
        var z = Torch.Zeros([4, 3], DType.Float64);
        Tensor v;
        using (Torch.NoGrad()) v = z[0..2];
        var e = Assert.Throws<InvalidOperationException>(() => v.Add_(Torch.Ones([3], DType.Float64, requiresGrad: true)));
        Assert.Equal("A view was created in no_grad mode and is being modified inplace with grad mode enabled." + NoGrad, e.Message);
    }

    [Fact]
    public void AViewCannotBeDetachedInPlace()
        => Assert.StartsWith("Can't detach views in-place. Use detach() instead.",
            Assert.Throws<InvalidOperationException>(() => (X() * 1.0)[0].Detach_()).Message);

    [Fact]
    public void AWriteIntoElementsThatShareMemoryIsRefused()
    {
        var e = Assert.Throws<InvalidOperationException>(() => Torch.Zeros([1], DType.Float64).Expand(3).Add_(1.0));
        Assert.Equal("unsupported operation: more than one element of the written-to tensor refers to a single memory location. Please clone() the tensor before performing the operation.", e.Message);
        // fill_ and zero_ write each element once, as PyTorch's.
        Assert.Equal([1.0, 1.0, 1.0], Torch.Zeros([1], DType.Float64).Expand(3).Fill_(1.0).ToArray<double>());
    }
}
