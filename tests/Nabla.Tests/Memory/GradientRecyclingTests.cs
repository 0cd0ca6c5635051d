using Xunit;

namespace Nabla.Tests.Memory;

/// <summary>
/// The backward engine hands consumed gradients back to the pool and lets leaves take the last one as their .grad:
/// gradients must come out exactly as without recycling, however the graph shares, retains and re-runs them.
/// </summary>
public class GradientRecyclingTests
{
    // Large enough (64 KiB) that every gradient here is a pooled array.
    private static Tensor Leaf(double value) => Torch.Full([128, 128], value).RequiresGrad_();

    [Fact]
    public void RetainedGraphRunTwiceAccumulatesTwice()
    {
        var x = Leaf(3.0);
        var y = (x * x) + (x * 2.0);
        y.Sum().Backward(retainGraph: true);
        var first = x.Grad!.ToArray<float>();
        y.Sum().Backward();
        // d/dx (x² + 2x) = 2x + 2 = 8 at x = 3; twice: 16
        Assert.All(first, v => Assert.Equal(8f, v));
        Assert.All(x.Grad!.ToArray<float>(), v => Assert.Equal(16f, v));
    }

    [Fact]
    public void RetainedIntermediateGradientKeepsItsValue()
    {
        var x = Leaf(2.0);
        var h = x * 3.0;
        h.RetainGrad();
        (h * h).Sum().Backward();
        var kept = h.Grad!;
        var values = kept.ToArray<float>();
        for (int i = 0; i < 10; i++)
        {
            var z = Leaf(1.0);
            ((z * 5.0) * z).Sum().Backward();
        }
        // d/dh h² = 2h = 12 at h = 6
        Assert.All(values, v => Assert.Equal(12f, v));
        Assert.Equal(values, kept.ToArray<float>());
    }

    [Fact]
    public void LeafThatTookTheEngineGradientAccumulatesTheNextOneInPlace()
    {
        var w = Leaf(1.0);
        (w * 4.0).Sum().Backward();
        var grad = w.Grad!;
        (w * 5.0).Sum().Backward();
        Assert.Same(grad, w.Grad);
        Assert.All(w.Grad!.ToArray<float>(), v => Assert.Equal(9f, v));
    }

    [Fact]
    public void OneGradientFeedingTwoLeavesIsNotSharedBetweenThem()
    {
        // a + b hands the same gradient tensor to both leaves: at most one may take it.
        var a = Leaf(1.0);
        var b = Leaf(2.0);
        (a + b).Sum().Backward();
        a.Grad!.Add_(Torch.Ones([128, 128]));
        Assert.All(a.Grad!.ToArray<float>(), v => Assert.Equal(2f, v));
        Assert.All(b.Grad!.ToArray<float>(), v => Assert.Equal(1f, v));
    }

    [Fact]
    public void CreateGraphGradientsSurviveLaterPasses()
    {
        var x = Leaf(2.0);
        (x * x * x).Sum().Backward(createGraph: true);
        var g = x.Grad!;
        var values = g.ToArray<float>();
        for (int i = 0; i < 5; i++) (Leaf(1.0) * 2.0).Sum().Backward();
        // d/dx x³ = 3x² = 12 at x = 2
        Assert.All(values, v => Assert.Equal(12f, v));
        Assert.Equal(values, g.ToArray<float>());
    }
}
