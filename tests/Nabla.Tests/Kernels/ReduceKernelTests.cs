using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

// Floating sums take one fixed order (FloatingSum): the same bits with one thread or two, left to right for short
// rows, and column sums (a bias gradient's Sum(0)) in the order of the scalar loop.
[Collection(ThreadCountCollection.Name)]
public class ReduceKernelTests
{
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(31)]
    [InlineData(1000)]
    [InlineData(100_003)]
    [InlineData(1_000_003)]
    public void FloatSumIsThreadCountIndependentAndAccurate(int n)
    {
        var x = Values(n, 1);
        var sums = new List<float>();
        ThreadCountCollection.ForEachThreadCount(() =>
        {
            var d = new float[1];
            Reduce.Sum(x, n, d);
            sums.Add(d[0]);
        });
        Assert.Equal(BitConverter.SingleToInt32Bits(sums[0]), BitConverter.SingleToInt32Bits(sums[1]));
        // Within one float ulp of the exact (decimal) sum.
        float exact = (float)x.Sum(v => (decimal)v);
        Assert.True(Math.Abs(exact - sums[0]) <= MathF.BitIncrement(Math.Abs(exact)) - Math.Abs(exact), $"{sums[0]} vs {exact}");
    }

    // The documented order, scalar: element i of a block goes to lane i mod 16, lanes then blocks added in order.
    // Compared in double, so any change of order (a vector path that regroups lanes) shows.
    [Theory]
    [InlineData(17)]
    [InlineData(1000)]
    [InlineData(FloatingSum.Block + 37)]
    [InlineData(5 * FloatingSum.Block + 3)]
    public void FloatSumFollowsTheDocumentedLaneOrder(int n)
    {
        var x = Values(n, 3);
        double expected = 0;
        for (int start = 0; start < n; start += FloatingSum.Block)
        {
            var lanes = new double[FloatingSum.Lanes];
            int end = Math.Min(n, start + FloatingSum.Block);
            for (int i = start; i < end; i++) lanes[(i - start) % FloatingSum.Lanes] += x[i];
            double block = 0;
            foreach (var v in lanes) block += v;
            expected += block;
        }
        ThreadCountCollection.ForEachThreadCount(() => Assert.Equal(expected, FloatingSum.Row(x)));
    }

    // The sum of squared deviations normalisation takes: the squares formed as the scalar expression rounds them, then
    // exactly the sum Row gives over them, with one thread or two.
    [Theory]
    [InlineData(7)]
    [InlineData(16)]
    [InlineData(1000)]
    [InlineData(FloatingSum.Block + 37)]
    [InlineData(5 * FloatingSum.Block + 3)]
    public void SquaredDeviationsSumLikeRowOverTheSquares(int n)
    {
        var x = Values(n, 5);
        const float m = 0.3125f;
        var squares = x.Select(v => { float d = v - m; return d * d; }).ToArray();
        var wide = x.Select(v => (double)v * 1.0000001).ToArray();
        var wideSquares = wide.Select(v => { double d = v - m; return d * d; }).ToArray();
        double expected = FloatingSum.Row(squares), expectedWide = FloatingSum.Row(wideSquares);
        ThreadCountCollection.ForEachThreadCount(() =>
        {
            Assert.Equal(expected, FloatingSum.SquaredDeviations(x, m));
            Assert.Equal(expectedWide, FloatingSum.SquaredDeviations(wide, m));
        });
    }

    [Fact]
    public void ShortRowsSumLeftToRightInDouble()
    {
        var x = Values(16 * 5, 2);
        var d = new float[5];
        Reduce.Sum(x, 16, d);
        for (int o = 0; o < 5; o++)
        {
            double acc = 0;
            for (int i = 0; i < 16; i++) acc += x[o * 16 + i];
            Assert.Equal((float)acc, d[o]);
        }
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(3, 7, 31)]
    [InlineData(2, 64, 1001)]
    [InlineData(1, 5, 2000)]
    public void ColumnSumsEqualTheScalarLoop(int outer, int n, int inner)
    {
        var x = Values(outer * n * inner, 3);
        var d = new float[outer * inner];
        Reduce.SumColumns(x, outer, n, inner, d);
        var xd = x.Select(v => (double)v).ToArray();
        var dd = new double[outer * inner];
        Reduce.SumColumns(xd, outer, n, inner, dd);
        for (int o = 0; o < outer; o++)
            for (int j = 0; j < inner; j++)
            {
                double acc = 0;
                for (int i = 0; i < n; i++) acc += x[(o * n + i) * inner + j];
                Assert.Equal((float)acc, d[o * inner + j]);
                Assert.Equal(acc, dd[o * inner + j]);
            }
    }

    [Fact]
    public void SumOverLeadingDimMatchesSumOfTransposedCopy()
    {
        var t = Torch.Tensor(Values(64 * 10, 4)).Reshape([64, 10]);
        var fast = t.Sum(0).ToArray<float>();
        // A non-contiguous view takes the gather-then-rows path; for 64 rows the orders agree only to rounding.
        var general = t.T().Contiguous().T().Sum(0).ToArray<float>();
        for (int j = 0; j < 10; j++) Assert.Equal(general[j], fast[j], 1e-5f);
    }

    private static float[] Values(int n, int seed)
    {
        var random = new System.Random(seed);
        return Enumerable.Range(0, n).Select(_ => (float)(random.NextDouble() - 0.3)).ToArray();
    }
}
