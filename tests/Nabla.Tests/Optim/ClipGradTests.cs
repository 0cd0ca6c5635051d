using System.Text.Json;
using Nabla.NN;
using Xunit;

namespace Nabla.Tests.Optim;

/// <summary>clip_grad_norm_ and clip_grad_value_ against PyTorch 1.13 (goldens/optim.json, "clip").</summary>
public class ClipGradTests
{
    private static JsonElement Clip => Goldens.Load("optim").GetProperty("clip");

    /// <summary>Three parameters with the golden gradients and a fourth without one (gen_optim.py's clip_params).</summary>
    private static Tensor[] Params()
    {
        var grads = Clip.GetProperty("grads").EnumerateArray().Select(Goldens.Tensor).ToList();
        var ps = grads.Select(g => Torch.ZerosLike(g).RequiresGrad_()).Append(Torch.Zeros(3).RequiresGrad_()).ToArray();
        for (int i = 0; i < grads.Count; i++) ps[i].Grad = grads[i];
        return ps;
    }

    public static IEnumerable<object[]> NormCases() => Enumerable.Range(0, Clip.GetProperty("norm").GetArrayLength()).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(NormCases))]
    public void ClipGradNormReturnsPyTorchsTotalNormAndClippedGradients(int i)
    {
        var c = Clip.GetProperty("norm")[i];
        double normType = Goldens.Number(c.GetProperty("norm_type")), maxNorm = c.GetProperty("max_norm").GetDouble();
        var ps = Params();
        var total = Utils.ClipGradNorm_(ps, maxNorm: maxNorm, normType: normType);
        string context = $"max_norm={maxNorm}, norm_type={normType}";
        TensorAssert.Close(Goldens.Tensor(c.GetProperty("total_norm")), total, rtol: 1e-6, atol: 0, context + " total norm");
        var grads = c.GetProperty("grads").EnumerateArray().Select(Goldens.Tensor).ToArray();
        for (int k = 0; k < grads.Length; k++) TensorAssert.Close(grads[k], ps[k].Grad!, rtol: 1e-6, atol: 1e-9, $"{context}, grad {k}");
        Assert.Null(ps[3].Grad);
    }

    [Fact]
    public void ClipGradNormWithALargeMaxNormLeavesGradientsUnchanged()
    {
        var ps = Params();
        var before = ps[..3].Select(p => p.Grad!.Clone()).ToArray();
        Utils.ClipGradNorm_(ps, maxNorm: 1e6);
        for (int k = 0; k < 3; k++) TensorAssert.Equal(before[k], ps[k].Grad!);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void ClipGradValueClampsEveryElementAsPyTorch(int i)
    {
        var c = Clip.GetProperty("value")[i];
        var ps = Params();
        Utils.ClipGradValue_(ps, clipValue: c.GetProperty("clip_value").GetDouble());
        var grads = c.GetProperty("grads").EnumerateArray().Select(Goldens.Tensor).ToArray();
        for (int k = 0; k < grads.Length; k++) TensorAssert.Equal(grads[k], ps[k].Grad!);
    }

    [Fact]
    public void NonFiniteTotalNormThrowsWhenAsked()
    {
        var ps = Params();
        ps[1].Grad![0] = Torch.Tensor(double.PositiveInfinity);
        var e = Assert.Throws<InvalidOperationException>(() => Utils.ClipGradNorm_(ps, 1.0, errorIfNonfinite: true));
        // PyTorch's message, with the C# argument name.
        Assert.Equal(Clip.GetProperty("nonfinite_error").GetString()!.Replace("error_if_nonfinite=False", "errorIfNonfinite: false"), e.Message);
        var total = Utils.ClipGradNorm_(ps, 1.0);
        Assert.True(float.IsPositiveInfinity(total.Item<float>()));
    }

    [Fact]
    public void NoGradientsGiveAZeroTotalNorm()
    {
        var total = Utils.ClipGradNorm_(Torch.Zeros(2).RequiresGrad_(), 1.0);
        TensorAssert.Equal(Goldens.Tensor(Clip.GetProperty("empty_norm")), total);
    }

    [Theory]
    [InlineData(2.0, DType.Float32)]
    [InlineData(1.0, DType.Float32)]
    [InlineData(double.PositiveInfinity, DType.Float32)]
    [InlineData(3.0, DType.Float32)]
    [InlineData(2.0, DType.Float64)]
    [InlineData(double.PositiveInfinity, DType.Float64)]
    public void ClipGradNormInPlaceLoopsMatchTheTensorOpsOnStridedGradients(double normType, DType dtype)
    {
        // Transposed views take the tensor-op path; their contiguous copies take the in-place loops.
        var generator = new Generator().ManualSeed(11);
        var strided = new[] { Torch.Randn([33, 7], dtype, generator: generator).T(), Torch.Randn([40, 25], dtype, generator: generator).T() };
        var contiguous = strided.Select(g => g.Contiguous()).ToArray();
        var ps = contiguous.Select(g => Torch.ZerosLike(g).RequiresGrad_()).ToArray();
        var reference = strided.Select(g => Torch.ZerosLike(g).RequiresGrad_()).ToArray();
        for (int i = 0; i < ps.Length; i++) (ps[i].Grad, reference[i].Grad) = (contiguous[i], strided[i]);
        var total = Utils.ClipGradNorm_(ps, maxNorm: 0.5, normType: normType);
        var referenceTotal = Utils.ClipGradNorm_(reference, maxNorm: 0.5, normType: normType);
        TensorAssert.Equal(referenceTotal, total);
        for (int i = 0; i < ps.Length; i++)
        {
            Assert.Same(contiguous[i], ps[i].Grad);
            TensorAssert.Equal(reference[i].Grad!, ps[i].Grad!);
        }
        Utils.ClipGradValue_(ps, 0.01);
        Utils.ClipGradValue_(reference, 0.01);
        for (int i = 0; i < ps.Length; i++) TensorAssert.Equal(reference[i].Grad!, ps[i].Grad!);
    }
}
