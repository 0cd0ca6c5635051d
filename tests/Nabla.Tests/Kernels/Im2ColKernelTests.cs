using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

// im2col copies every tap of every window (zeros in the padding) and col2im adds every tap back to its pixel; the
// vector row copy and add for stride 1 (rows of any length, so every tail) must give the bits of the per-tap loops.
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

    [Theory]
    [InlineData(1, 1, 0, 1, 9)]
    [InlineData(5, 1, 0, 1, 28)]
    [InlineData(5, 1, 0, 1, 12)]
    [InlineData(3, 1, 1, 1, 19)]
    [InlineData(3, 2, 1, 1, 11)]
    [InlineData(3, 1, 2, 2, 16)]
    [InlineData(2, 3, 1, 2, 11)]
    public void UnfoldEqualsPerTapReference(int kernel, int stride, int padding, int dilation, int width)
    {
        const int channels = 3, height = 9;
        int outH = (height + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        int outW = (width + 2 * padding - dilation * (kernel - 1) - 1) / stride + 1;
        var w = new Window2d(height, width, kernel, kernel, stride, stride, padding, padding, dilation, dilation, outH, outW);
        var random = new System.Random(kernel * 100 + stride * 10 + width);
        var image = Enumerable.Range(0, channels * w.Plane).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var col = Enumerable.Repeat(float.NaN, channels * w.KernelSize * w.OutPlane + 1).ToArray();
        Im2Col.Unfold<float>(image, channels, w, col);

        for (int c = 0; c < channels; c++)
            for (int ki = 0; ki < kernel; ki++)
                for (int kj = 0; kj < kernel; kj++)
                    for (int oh = 0; oh < outH; oh++)
                        for (int ow = 0; ow < outW; ow++)
                        {
                            int ih = oh * stride - padding + ki * dilation, iw = ow * stride - padding + kj * dilation;
                            float expected = ih < 0 || ih >= height || iw < 0 || iw >= width ? 0 : image[(c * height + ih) * width + iw];
                            Assert.Equal(expected, col[((c * kernel + ki) * kernel + kj) * w.OutPlane + oh * outW + ow]);
                        }
        Assert.True(float.IsNaN(col[^1]), "im2col wrote past its matrix");
    }
}
