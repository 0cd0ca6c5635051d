using Nabla.Autograd;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Kernels;

// The one-pass gradients of softmax, log-softmax and reduced nll_loss give the same bits as the composites they stand
// for (the composites still run under double backward, so both paths must agree exactly), with one thread or two.
[Collection(ThreadCountCollection.Name)]
public class LossGradientKernelTests
{
    [Theory]
    [InlineData(64, 10, true)]
    [InlineData(64, 10, false)]
    [InlineData(3, 17, true)]   // rows of 16 or more take FloatingSum's lane order
    [InlineData(5, 1, false)]
    [InlineData(300, 100, true)] // enough rows to split between threads
    [InlineData(300, 100, false)]
    [InlineData(0, 4, true)]
    public void SoftmaxGradientEqualsTheComposite(int rows, int n, bool log)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            Torch.ManualSeed(rows * 31 + n);
            var x = (Torch.Randn(rows, n) * 3).To(dtype);
            var g = Torch.Randn(rows, n).To(dtype);
            Tensor expected;
            using (GradMode.Set(false))
            {
                var y = log ? F.LogSoftmax(x, 1) : F.Softmax(x, 1);
                expected = log ? g - y.Exp() * g.Sum(1, keepdim: true) : y * (g - (g * y).Sum(1, keepdim: true));
            }
            ThreadCountCollection.ForEachThreadCount(() =>
            {
                var leaf = x.Detach().RequiresGrad_();
                var y = log ? F.LogSoftmax(leaf, -1) : F.Softmax(leaf, -1);
                y.Backward(g);
                AssertSameBits(expected, leaf.Grad!, $"{(log ? "log_softmax" : "softmax")} {rows}x{n} {dtype}");
            });
        }
    }

    [Fact]
    public void SoftmaxGradientUnderDoubleBackwardStillRecordsAGraph()
    {
        Torch.ManualSeed(3);
        var x = Torch.Randn([4, 6], DType.Float64).RequiresGrad_();
        var gx = Nabla.Autograd.Autograd.Grad([F.LogSoftmax(x, 1).Select(1, 0).Sum()], [x], createGraph: true)[0]!;
        Assert.NotNull(gx.GradFn);
        Assert.True(GradCheck.Check(t => [F.Softmax(t[0], 1).Select(1, 2).Sum()], [x]));
        Assert.True(GradGradCheck.Check(t => [F.LogSoftmax(t[0], 1)], [x]));
    }

    [Theory]
    [InlineData("mean", 1.0, -100L, false)]
    [InlineData("sum", -2.5, -100L, false)]  // a negative upstream gradient makes the zeros -0
    [InlineData("mean", 0.75, 2L, true)]     // class weights and an ignored class
    [InlineData("sum", double.NaN, -100L, false)]
    [InlineData("mean", double.PositiveInfinity, -100L, false)]
    public void ReducedNllLossGradientEqualsTheComposite(string reduction, double upstream, long ignoreIndex, bool weighted)
    {
        foreach (var dtype in new[] { DType.Float32, DType.Float64 })
        {
            Torch.ManualSeed(11);
            const int rows = 9, classes = 5;
            var input = Torch.Randn(rows, classes).To(dtype).RequiresGrad_();
            var target = Torch.Tensor(new long[] { 0, 2, 4, 2, 1, 3, 2, 0, 4 });
            var weight = weighted ? Torch.Tensor(new[] { 0.5, 1.5, 2.0, 0.25, 1.0 }).To(dtype) : null;
            var loss = F.NllLoss(input, target, weight, ignoreIndex, reduction);
            loss.Backward(Torch.Full([], upstream, dtype: dtype));

            // The composite: -w[t] (over the total counted weight for "mean") as double, rounded to the dtype, times g.
            var w = weight?.ToArray<double>();
            var t = target.ToArray<long>();
            double total = 0;
            for (int i = 0; i < rows; i++) if (t[i] != ignoreIndex) total += w is null ? 1 : w[t[i]];
            var coefficient = new double[rows * classes];
            for (int i = 0; i < rows; i++)
                if (t[i] != ignoreIndex)
                {
                    double c = -(w is null ? 1 : w[t[i]]);
                    coefficient[i * classes + t[i]] = reduction == "mean" ? c / total : c;
                }
            Tensor expected;
            using (GradMode.Set(false))
                expected = Torch.FromArray(coefficient, [rows, classes]).To(dtype) * Torch.Full([], upstream, dtype: dtype);
            AssertSameBits(expected, input.Grad!, $"nll_loss {reduction} g={upstream} {dtype}");
        }
    }

    private static void AssertSameBits(Tensor expected, Tensor actual, string what)
    {
        Assert.Equal(expected.Shape, actual.Shape);
        var e = expected.ToArray<double>();
        var a = actual.ToArray<double>();
        for (int i = 0; i < e.Length; i++)
            if (BitConverter.DoubleToInt64Bits(e[i]) != BitConverter.DoubleToInt64Bits(a[i]))
                Assert.Fail($"{what}: element {i} is {a[i]:R}, the composite gives {e[i]:R}");
    }
}
