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
        ForEachTap(channels, w, (colIndex, pixel) =>
        {
            if (pixel >= 0) expected[pixel] += col[colIndex];
        });
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

        ForEachTap(channels, w, (colIndex, pixel) => Assert.Equal(pixel < 0 ? 0 : image[pixel], col[colIndex]));
        Assert.True(float.IsNaN(col[^1]), "im2col wrote past its matrix");
    }

    // Every tap of every window, in the unrolled matrix's order: its index there, and the image pixel it reads (-1 in the padding).
    private static void ForEachTap(int channels, Window2d w, Action<int, int> visit)
    {
        for (int c = 0, at = 0; c < channels; c++)
            for (int ki = 0; ki < w.KernelH; ki++)
                for (int kj = 0; kj < w.KernelW; kj++)
                    for (int oh = 0; oh < w.OutH; oh++)
                        for (int ow = 0; ow < w.OutW; ow++, at++)
                        {
                            int ih = oh * w.StrideH - w.PadTop + ki * w.DilationH, iw = ow * w.StrideW - w.PadLeft + kj * w.DilationW;
                            visit(at, ih < 0 || ih >= w.Height || iw < 0 || iw >= w.Width ? -1 : (c * w.Height + ih) * w.Width + iw);
                        }
    }
}
