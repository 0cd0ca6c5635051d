using System.Text.Json;
using Xunit;

namespace Nabla.Tests.Hardening;

/// <summary>
/// matmul's grad_fn is PyTorch 1.13's for every operand arrangement (UnsafeViewBackward0 for batched results, SqueezeBackward3 for
/// vector @ matrix, CloneBackward0 for matrix @ batch), with its values and gradients (goldens/hardening.json, gen_hardening.py).
/// </summary>
public class MatmulGradFnTests
{
    private static readonly JsonElement[] Cases = [.. Goldens.Load("hardening").GetProperty("matmul_grad_fn").EnumerateArray()];

    public static TheoryData<int> Indices() => [.. Enumerable.Range(0, Cases.Length)];

    [Theory]
    [MemberData(nameof(Indices))]
    public void GradFnValuesAndGradientsMatchPyTorch(int index)
    {
        var c = Cases[index];
        long[] sa = [.. c.GetProperty("a").EnumerateArray().Select(e => e.GetInt64())];
        long[] sb = [.. c.GetProperty("b").EnumerateArray().Select(e => e.GetInt64())];
        var a = (Torch.Arange(Shapes.Numel(sa)).To(DType.Float32).Reshape(sa) / 8 - 1).RequiresGrad_();
        var b0 = Torch.Arange(Shapes.Numel(sb)).To(DType.Float32).Reshape(sb) / 16 - 0.5;
        var b = (c.GetProperty("b_transposed").GetBoolean() ? b0.Transpose(-1, -2).Contiguous().Transpose(-1, -2) : b0).RequiresGrad_();
        var r = a.Matmul(b);
        string what = $"{Shapes.Format(sa)} @ {Shapes.Format(sb)}";
        Assert.True(c.GetProperty("grad_fn").GetString() == r.GradFn!.Name, $"{what}: {r.GradFn.Name}");
        TensorAssert.Close(Goldens.Tensor(c.GetProperty("result")), r, context: what);
        (r * r).Sum().Backward();
        TensorAssert.Close(Goldens.Tensor(c.GetProperty("grad_a")), a.Grad!, context: what + " grad a");
        TensorAssert.Close(Goldens.Tensor(c.GetProperty("grad_b")), b.Grad!, context: what + " grad b");
    }
}
