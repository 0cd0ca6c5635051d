using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Hardening;

/// <summary>
/// One model in eval mode, shared by many threads that each run inference: every thread's outputs equal the serial outputs
/// bit for bit (the forward pass keeps no state between calls, and the buffer pool hands no buffer to two threads at once).
/// </summary>
public class ConcurrentInferenceTests
{
    private const int Threads = 8, CallsPerThread = 25;

    [Fact]
    public void SharedMlpInEvalModeGivesSerialResultsFromManyThreads()
    {
        var g = new Generator().ManualSeed(11);
        var model = new Sequential(new Linear(64, 128), new ReLU(), new Dropout(0.5), new Linear(128, 10));
        Reinitialise(model, g);
        AssertConcurrentEqualsSerial(model, i => Torch.Randn([4 + i % 3, 64], generator: new Generator().ManualSeed(i)));
    }

    [Fact]
    public void SharedCnnWithBatchNormInEvalModeGivesSerialResultsFromManyThreads()
    {
        var g = new Generator().ManualSeed(12);
        var model = new Sequential(
            new Conv2d(3, 8, 3, padding: 1), new BatchNorm2d(8), new ReLU(), new MaxPool2d(2),
            new Conv2d(8, 16, 3), new BatchNorm2d(16), new ReLU(), new Flatten(), new Linear(16 * 2 * 2, 5));
        Reinitialise(model, g);
        // Running statistics that are not the defaults, so eval mode's normalisation is exercised.
        using (Torch.NoGrad())
        {
            model.Train();
            for (int i = 0; i < 3; i++) model.Call(Torch.Randn([6, 3, 8, 8], generator: g) * 2 + 0.5);
        }
        AssertConcurrentEqualsSerial(model, i => Torch.Randn([2 + i % 2, 3, 8, 8], generator: new Generator().ManualSeed(100 + i)));
    }

    private static void Reinitialise(Module model, Generator g)
    {
        foreach (var p in model.Parameters())
            p.Detach().Normal_(0, 0.2, g);
    }

    private static void AssertConcurrentEqualsSerial(Module model, Func<int, Tensor> input)
    {
        model.Eval();
        int count = Threads * CallsPerThread;
        var inputs = Enumerable.Range(0, count).Select(input).ToArray();
        float[][] serial;
        using (Torch.NoGrad())
            serial = [.. inputs.Select(x => model.Call(x).ToArray<float>())];

        var results = new float[count][];
        var start = new Barrier(Threads);
        var workers = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            using (Torch.NoGrad())
                for (int c = 0; c < CallsPerThread; c++)
                {
                    int i = c * Threads + t;  // interleave the inputs over the threads
                    results[i] = model.Call(inputs[i]).ToArray<float>();
                }
        })).ToArray();
        foreach (var w in workers) w.Start();
        foreach (var w in workers) w.Join();

        for (int i = 0; i < count; i++)
            Assert.True(serial[i].AsSpan().SequenceEqual(results[i]), $"input {i}: concurrent output differs from the serial one");
    }
}
