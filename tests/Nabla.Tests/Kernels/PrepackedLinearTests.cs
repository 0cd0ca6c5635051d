using Nabla.NN;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Kernels;

// Inference products pack a weight's transpose once per weight version and keep it with the weight's storage. The
// values must be the bits of the product that packs on every call (the recorded one), and a weight changed in any way
// must never be served from a stale pack.
[Collection(ThreadCountCollection.Name)]
public class PrepackedLinearTests
{
    [Theory]
    [InlineData(64, 784, 256)] // the MLP's first layer: split by columns
    [InlineData(300, 40, 20)] // tall: split by rows
    [InlineData(7, 33, 70)] // edge tiles and panels
    public void InferenceEqualsTheRecordedProductBitForBit(int m, int k, int n)
    {
        ThreadCountCollection.ForEachThreadCount(() =>
        {
            Torch.ManualSeed(m + k + n);
            var x = Torch.Randn(m, k);
            var weight = Torch.Randn(n, k).RequiresGrad_();
            var bias = Torch.Randn(n).RequiresGrad_();
            var recorded = F.Linear(x, weight, bias);
            Assert.NotNull(recorded.GradFn);
            using (Torch.NoGrad())
            {
                Assert.Null(weight._storage.Packed); // the recorded product packs on every call and keeps nothing
                Assert.Equal(recorded.ToArray<float>(), F.Linear(x, weight, bias).ToArray<float>());
                Assert.NotNull(weight._storage.Packed);
                Assert.Equal(recorded.ToArray<float>(), F.Linear(x, weight, bias).ToArray<float>()); // from the kept pack
                var transposed = weight.Detach().T().Contiguous().T(); // same values, column-major storage
                Assert.Equal(recorded.ToArray<float>(), F.Linear(x, transposed, bias).ToArray<float>());
            }
        });
    }

    [Fact]
    public void SequentialInferenceFollowsEveryWeightChange()
    {
        Torch.ManualSeed(3);
        var model = new Sequential(new Linear(120, 90), new ReLU(), new Linear(90, 10));
        model.Eval();
        var x = Torch.Randn(32, 120);
        var first = (Linear)model[0];
        var optimizer = new Nabla.Optim.SGD(model.Parameters(), lr: 0.1);

        Tensor Infer()
        {
            using (Torch.NoGrad()) return model.Call(x);
        }

        Tensor Reference()
        {
            var r = model.Call(x); // recorded: packs on every call
            Assert.NotNull(r.GradFn);
            return r.Detach();
        }

        Assert.Equal(Reference().ToArray<float>(), Infer().ToArray<float>());
        using (Torch.NoGrad()) first.Weight.Mul_(0.5); // in place
        Assert.Equal(Reference().ToArray<float>(), Infer().ToArray<float>());
        F.CrossEntropy(model.Call(x), Torch.Zeros([32], DType.Int64)).Backward(); // an optimizer step
        optimizer.Step();
        Assert.Equal(Reference().ToArray<float>(), Infer().ToArray<float>());
        var state = model.StateDict(); // a loaded checkpoint
        using (Torch.NoGrad()) state["0.weight"] = state["0.weight"] + 1;
        model.LoadStateDict(state);
        Assert.Equal(Reference().ToArray<float>(), Infer().ToArray<float>());
    }

    [Fact]
    public void WeightsOverTheCallersArrayAreNeverCached()
    {
        var values = new float[40 * 30];
        for (int i = 0; i < values.Length; i++) values[i] = (i % 7) - 3;
        var weight = Torch.FromArray(values, 40, 30);
        var x = Torch.Ones(16, 30);
        using (Torch.NoGrad())
        {
            var before = F.Linear(x, weight, Torch.Zeros(40)).ToArray<float>();
            values[0] += 100; // written behind the tensor's back: no version bump
            var after = F.Linear(x, weight, Torch.Zeros(40)).ToArray<float>();
            Assert.Equal(before[0] + 100, after[0]);
            Assert.Same(Storage.Lent, weight._storage.Packed);
        }
    }

    [Fact]
    public void TwoWeightsOverOneStorageKeepTheFirstPackAndStayCorrect()
    {
        Torch.ManualSeed(11);
        var flat = Torch.Randn(2 * 40 * 30);
        var first = flat.Narrow(0, 0, 1200).View(40, 30);
        var second = flat.Narrow(0, 1200, 1200).View(40, 30);
        var x = Torch.Randn(16, 30);
        var bias = Torch.Zeros(40);
        var expectedFirst = F.Linear(x, first.Detach().Clone().RequiresGrad_(), bias).ToArray<float>();
        var expectedSecond = F.Linear(x, second.Detach().Clone().RequiresGrad_(), bias).ToArray<float>();
        using (Torch.NoGrad())
            for (int round = 0; round < 2; round++)
            {
                Assert.Equal(expectedFirst, F.Linear(x, first, bias).ToArray<float>());
                var kept = flat._storage.Packed;
                Assert.NotNull(kept);
                Assert.Equal(expectedSecond, F.Linear(x, second, bias).ToArray<float>());
                Assert.Same(kept, flat._storage.Packed); // the second matrix did not replace the first's pack
            }
    }
}
