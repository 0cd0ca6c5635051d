using Nabla.Memory;
using Nabla.NN;
using Nabla.Optim;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Memory;

/// <summary>Runs alone: it reads process-wide pool and GC counters, which tests running beside it would move.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MemoryMeasurementCollection
{
    public const string Name = "Memory measurements";
}

/// <summary>A plain training loop, with no Dispose anywhere, reaches a steady state that takes no fresh memory.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public class SteadyStateMemoryTests
{
    [Theory]
    [InlineData("sgd")]
    [InlineData("adam")]
    public void LongTrainingLoopTakesNoFreshMemory(string optimizer)
    {
        var g = new Generator().ManualSeed(5);
        var model = new Sequential(new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10));
        var x = Torch.Randn([64, 784], generator: g);
        var y = Torch.Randint(0, 10, [64], generator: g);
        Optimizer opt = optimizer == "sgd" ? new SGD(model.Parameters(), lr: 0.01, momentum: 0.9) : new Adam(model.Parameters(), lr: 1e-3);
        void Step()
        {
            opt.ZeroGrad();
            var loss = F.CrossEntropy(model.Call(x), y);
            loss.Backward();
            opt.Step();
        }

        // Warm up until one whole cycle, from one of the pool's collections to the next, took no fresh array: until
        // then the pool is still growing to what a cycle rents.
        int steps = 0;
        bool quietCycle = false;
        while (!quietCycle && steps < 3000)
        {
            long previous = BufferPool.Collections;
            while (BufferPool.Collections == previous && steps < 3000) { Step(); steps++; }
            long cycle = BufferPool.Collections, before = BufferPool.Misses;
            while (BufferPool.Collections == cycle && steps < 3000) { Step(); steps++; }
            quietCycle = BufferPool.Misses == before;
        }
        Assert.True(quietCycle, "no steady state within 3000 steps");
        long misses = BufferPool.Misses;
        int gen2 = GC.CollectionCount(2);
        for (int i = 0; i < 200; i++) Step();
        Assert.Equal(0, BufferPool.Misses - misses);
        Assert.True(GC.CollectionCount(2) - gen2 <= 1, $"{GC.CollectionCount(2) - gen2} gen-2 collections in 200 steps");
    }
}

/// <summary>A loop of plain tensor ops never reaches a safe point; the pool must not hold on to what it cannot reuse.</summary>
[Collection(MemoryMeasurementCollection.Name)]
public class PlainOpLoopMemoryTests
{
    [Fact]
    public void PoolLetsGoOfDeadArraysWithoutSafePoints()
    {
        var a = Torch.Ones([1 << 20]);
        var b = Torch.Ones([1 << 20]);
        // What earlier tests left in the pool's free lists is not this loop's doing.
        long baseline = GC.GetTotalMemory(forceFullCollection: true);
        long released = BufferPool.Released;
        // 200 results of 4 MiB each, none kept: 800 MiB if the pool held them all.
        for (int i = 0; i < 200; i++) _ = a + b;
        Assert.True(BufferPool.Released > released, "the pool never let a dead array go");
        GC.Collect();
        long held = GC.GetTotalMemory(forceFullCollection: true) - baseline;
        Assert.True(held < 400L << 20, $"{held >> 20} MiB more held than before the loop");
    }
}
