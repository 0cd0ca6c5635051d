using System.Text.Json;
using Xunit;

namespace Nabla.Tests.Core;

/// <summary>
/// Every core op against PyTorch 1.13 (goldens/core.json "ops", made by tests/goldens/gen_core.py):
/// values and result dtype (promotion), grad_fn names, and str() of the result.
/// </summary>
public class TensorOpsTests
{
    public static TheoryData<string> OpNames() => OpCases.Names(c => !OpCases.IsIndexing(c));

    public static TheoryData<string> NamedGradFns() => OpCases.Names(c => c.GetProperty("assert_grad_fn").GetBoolean());

    // Printing rounds to 4 decimals: compare where the values are bit-exact and the grad_fn name is asserted.
    public static TheoryData<string> Printable() => OpCases.Names(c => c.GetProperty("exact").GetBoolean() && c.GetProperty("assert_grad_fn").GetBoolean());

    [Theory]
    [MemberData(nameof(OpNames))]
    public void ForwardMatchesPyTorchValuesAndDType(string name)
    {
        var c = OpCases.Get(name);
        var (_, inputs) = OpCases.Inputs(c);
        var actual = OpCases.Run(c, inputs);
        var expected = OpCases.Expected(c);
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            OpCases.AssertClose(c, expected[i], actual[i], $"{name} output {i}");
    }

    [Theory]
    [MemberData(nameof(NamedGradFns))]
    public void GradFnNameIsPyTorchs(string name)
    {
        var c = OpCases.Get(name);
        var (_, inputs) = OpCases.Inputs(c);
        var y = OpCases.Run(c, inputs)[0];
        var expected = c.GetProperty("grad_fn");
        Assert.Equal(expected.ValueKind == JsonValueKind.Null ? null : expected.GetString(), y.GradFn?.Name);
        Assert.Equal(expected.ValueKind != JsonValueKind.Null, y.RequiresGrad);
        Assert.Equal(expected.ValueKind == JsonValueKind.Null, y.IsLeaf);
    }

    [Theory]
    [MemberData(nameof(Printable))]
    public void ResultPrintsAsPyTorch(string name)
    {
        var c = OpCases.Get(name);
        var (_, inputs) = OpCases.Inputs(c);
        var y = OpCases.Run(c, inputs)[0];
        Assert.Equal(c.GetProperty("str").GetString(), y.ToString());
    }

    private static Tensor A() => Torch.Tensor(new[,] { { 0.5f, -1.25f, 2f }, { 3f, -0.8022f, 0.125f } }, requiresGrad: true);

    private static readonly Dictionary<string, Func<Tensor>> Prints = new()
    {
        ["leaf"] = A,
        ["mul"] = () => A() * 2,
        ["sum"] = () => A().Sum(),
        ["select"] = () => A()[0],
        ["double_mul"] = () => A().Double() * 2,
        ["detach"] = () => (A() * 2).Detach(),
        ["no_grad_mul"] = () =>
        {
            using (Torch.NoGrad()) return A() * 2;
        },
        ["int"] = () => Torch.Tensor(42),
        ["int_matrix"] = () => Torch.Arange(6).View(2, 3),
        ["int32"] = () => Torch.Tensor(new[] { 1, 2 }, dtype: DType.Int32),
        ["bool"] = () => Torch.Tensor(new[] { true, false }),
        ["scalar"] = () => Torch.Tensor(new[] { -0.8022f }),
        ["f64_leaf"] = () => A().Detach().Double().RequiresGrad_(),
        ["transposed"] = () => A().Detach().T(),
        ["empty"] = () => Torch.Zeros(0, 3),
        ["gt"] = () => A() > 0,
        ["grad"] = () =>
        {
            var a = A();
            (a * a).Sum().Backward();
            return a.Grad!;
        },
    };

    public static TheoryData<string> PrintNames() => [.. Prints.Keys];

    [Theory]
    [MemberData(nameof(PrintNames))]
    public void TensorPrintsAsPyTorch(string name) =>
        Assert.Equal(OpCases.Core.GetProperty("prints").GetProperty(name).GetString(), Prints[name]().ToString());

    [Fact]
    public void ComparisonsGiveBoolTensors()
    {
        var a = Torch.Tensor(new[] { 1f, 2f, 3f });
        var b = Torch.Tensor(new[] { 3f, 2f, 1f });
        foreach (var r in new[] { a > b, a < b, a >= b, a <= b, a.Eq(b), a.Ne(b), a > 1.5, 1.5 < a, a.Eq(2) })
            Assert.Equal(DType.Bool, r.DType);
        Assert.Equal([false, true, false], a.Eq(b).ToArray<bool>());
        Assert.Equal([true, false, true], a.Ne(b).ToArray<bool>());
    }

    [Fact]
    public void StaticFormsMatchMethodForms()
    {
        var a = Torch.Tensor(new[,] { { 0.5, -1.5 }, { 2.0, 0.25 } });
        var b = Torch.Tensor(new[] { 2.0, -0.5 });
        TensorAssert.Equal(a.Add(b, alpha: 3), Torch.Add(a, b, alpha: 3));
        TensorAssert.Equal(a.Sub(b), Torch.Sub(a, b));
        TensorAssert.Equal(a * b, Torch.Mul(a, b));
        TensorAssert.Equal(a / b, Torch.Div(a, b));
        TensorAssert.Equal(a.Matmul(b), Torch.Matmul(a, b));
        TensorAssert.Equal(a.Abs().Exp(), Torch.Exp(Torch.Abs(a)));
        TensorAssert.Equal(a.Abs().Log(), Torch.Log(a.Abs()));
        TensorAssert.Equal(a.Abs().Sqrt(), Torch.Sqrt(a.Abs()));
        TensorAssert.Equal(a.Neg(), Torch.Neg(a));
        TensorAssert.Equal(a.Sin(), Torch.Sin(a));
        TensorAssert.Equal(a.Cos(), Torch.Cos(a));
        TensorAssert.Equal(a.Tanh(), Torch.Tanh(a));
        TensorAssert.Equal(a.Sigmoid(), Torch.Sigmoid(a));
        TensorAssert.Equal(a.Relu(), Torch.Relu(a));
        TensorAssert.Equal(a.Pow(2), Torch.Pow(a, 2));
        TensorAssert.Equal(a.Pow(b), Torch.Pow(a, b));
        TensorAssert.Equal(a.Clamp(min: 0), Torch.Clamp(a, min: 0));
        TensorAssert.Equal(a.Sum(dim: [0, 1]), Torch.Sum(a, dim: [0, 1]));
        TensorAssert.Equal(a.Mean(), Torch.Mean(a));
        TensorAssert.Equal(a.Max(), Torch.Max(a));
        TensorAssert.Equal(a.Min(), Torch.Min(a));
        TensorAssert.Equal(a.Argmax(), Torch.Argmax(a));
        TensorAssert.Equal(Tensor.Where(a > 0, a, b), Torch.Where(a > 0, a, b));
    }

    [Fact]
    public void ReductionsOverSeveralDimsKeepDimsAsSizeOne()
    {
        var x = Torch.Arange(24, dtype: DType.Float32).View(2, 3, 4);
        Assert.Equal([3L], x.Sum(dim: [0, 2]).Shape);
        Assert.Equal([1L, 3, 1], x.Sum(dim: [0, 2], keepdim: true).Shape);
        Assert.Equal([2L, 1, 4], x.Mean(dim: [1], keepdim: true).Shape);
        var (values, indices) = x.Max(dim: 1);
        Assert.Equal([2L, 4], values.Shape);
        Assert.Equal(DType.Int64, indices.DType);
        Assert.All(indices.ToArray<long>(), i => Assert.Equal(2L, i));
    }

    [Fact]
    public void ItemToArrayNumelAndDTypeConversion()
    {
        var x = Torch.Tensor(new[,] { { 1.5f, -2.5f }, { 3.75f, 0f } });
        Assert.Equal(4, x.Numel());
        Assert.Equal([1.5f, -2.5f, 3.75f, 0f], x.ToArray<float>());
        Assert.Equal([1L, -2, 3, 0], x.To(DType.Int64).ToArray<long>()); // truncation toward zero, as C++
        Assert.Equal([true, true, true, false], x.To(DType.Bool).ToArray<bool>());
        Assert.Equal(-2.5, x[0, 1].Item<double>());
        Assert.Equal(42L, Torch.Tensor(42).Item<long>());
        var ex = Assert.Throws<InvalidOperationException>(() => x.Item<float>());
        Assert.Contains("4 elements", ex.Message);
    }

    [Fact]
    public void ViewsShareStorageWithTheirBase()
    {
        var x = Torch.Zeros(2, 3);
        var views = new[] { x.View(6), x.Reshape(3, 2), x.T(), x.Transpose(0, 1), x.Permute(1, 0), x.Unsqueeze(0), x.Flatten(), x[1], x[.., 1..] };
        using (Torch.NoGrad())
            x.Fill_(7);
        foreach (var v in views)
            Assert.All(v.ToArray<float>(), e => Assert.Equal(7f, e));
        x.T()[0].Fill_(1); // writes x[:, 0]
        Assert.Equal([1f, 7, 7, 1, 7, 7], x.ToArray<float>());
        Assert.False(x.T().IsContiguous());
        Assert.Equal([1L, 3], x.T().Strides);
        Assert.Equal(3L, x[1].StorageOffset);
        Assert.Equal([2L, 4, 3], x.Unsqueeze(1).Expand(2, 4, 3).Shape);
        Assert.Equal([0L, 0, 1], Torch.Zeros(3).Expand(2, 4, 3).Strides);
        Assert.Equal([2L, 3], x.Unsqueeze(0).Squeeze().Shape);
    }

    [Fact]
    public void DetachCloneAndDataHaveNoHistory()
    {
        var x = Torch.Randn([2, 2], requiresGrad: true);
        var y = x * 2;
        Assert.Null(y.Detach().GradFn);
        Assert.False(y.Detach().RequiresGrad);
        Assert.Null(y.Data.GradFn);
        Assert.Equal("CloneBackward0", y.Clone().GradFn?.Name);
        var c = x.Clone();
        using (Torch.NoGrad()) c.Fill_(3);
        Assert.NotEqual(3f, x.ToArray<float>()[0]); // clone has its own storage
    }
}
