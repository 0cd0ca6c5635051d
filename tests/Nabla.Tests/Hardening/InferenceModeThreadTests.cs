using Xunit;

namespace Nabla.Tests.Hardening;

/// <summary>Inference mode is per thread, as in PyTorch: on one thread it stops graph recording there and nowhere else.</summary>
public class InferenceModeThreadTests
{
    [Fact]
    public void InferenceModeStopsRecordingAndRestoresOnDispose()
    {
        var x = Torch.Ones([2], requiresGrad: true);
        using (Torch.InferenceMode())
        {
            Assert.True(Torch.IsInferenceModeEnabled());
            Assert.False(Torch.IsGradEnabled());
            Assert.Null((x * 2).GradFn);
            using (Torch.InferenceMode(false))
            {
                Assert.False(Torch.IsInferenceModeEnabled());
                Assert.False(Torch.IsGradEnabled()); // mode=False leaves grad mode as it was
            }
            Assert.True(Torch.IsInferenceModeEnabled());
        }
        Assert.False(Torch.IsInferenceModeEnabled());
        Assert.True(Torch.IsGradEnabled());
        Assert.NotNull((x * 2).GradFn);
    }

    [Fact]
    public void InferenceModeOnOneThreadLeavesAnotherRecording()
    {
        using var insideScope = new ManualResetEventSlim();
        using var otherDone = new ManualResetEventSlim();
        bool otherInference = true, otherRecorded = false;
        var x = Torch.Ones([2], requiresGrad: true);
        var other = new Thread(() =>
        {
            insideScope.Wait();
            otherInference = Torch.IsInferenceModeEnabled();
            otherRecorded = (x * 2).GradFn is not null;
            otherDone.Set();
        });
        other.Start();
        using (Torch.InferenceMode())
        {
            insideScope.Set();
            otherDone.Wait();
            Assert.Null((x * 2).GradFn);
        }
        other.Join();
        Assert.False(otherInference);
        Assert.True(otherRecorded);
    }
}
