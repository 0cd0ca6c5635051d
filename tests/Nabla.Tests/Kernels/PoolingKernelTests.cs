using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

// Max pooling takes the first maximum of each window in row-major scan order, and a NaN wins (the last NaN when
// several); the vector path for windows inside their planes must give the same values and indices as that scan.
public class PoolingKernelTests
{
    [Theory]
    [InlineData(3, 24, 24, 2, 2, 2, 2)]
    [InlineData(5, 8, 8, 2, 2, 2, 2)]
    [InlineData(2, 7, 9, 3, 2, 1, 2)]
    [InlineData(1, 5, 5, 5, 5, 1, 1)]
    [InlineData(7, 6, 11, 3, 3, 2, 3)]
    [InlineData(4, 1, 13, 1, 4, 1, 3)]
    public void MaxForwardMatchesTheFirstMaximumScan(int planes, int height, int width, int kh, int kw, int sh, int sw)
    {
        var w = new Window2d(height, width, kh, kw, sh, sw, 0, 0, 1, 1, (height - kh) / sh + 1, (width - kw) / sw + 1);
        var rng = new System.Random(planes * 1000 + height);
        var x = new float[planes * w.Plane];
        for (int i = 0; i < x.Length; i++)
        {
            // Small integers make ties common; some NaNs and infinities.
            x[i] = rng.Next(20) switch { 0 => float.NaN, 1 => float.NegativeInfinity, 2 => float.PositiveInfinity, var k => k % 4 };
        }
        var y = new float[planes * w.OutPlane];
        var idx = new long[y.Length];
        Pooling.MaxForward<float>(x, planes, w, y, idx);
        for (int p = 0, o = 0; p < planes; p++)
            for (int oh = 0; oh < w.OutH; oh++)
                for (int ow = 0; ow < w.OutW; ow++, o++)
                {
                    float max = float.NegativeInfinity;
                    long best = oh * sh * width + ow * sw;
                    for (int i = 0; i < kh; i++)
                        for (int j = 0; j < kw; j++)
                        {
                            long at = (oh * sh + i) * width + ow * sw + j;
                            float v = x[p * w.Plane + at];
                            if (v > max || float.IsNaN(v)) { max = v; best = at; }
                        }
                    Assert.Equal(BitConverter.SingleToInt32Bits(max), BitConverter.SingleToInt32Bits(y[o]));
                    Assert.Equal(best, idx[o]);
                }
    }
}
