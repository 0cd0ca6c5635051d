using Nabla.Autograd;

namespace Nabla.NN;

// The three bilinear products of a convolution's kernels: image→matrix (conv forward), matrix→image (its input gradient)
// and the weight gradient. Each one's partial derivatives are the other two, so a convolution has derivatives of every order.
public static partial class Functional
{
    private enum ConvPart { ImageToMatrix, MatrixToImage, WeightGrad }

    // Shapes of the image side, the matrix (grid) side and the weight, with the kernels' layout.
    private sealed record ConvShapes(Kernels.Convolution.Layout Layout, long[] Image, long[] Matrix, long[] Weight);

    // <m, I→M(i, w)> = <M→I(m, w), i> = <W(i, m), w>: the adjoint identities that give each product's backward.
    private static Tensor ConvBilinear(ConvPart part, Tensor a, Tensor b, ConvShapes s)
    {
        Tensor r;
        using (GradMode.Set(false))
            r = part switch
            {
                ConvPart.ImageToMatrix => ConvProduct(a, b, s.Layout, s.Matrix, toMatrix: true),
                ConvPart.MatrixToImage => ConvProduct(a, b, s.Layout, s.Image, toMatrix: false),
                _ => ConvWeightGrad(a, b, s.Weight, s.Layout),
            };
        if (!Graph.Needs(a, b)) return r;
        Graph.Record("ConvolutionBackwardBackward0", r, [a, b], g => part switch
        {
            ConvPart.ImageToMatrix =>
            [
                a.RequiresGrad ? ConvBilinear(ConvPart.MatrixToImage, g, b, s) : null,
                b.RequiresGrad ? ConvBilinear(ConvPart.WeightGrad, a, g, s) : null,
            ],
            ConvPart.MatrixToImage =>
            [
                a.RequiresGrad ? ConvBilinear(ConvPart.ImageToMatrix, g, b, s) : null,
                b.RequiresGrad ? ConvBilinear(ConvPart.WeightGrad, g, a, s) : null,
            ],
            _ =>
            [
                a.RequiresGrad ? ConvBilinear(ConvPart.MatrixToImage, b, g, s) : null,
                b.RequiresGrad ? ConvBilinear(ConvPart.ImageToMatrix, a, g, s) : null,
            ],
        }, a, b);
        return r;
    }
}
