using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

// col2im adds every tap back to its pixel; the SIMD row add for stride 1 must give the bits of the per-tap loop.
public class Im2ColKernelTests
{
    [Theory]
    [InlineData(1, 1, 0, 1)]
    [InlineData(3, 1, 1, 1)]
    [InlineData(3, 2, 1, 1)]
    [InlineData(3, 1, 2, 2)]
    [InlineData(5, 1, 0, 1)]
    [InlineData(2, 3, 1, 2)]
    public void FoldEqualsPerTapReference(int kernel, int stride, int padding, int dilation)
    {
        const int channels = 2, height = 9, width = 11;
        int outH = (height + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        int outW = (width + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        var w = new Window2d(height, width, kernel, kernel, stride, stride, padding, padding, dilation, dilation, outH, outW);
        var random = new System.Random(kernel * 100 + stride * 10 + padding);
        var col = Enumerable.Range(0, channels * w.KernelSize * w.OutPlane).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var image = new float[channels * w.Plane];
        Im2Col.Fold<float>(col, channels, w, image);

        var expected = new float[image.Length];
        for (int c = 0; c < channels; c++)
            for (int ki = 0; ki < kernel; ki++)
                for (int kj = 0; kj < kernel; kj++)
                    for (int oh = 0; oh < outH; oh++)
                        for (int ow = 0; ow < outW; ow++)
                        {
                            int ih = oh * stride - padding + ki * dilation, iw = ow * stride - padding + kj * dilation;
                            if (ih < 0 || ih >= height || iw < 0 || iw >= width) continue;
                            expected[(c * height + ih) * width + iw] += col[((c * kernel + ki) * kernel + kj) * w.OutPlane + oh * outW + ow];
                        }
        Assert.Equal(expected, image);
    }
}
