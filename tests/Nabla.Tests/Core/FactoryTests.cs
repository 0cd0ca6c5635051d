using Xunit;

namespace Nabla.Tests.Core;

/// <summary>Creation functions against PyTorch (goldens/core.json "factories"): values bit for bit and the inferred dtype.</summary>
[Collection(DefaultGeneratorCollection.Name)]
public class FactoryTests
{
    private static readonly Dictionary<string, Func<Tensor>> Factories = new()
    {
        ["tensor_long"] = () => Torch.Tensor(42),
        ["tensor_double"] = () => Torch.Tensor(0.1),
        ["tensor_double_f64"] = () => Torch.Tensor(0.1, dtype: DType.Float64),
        ["tensor_bool"] = () => Torch.Tensor(true),
        ["tensor_long_1d"] = () => Torch.Tensor(new[] { 1, -2, 3 }),
        ["tensor_double_1d"] = () => Torch.Tensor(new[] { 0.1, -2.5, 3.0 }),
        ["tensor_bool_1d"] = () => Torch.Tensor(new[] { true, false }),
        ["tensor_long_2d"] = () => Torch.Tensor(new long[,] { { 1, 2 }, { 3, 4 } }),
        ["tensor_double_2d"] = () => Torch.Tensor(new[,] { { 0.1, 0.2 }, { 0.3, 0.4 } }),
        ["tensor_double_2d_f64"] = () => Torch.Tensor(new[,] { { 0.1, 0.2 }, { 0.3, 0.4 } }, dtype: DType.Float64),
        ["zeros"] = () => Torch.Zeros(2, 3),
        ["zeros_int"] = () => Torch.Zeros([2, 3], dtype: DType.Int64),
        ["ones"] = () => Torch.Ones(2, 3),
        ["ones_bool"] = () => Torch.Ones([2], dtype: DType.Bool),
        ["full"] = () => Torch.Full([2, 3], 7.5),
        ["full_f64"] = () => Torch.Full([2, 3], 0.1, dtype: DType.Float64),
        ["full_int"] = () => Torch.Full([2], 7, dtype: DType.Int64),
        ["full_int_inferred"] = () => Torch.Full([2], 7),
        ["full_bool"] = () => Torch.Full([2], true),
        ["arange_5"] = () => Torch.Arange(5),
        ["arange_1_10_3"] = () => Torch.Arange(1, 10, 3),
        ["arange_10_0_m3"] = () => Torch.Arange(10, 0, -3),
        ["arange_6_f32"] = () => Torch.Arange(6, dtype: DType.Float32),
        ["arange_float_step"] = () => Torch.Arange(0.0, 1.0, 0.1),
        ["arange_float_neg"] = () => Torch.Arange(-1.0, 1.0, 0.25),
        ["arange_float_f64"] = () => Torch.Arange(0.0, 1.0, 0.1, dtype: DType.Float64),
        ["arange_float_uneven"] = () => Torch.Arange(0.5, 3.0, 0.7),
        ["arange_float_long"] = () => Torch.Arange(-2.0, 3.0, 0.1),
        ["arange_float_long_f64"] = () => Torch.Arange(-2.0, 3.0, 0.1, dtype: DType.Float64),
        ["arange_float_long_neg"] = () => Torch.Arange(3.0, -2.0, -0.3),
        ["linspace_0_1_33"] = () => Torch.Linspace(0, 1, 33),
        ["linspace_m5_3_101_f64"] = () => Torch.Linspace(-5, 3, 101, dtype: DType.Float64),
        ["linspace_3_m7_17"] = () => Torch.Linspace(3, -7, 17),
        ["linspace_int_long"] = () => Torch.Linspace(-3, 100, 37, dtype: DType.Int64),
        ["linspace_m1_1_12"] = () => Torch.Linspace(-1, 1, 12),
        ["linspace_0_1_5"] = () => Torch.Linspace(0, 1, 5),
        ["linspace_0_1_1"] = () => Torch.Linspace(0, 1, 1),
        ["linspace_m3_7_9_f64"] = () => Torch.Linspace(-3, 7, 9, dtype: DType.Float64),
        ["linspace_0_1_100"] = () => Torch.Linspace(0, 1, 100),
        ["linspace_1_m1_7"] = () => Torch.Linspace(1, -1, 7),
        ["linspace_int"] = () => Torch.Linspace(0, 10, 4, dtype: DType.Int64),
        ["eye_3"] = () => Torch.Eye(3),
        ["eye_2_4"] = () => Torch.Eye(2, 4),
        ["eye_3_int"] = () => Torch.Eye(3, dtype: DType.Int64),
        ["zeros_like_int"] = () => Torch.ZerosLike(Torch.Tensor(new[] { 1, 2, 3 })),
        ["ones_like"] = () => Torch.OnesLike(Torch.Zeros([2, 2], dtype: DType.Float64)),
        ["full_like"] = () => Torch.FullLike(Torch.Zeros(2, 2), 3.0),
        ["randn_2_3"] = () => Seeded(() => Torch.Randn(2, 3)),
        ["randn_2_3_f64"] = () => Seeded(() => Torch.Randn([2, 3], dtype: DType.Float64, requiresGrad: true)),
        ["randn_like"] = () => Seeded(() => Torch.RandnLike(Torch.Zeros([3, 2], dtype: DType.Float64))),
        ["rand_2_3"] = () => Seeded(() => Torch.Rand(2, 3)),
        ["normal_inplace"] = () => Seeded(() => Torch.Empty(4, 5).Normal_(1.0, 0.5)),
        ["uniform_inplace"] = () => Seeded(() => Torch.Empty(3, 3).Uniform_(-2, 3)),
        ["cat_mixed"] = () => Torch.Cat([Torch.Tensor(new[] { 1, 2 }), Torch.Tensor(new[] { 0.5 })]),
        ["stack_int"] = () => Torch.Stack([Torch.Tensor(new[] { 1, 2 }), Torch.Tensor(new[] { 3, 4 })], dim: 1),
    };

    private static Tensor Seeded(Func<Tensor> make)
    {
        Torch.ManualSeed(7);
        return make();
    }

    public static TheoryData<string> Names() => [.. Factories.Keys];

    [Theory]
    [MemberData(nameof(Names))]
    public void FactoryMatchesPyTorchBitForBit(string name)
    {
        var expected = Goldens.Tensor(OpCases.Core.GetProperty("factories").GetProperty(name));
        TensorAssert.Equal(expected, Factories[name](), name);
    }

    [Fact]
    public void EveryGoldenFactoryHasACSharpForm()
    {
        foreach (var p in OpCases.Core.GetProperty("factories").EnumerateObject())
            Assert.True(Factories.ContainsKey(p.Name), $"no C# form for {p.Name}");
    }

    [Fact]
    public void FactoryOptionsSetDTypeAndRequiresGrad()
    {
        var r = Torch.Randn([2, 3], dtype: DType.Float64, requiresGrad: true);
        Assert.Equal(DType.Float64, r.DType);
        Assert.True(r.RequiresGrad);
        Assert.True(r.IsLeaf);
        Assert.Equal([2L, 3], Torch.Empty(2, 3).Shape);
        Assert.Equal(DType.Int64, Torch.ZerosLike(Torch.Tensor(new[] { 1, 2 })).DType);
        Assert.Equal(DType.Float32, Torch.Zeros(2).DType);
        Assert.True(Torch.Zeros([2], requiresGrad: true).RequiresGrad);
    }
}
