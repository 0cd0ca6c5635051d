using Nabla.Memory;
using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Core;

// The background warm-up compiles the training path; it must leave nothing a caller can see: the default generator's
// stream, the buffer pool's lists.
[Collection(DefaultGeneratorCollection.Name)]
public class WarmupTests
{
    [Fact]
    public void FirstModuleStartsAWarmupThatFinishesCleanly()
    {
        _ = new Linear(2, 2);
        if (Environment.ProcessorCount < 2 || Environment.GetEnvironmentVariable("NABLA_WARMUP") == "0")
        {
            Assert.Null(Warmup.Thread);
            return;
        }
        var thread = Assert.IsType<Thread>(Warmup.Thread);
        Assert.True(thread.Join(TimeSpan.FromMinutes(2)), "the warm-up thread did not finish");
        Assert.Null(Warmup.Failure);
    }

    [Fact]
    public void TrainingStepDrawsNoRandomNumbersAndRentsNoPooledBuffer()
    {
        Torch.ManualSeed(5);
        var expected = Torch.Randn(4).ToArray<float>();
        Torch.ManualSeed(5);
        long rented = BufferPool.Hits + BufferPool.Misses;
        Warmup.TrainingStep();
        Assert.Equal(rented, BufferPool.Hits + BufferPool.Misses);
        Assert.Equal(expected, Torch.Randn(4).ToArray<float>());
    }
}
