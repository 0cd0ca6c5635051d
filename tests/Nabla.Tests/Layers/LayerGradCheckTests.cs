using Nabla.NN;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Layers;

/// <summary>
/// Every layer function's analytic gradients in float64 against central finite differences, for the input and each weight.
/// (A shared GradCheck helper is being written on another branch; until it lands this file carries its own small check.)
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class LayerGradCheckTests
{
    // float64 central differences over the full Jacobian (torch.autograd.gradcheck).
    private static void GradCheck(Func<Tensor[], Tensor> f, params Tensor[] inputs)
        => Assert.True(Nabla.Autograd.GradCheck.Check(f, inputs, atol: 1e-6, rtol: 1e-4));

    private static Tensor R(params long[] shape) => Torch.Randn(shape, DType.Float64, requiresGrad: true);

    [Fact]
    public void Conv1dWithStridePaddingDilationGroupsAndBias()
    {
        Torch.ManualSeed(1);
        GradCheck(t => F.Conv1d(t[0], t[1], t[2], stride: 2, padding: 1, dilation: 2, groups: 2), R(2, 4, 9), R(6, 2, 3), R(6));
    }

    [Fact]
    public void Conv2dStridedAndPadded()
    {
        Torch.ManualSeed(2);
        GradCheck(t => F.Conv2d(t[0], t[1], t[2], stride: (2, 1), padding: (1, 2)), R(2, 3, 6, 5), R(4, 3, 3, 2), R(4));
    }

    [Fact]
    public void Conv2dSamePaddingDilatedGrouped()
    {
        Torch.ManualSeed(3);
        GradCheck(t => F.Conv2d(t[0], t[1], null, padding: "same", dilation: (2, 1), groups: 2), R(1, 4, 5, 6), R(2, 2, 2, 3));
    }

    [Fact]
    public void ConvTranspose2dStridedGroupedWithOutputPadding()
    {
        Torch.ManualSeed(4);
        GradCheck(t => F.ConvTranspose2d(t[0], t[1], t[2], stride: 2, padding: 1, outputPadding: 1, groups: 2), R(2, 4, 3, 3), R(4, 3, 3, 3), R(6));
    }

    [Fact]
    public void ConvTranspose2dDilated()
    {
        Torch.ManualSeed(5);
        GradCheck(t => F.ConvTranspose2d(t[0], t[1], null, stride: (1, 2), dilation: 2), R(1, 2, 3, 4), R(2, 3, 2, 3));
    }

    [Fact]
    public void MaxPool1dAndMaxPool2d()
    {
        Torch.ManualSeed(6);
        GradCheck(t => F.MaxPool1d(t[0], 3, stride: 2, padding: 1, dilation: 2, ceilMode: true), R(2, 2, 11));
        GradCheck(t => F.MaxPool2d(t[0], (3, 2), stride: (2, 1), padding: 1, ceilMode: true), R(2, 2, 7, 6));
    }

    [Fact]
    public void AvgPool1dAndAvgPool2d()
    {
        Torch.ManualSeed(7);
        GradCheck(t => F.AvgPool1d(t[0], 4, stride: 2, padding: 2, ceilMode: true, countIncludePad: false), R(2, 2, 11));
        GradCheck(t => F.AvgPool2d(t[0], 3, stride: 2, padding: 1, ceilMode: true), R(1, 2, 7, 6));
        GradCheck(t => F.AvgPool2d(t[0], 2, divisorOverride: 3), R(1, 1, 4, 4));
    }

    [Fact]
    public void AdaptiveAvgPool2d()
    {
        Torch.ManualSeed(8);
        GradCheck(t => F.AdaptiveAvgPool2d(t[0], (3, 4)), R(2, 2, 7, 10));
        GradCheck(t => F.AdaptiveAvgPool2d(t[0], 1), R(2, 2, 3, 3));
    }

    [Fact]
    public void BatchNormInTrainingAndEvaluation()
    {
        Torch.ManualSeed(9);
        GradCheck(t => F.BatchNorm(t[0], null, null, t[1], t[2], training: true), R(4, 3, 2, 2), R(3), R(3));
        var mean = Torch.Randn([3], DType.Float64);
        var variance = Torch.Rand([3], DType.Float64) + 0.5;
        GradCheck(t => F.BatchNorm(t[0], mean, variance, t[1], t[2], training: false), R(4, 3, 5), R(3), R(3));
    }

    [Fact]
    public void LayerNormAndGroupNorm()
    {
        Torch.ManualSeed(10);
        GradCheck(t => F.LayerNorm(t[0], [3, 4], t[1], t[2]), R(2, 3, 4), R(3, 4), R(3, 4));
        GradCheck(t => F.LayerNorm(t[0], 5), R(3, 5));
        GradCheck(t => F.GroupNorm(t[0], 2, t[1], t[2]), R(3, 4, 2, 3), R(4), R(4));
    }

    [Fact]
    public void EmbeddingWithRepeatedIndices()
    {
        // No padding_idx here: its row is read in forward but deliberately gets no gradient (checked by the parity goldens).
        Torch.ManualSeed(11);
        var idx = Torch.Tensor(new long[,] { { 1, 4, 1 }, { 0, 4, 2 } });
        GradCheck(t => F.Embedding(idx, t[0]), R(5, 3));
    }

    [Fact]
    public void DropoutWithAFixedMask()
    {
        Torch.ManualSeed(12);
        GradCheck(t => F.Dropout(t[0], 0.4, generator: new Generator().ManualSeed(3)), R(3, 7));
    }
}
