using Nabla.NN;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Layers;

/// <summary>Training and evaluation behave as in PyTorch: BatchNorm's running statistics over several steps, Dropout's masks.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class TrainEvalTests
{
    [Theory]
    [InlineData("momentum_0.1", 0.1)]
    [InlineData("momentum_none", null)]
    public void BatchNormRunningStatsAfterSeveralStepsThenEvalUsesThem(string name, double? momentum)
    {
        var golden = Goldens.Load("layers").GetProperty("train_eval").GetProperty(name);
        Torch.ManualSeed(7);
        var bn = new BatchNorm2d(3, momentum: momentum);
        int step = 0;
        foreach (var s in golden.GetProperty("steps").EnumerateArray())
        {
            var x = Torch.Randn(4, 3, 3, 3) * 2 + 1;
            TensorAssert.Equal(Goldens.Tensor(s.GetProperty("input")), x, $"step {step} input");
            var y = bn.Call(x);
            TensorAssert.Close(Goldens.Tensor(s.GetProperty("output")), y, 1e-5, 1e-6, $"step {step} output");
            TensorAssert.Close(Goldens.Tensor(s.GetProperty("running_mean")), bn.RunningMean!, 1e-6, 1e-7, $"step {step} running_mean");
            TensorAssert.Close(Goldens.Tensor(s.GetProperty("running_var")), bn.RunningVar!, 1e-6, 1e-7, $"step {step} running_var");
            TensorAssert.Equal(Goldens.Tensor(s.GetProperty("num_batches_tracked")), bn.NumBatchesTracked!, $"step {step} num_batches_tracked");
            step++;
        }
        bn.Eval();
        var xe = Torch.Randn(2, 3, 3, 3);
        TensorAssert.Equal(Goldens.Tensor(golden.GetProperty("eval_input")), xe);
        TensorAssert.Close(Goldens.Tensor(golden.GetProperty("eval_output")), bn.Call(xe), 1e-5, 1e-6, "eval output");
        Assert.Equal(4L, bn.NumBatchesTracked!.Item<long>());
        Assert.Equal(DType.Int64, bn.NumBatchesTracked.DType);
        Assert.Equal(0, bn.NumBatchesTracked.Dim);
    }

    [Fact]
    public void DropoutMasksAfterManualSeedArePyTorchsBitForBit()
    {
        foreach (var c in Goldens.Load("layers").GetProperty("train_eval").GetProperty("dropout").EnumerateArray())
        {
            double p = c.GetProperty("p").GetDouble();
            var x = Goldens.Tensor(c.GetProperty("input"));
            Torch.ManualSeed(c.GetProperty("seed").GetInt64());
            var y = F.Dropout(x, p);
            var expected = Goldens.Tensor(c.GetProperty("output"));
            TensorAssert.Equal(expected, y, $"p={p}");
            // Dropped negative inputs give -0.0, as in PyTorch.
            Assert.Equal(expected.ToArray<float>().Select(float.IsNegative), y.ToArray<float>().Select(float.IsNegative));
        }
    }

    [Fact]
    public void DropoutIsTheIdentityInEvalAndForPZero()
    {
        var x = Torch.Randn(3, 4);
        var dropout = new Dropout(0.5);
        dropout.Eval();
        Assert.Same(x, dropout.Call(x));
        Assert.Same(x, F.Dropout(x, 0.0));
        Assert.Same(x, F.Dropout(x, 0.7, training: false));
    }

    [Fact]
    public void DropoutKeepsTheExpectedValueAndRecordsMulBackward()
    {
        Torch.ManualSeed(0);
        var x = Torch.Ones([10000], requiresGrad: true);
        var y = F.Dropout(x, 0.25);
        Assert.Equal("MulBackward0", y.GradFn!.Name);
        Assert.InRange(y.Mean().Item<float>(), 0.97f, 1.03f);
        y.Sum().Backward();
        // The gradient is the mask: 0 or 1/(1 - p).
        Assert.All(x.Grad!.ToArray<float>(), g => Assert.True(g == 0f || g == 1f / 0.75f));
    }

    [Fact]
    public void EvalSwitchesEveryDescendantAndBatchNormUsesRunningStats()
    {
        var model = new Sequential(new Linear(3, 3), new Sequential(new BatchNorm1d(3), new Dropout()));
        model.Eval();
        Assert.All(model.Modules(), m => Assert.False(m.Training));
        var x = Torch.Randn(4, 3);
        var bn = (BatchNorm1d)((Sequential)model[1])[0];
        // Running stats at init are mean 0 and var 1, so eval output is x / sqrt(1 + eps).
        TensorAssert.Close(x / Math.Sqrt(1 + 1e-5), bn.Call(x), 1e-6, 1e-7);
        Assert.Equal(0L, bn.NumBatchesTracked!.Item<long>());
        model.Train();
        Assert.All(model.Modules(), m => Assert.True(m.Training));
    }

    [Fact]
    public void BatchNormWithoutRunningStatsUsesBatchStatisticsInEval()
    {
        var bn = new BatchNorm1d(2, trackRunningStats: false, affine: false);
        bn.Eval();
        var y = bn.Call(Torch.Tensor(new double[,] { { 1, 10 }, { 3, 30 } }));
        TensorAssert.Close(Torch.Tensor(new double[,] { { -1, -1 }, { 1, 1 } }), y, 1e-4, 1e-4);
        Assert.Null(bn.RunningMean);
        Assert.Empty(bn.StateDict());
    }
}
