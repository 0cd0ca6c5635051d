using Nabla.Kernels;
using Xunit;

namespace Nabla.Tests.Kernels;

// A convolution whose windows read no padding packs its product's B panels straight from the image; the result must be
// the bits of im2col followed by the same product.
public class ConvolutionKernelTests
{
    [Theory]
    [InlineData(1, 1, 6, 28, 28, 5, 1, 1)] // LeNet's first layer
    [InlineData(1, 6, 16, 12, 12, 5, 1, 1)] // its second
    [InlineData(2, 3, 4, 11, 13, 3, 2, 1)] // groups, stride 2
    [InlineData(1, 2, 5, 13, 9, 3, 1, 2)] // dilation 2
    [InlineData(1, 3, 7, 10, 21, 4, 3, 1)] // window positions not a multiple of the panel width
    public void InPlaceUnrollEqualsIm2ColThenProduct(int groups, int channelsPerGroup, int rows, int height, int width, int kernel, int stride, int dilation)
    {
        const int batch = 3;
        int span = dilation * (kernel - 1) + 1;
        int outH = (height - span) / stride + 1, outW = (width - span) / stride + 1;
        var window = new Window2d(height, width, kernel, kernel, stride, stride, 0, 0, dilation, dilation, outH, outW);
        var layout = new Convolution.Layout(batch, groups, channelsPerGroup, rows, window);
        var random = new System.Random(groups * 1000 + rows * 10 + width);
        var image = Enumerable.Range(0, batch * layout.ImagePerSample).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var weight = Enumerable.Range(0, groups * layout.WeightPerGroup).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        Assert.True(window.InsidePlane);
        Assert.True(Gemm.TakesIndexed<float>(rows, layout.K, window.OutPlane), "the case must take the in-place path");

        var matrix = new float[batch * layout.MatrixPerSample];
        Convolution.ImageToMatrix(image, weight, matrix, layout);

        var col = new float[layout.K * window.OutPlane];
        var expected = new float[matrix.Length];
        for (int n = 0; n < batch; n++)
            for (int g = 0; g < groups; g++)
            {
                int plane = channelsPerGroup * window.Plane;
                Im2Col.Unfold<float>(image.AsSpan(n * layout.ImagePerSample + g * plane, plane), channelsPerGroup, window, col);
                Gemm.Multiply<float>(weight.AsSpan(g * layout.WeightPerGroup, layout.WeightPerGroup), col,
                    expected.AsSpan(n * layout.MatrixPerSample + g * rows * window.OutPlane, rows * window.OutPlane), rows, layout.K, window.OutPlane, false);
            }
        Assert.Equal(expected, matrix);
    }
}
