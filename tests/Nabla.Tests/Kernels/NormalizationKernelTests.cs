using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

// Normalisation statistics and the affine map give the same bits whether the block is split between threads or not and
// whatever the vector width: statistics by channel in one documented order, the map as a product then a sum.
[Collection(ThreadCountCollection.Name)]
public class NormalizationKernelTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 5)]
    [InlineData(4, 16, 49)]       // inner not a multiple of any vector width
    [InlineData(64, 32, 196)]     // large enough to split between threads
    [InlineData(1, 300, 768)]     // a layer norm's rows
    public void MomentsFollowTheDocumentedOrder(int outer, int channels, int inner)
    {
        // Each of a channel's runs summed in FloatingSum's order (tested against its scalar form in ReduceKernelTests),
        // the runs added in order; the deviations squared in float first.
        var x = Values(outer * channels * inner, outer + channels);
        var expectedMean = new float[channels];
        var expectedDeviations = new double[channels];
        for (int c = 0; c < channels; c++)
        {
            double sum = 0;
            for (int o = 0; o < outer; o++) sum += FloatingSum.Row(x.AsSpan((o * channels + c) * inner, inner));
            float m = (float)(sum / ((long)outer * inner));
            double dev = 0;
            for (int o = 0; o < outer; o++)
            {
                var squares = new float[inner];
                for (int i = 0; i < inner; i++)
                {
                    float d = x[(o * channels + c) * inner + i] - m;
                    squares[i] = d * d;
                }
                dev += FloatingSum.Row(squares);
            }
            expectedMean[c] = m;
            expectedDeviations[c] = dev;
        }
        ThreadCountCollection.ForEachThreadCount(() =>
        {
            var mean = new float[channels];
            var deviations = new double[channels];
            Normalization.Moments<float>(x, outer, channels, inner, mean, deviations);
            Assert.Equal(expectedMean, mean);
            Assert.Equal(expectedDeviations, deviations);
        });
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 7)]
    [InlineData(3, 5, 33)]
    [InlineData(64, 64, 64)]      // split between threads
    public void ChannelAffineMatchesTheScalarProductThenSum(int outer, int channels, int inner)
    {
        var x = Values(outer * channels * inner, 7);
        var alpha = Values(channels, 8);
        var beta = Values(channels, 9);
        var expected = new float[x.Length];
        for (int o = 0; o < outer; o++)
            for (int c = 0; c < channels; c++)
                for (int i = 0; i < inner; i++)
                {
                    int at = (o * channels + c) * inner + i;
                    float product = x[at] * alpha[c];
                    expected[at] = product + beta[c];
                }
        ThreadCountCollection.ForEachThreadCount(() =>
        {
            var y = new float[x.Length];
            Normalization.ChannelAffine<float>(x, outer, channels, inner, alpha, beta, y);
            for (int i = 0; i < y.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(y[i]), $"element {i}: {y[i]:R} vs {expected[i]:R}");
        });
    }

    [Fact]
    public void ChannelAffineInDoubleMatchesTheScalarLoop()
    {
        const int outer = 3, channels = 4, inner = 37;
        var x = Values(outer * channels * inner, 11).Select(v => (double)v * 1.000001).ToArray();
        double[] alpha = [0.5, -1.25, 3.0000001, 1e-3], beta = [0.1, 0.2, -0.3, 7.77];
        var y = new double[x.Length];
        Normalization.ChannelAffine<double>(x, outer, channels, inner, alpha, beta, y);
        for (int i = 0; i < y.Length; i++)
        {
            int c = i / inner % channels;
            double product = x[i] * alpha[c];
            Assert.Equal(BitConverter.DoubleToInt64Bits(product + beta[c]), BitConverter.DoubleToInt64Bits(y[i]));
        }
    }

    [Theory]
    [InlineData(4, 7)]
    [InlineData(300, 768)] // split between threads
    public void LayerNormAppliesWeightAndBiasInTheSamePassWithTheSeparateOpsBits(int rows, int d)
    {
        Torch.ManualSeed(rows + d);
        var x = Torch.Randn(rows, d) * 3 + 1;
        var weight = Torch.Randn(d);
        var bias = Torch.Randn(d);
        ThreadCountCollection.ForEachThreadCount(() =>
        {
            Tensor expected;
            using (Torch.NoGrad()) expected = Nabla.NN.Functional.LayerNorm(x, d) * weight + bias;
            var actual = Nabla.NN.Functional.LayerNorm(x, d, weight, bias);
            var e = expected.ToArray<float>();
            var a = actual.ToArray<float>();
            for (int i = 0; i < e.Length; i++)
                Assert.True(BitConverter.SingleToInt32Bits(e[i]) == BitConverter.SingleToInt32Bits(a[i]), $"element {i}: {a[i]:R} vs {e[i]:R}");
        });
    }

    private static float[] Values(int n, int seed)
    {
        var random = new System.Random(seed);
        var v = new float[n];
        for (int i = 0; i < n; i++) v[i] = (float)(random.NextDouble() * 4 - 1.5) * (i % 5 == 0 ? 100 : 1);
        return v;
    }
}
