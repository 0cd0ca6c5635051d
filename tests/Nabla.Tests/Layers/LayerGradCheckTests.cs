using Nabla.NN;
using Xunit;
using F = Nabla.NN.Functional;

namespace Nabla.Tests.Layers;

/// <summary>
/// Every layer function's analytic first and second derivatives in float64 against central finite differences
/// (gradcheck and gradgradcheck), for the input and each weight.
/// </summary>
[Collection(DefaultGeneratorCollection.Name)]
public class LayerGradCheckTests
{
    private static Tensor R(params long[] shape) => Torch.Randn(shape, DType.Float64, requiresGrad: true);

    private static readonly Tensor s_mean = Torch.Tensor(new double[] { 0.3, -0.2, 1.1 }, DType.Float64);
    private static readonly Tensor s_variance = Torch.Tensor(new double[] { 0.7, 1.5, 0.9 }, DType.Float64);
    private static readonly Tensor s_indices = Torch.Tensor(new long[,] { { 1, 4, 1 }, { 0, 4, 2 } });

    /// <summary>A layer function and its inputs, made after seeding.</summary>
    public sealed record LayerCase(int Seed, Func<Tensor[], Tensor> Function, Func<Tensor[]> Inputs);

    /// <summary>The cases by name; also walked by the coverage test that every backward node is checked.</summary>
    public static readonly Dictionary<string, LayerCase> Cases = new()
    {
        ["conv1d_stride_padding_dilation_groups_bias"] = new(1, t => F.Conv1d(t[0], t[1], t[2], stride: 2, padding: 1, dilation: 2, groups: 2), () => [R(2, 4, 9), R(6, 2, 3), R(6)]),
        ["conv2d_strided_padded"] = new(2, t => F.Conv2d(t[0], t[1], t[2], stride: (2, 1), padding: (1, 2)), () => [R(2, 3, 6, 5), R(4, 3, 3, 2), R(4)]),
        ["conv2d_same_dilated_grouped"] = new(3, t => F.Conv2d(t[0], t[1], null, padding: "same", dilation: (2, 1), groups: 2), () => [R(1, 4, 5, 6), R(2, 2, 2, 3)]),
        ["conv_transpose2d_strided_grouped_output_padding"] = new(4, t => F.ConvTranspose2d(t[0], t[1], t[2], stride: 2, padding: 1, outputPadding: 1, groups: 2), () => [R(2, 4, 3, 3), R(4, 3, 3, 3), R(6)]),
        ["conv_transpose2d_dilated"] = new(5, t => F.ConvTranspose2d(t[0], t[1], null, stride: (1, 2), dilation: 2), () => [R(1, 2, 3, 4), R(2, 3, 2, 3)]),
        ["max_pool1d"] = new(6, t => F.MaxPool1d(t[0], 3, stride: 2, padding: 1, dilation: 2, ceilMode: true), () => [R(2, 2, 11)]),
        ["max_pool2d"] = new(6, t => F.MaxPool2d(t[0], (3, 2), stride: (2, 1), padding: 1, ceilMode: true), () => [R(2, 2, 7, 6)]),
        ["avg_pool1d"] = new(7, t => F.AvgPool1d(t[0], 4, stride: 2, padding: 2, ceilMode: true, countIncludePad: false), () => [R(2, 2, 11)]),
        ["avg_pool2d"] = new(7, t => F.AvgPool2d(t[0], 3, stride: 2, padding: 1, ceilMode: true), () => [R(1, 2, 7, 6)]),
        ["avg_pool2d_divisor"] = new(7, t => F.AvgPool2d(t[0], 2, divisorOverride: 3), () => [R(1, 1, 4, 4)]),
        ["adaptive_avg_pool2d"] = new(8, t => F.AdaptiveAvgPool2d(t[0], (3, 4)), () => [R(2, 2, 7, 10)]),
        ["adaptive_avg_pool2d_1x1"] = new(8, t => F.AdaptiveAvgPool2d(t[0], 1), () => [R(2, 2, 3, 3)]),
        ["batch_norm_training"] = new(9, t => F.BatchNorm(t[0], null, null, t[1], t[2], training: true), () => [R(4, 3, 2, 2), R(3), R(3)]),
        ["batch_norm_eval"] = new(9, t => F.BatchNorm(t[0], s_mean, s_variance, t[1], t[2], training: false), () => [R(4, 3, 5), R(3), R(3)]),
        ["layer_norm_affine"] = new(10, t => F.LayerNorm(t[0], [3, 4], t[1], t[2]), () => [R(2, 3, 4), R(3, 4), R(3, 4)]),
        ["layer_norm_plain"] = new(10, t => F.LayerNorm(t[0], 5), () => [R(3, 5)]),
        ["group_norm"] = new(10, t => F.GroupNorm(t[0], 2, t[1], t[2]), () => [R(3, 4, 2, 3), R(4), R(4)]),
        // No padding_idx here: its row is read in forward but deliberately gets no gradient (checked by the parity goldens).
        ["embedding_repeated_indices"] = new(11, t => F.Embedding(s_indices, t[0]), () => [R(5, 3)]),
        ["dropout_fixed_mask"] = new(12, t => F.Dropout(t[0], 0.4, generator: new Generator().ManualSeed(3)), () => [R(3, 7)]),
    };

    public static TheoryData<string> Names() => new(Cases.Keys);

    /// <summary>The case's inputs, drawn after seeding its generator.</summary>
    public static Tensor[] InputsOf(LayerCase c)
    {
        Torch.ManualSeed(c.Seed);
        return c.Inputs();
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void FirstDerivativesMatchFiniteDifferences(string name)
        => Assert.True(Nabla.Autograd.GradCheck.Check(Cases[name].Function, InputsOf(Cases[name]), atol: 1e-6, rtol: 1e-4));

    [Theory]
    [MemberData(nameof(Names))]
    public void SecondDerivativesMatchFiniteDifferences(string name)
        => Assert.True(Nabla.Autograd.GradGradCheck.Check(Cases[name].Function, InputsOf(Cases[name]), atol: 1e-6, rtol: 1e-4));
}
