using Xunit;

namespace Nabla.Tests.Hardening;

/// <summary>Grad mode is per thread, as in PyTorch: a NoGrad scope on one thread leaves recording on elsewhere.</summary>
public class GradModeThreadTests
{
    [Fact]
    public void NoGradOnOneThreadDoesNotDisableRecordingOnAnother()
    {
        using var insideScope = new ManualResetEventSlim();
        using var otherDone = new ManualResetEventSlim();
        bool otherEnabled = false, otherRecorded = false;
        var x = Torch.Ones([2], requiresGrad: true);

        var other = new Thread(() =>
        {
            insideScope.Wait();
            otherEnabled = Torch.IsGradEnabled();
            otherRecorded = (x * 2).GradFn is not null;
            otherDone.Set();
        });
        other.Start();
        using (Torch.NoGrad())
        {
            insideScope.Set();
            otherDone.Wait();
            Assert.False(Torch.IsGradEnabled());
            Assert.Null((x * 2).GradFn);
        }
        other.Join();

        Assert.True(otherEnabled);
        Assert.True(otherRecorded);
        Assert.True(Torch.IsGradEnabled());
    }

    [Fact]
    public void ANewThreadStartsWithGradEnabled()
    {
        bool enabled = false;
        using (Torch.NoGrad())
        {
            var t = new Thread(() => enabled = Torch.IsGradEnabled());
            t.Start();
            t.Join();
        }
        Assert.True(enabled);
    }
}
