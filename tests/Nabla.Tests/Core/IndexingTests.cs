using Xunit;

namespace Nabla.Tests.Core;

/// <summary>
/// t[...] reads and writes against PyTorch (goldens/core.json cases "index_*" and "index_put_*"; gradients are in
/// <see cref="AutogradTests"/>), and the C# spellings of PyTorch's index expressions.
/// </summary>
public class IndexingTests
{
    public static TheoryData<string> IndexCases() => OpCases.Names(OpCases.IsIndexing);

    [Theory]
    [MemberData(nameof(IndexCases))]
    public void IndexingMatchesPyTorch(string name)
    {
        var c = OpCases.Get(name);
        var (_, inputs) = OpCases.Inputs(c);
        var actual = OpCases.Run(c, inputs)[0];
        TensorAssert.Equal(OpCases.Expected(c)[0], actual, name);
    }

    // The same golden cases, written with C# ranges and indices as a user would.
    public static TheoryData<string> SyntaxCases() => [.. Syntax.Keys];

    private static readonly Dictionary<string, Func<Tensor, Tensor>> Syntax = new()
    {
        ["index_int"] = t => t[1],
        ["index_int_negative"] = t => t[^1],
        ["index_int_int"] = t => t[1, ^2],
        ["index_colon_int"] = t => t[.., 1],
        ["index_from_1"] = t => t[1..],
        ["index_to_minus_1"] = t => t[..^1],
        ["index_slice_step"] = t => t[TensorIndex.Slice(0, 4, 2)],
        ["index_slice_step_dim1"] = t => t[.., TensorIndex.Slice(1, null, 2)],
        ["index_ellipsis_int"] = t => t[TensorIndex.Ellipsis, 0],
        ["index_ellipsis_none"] = t => t[TensorIndex.Ellipsis, TensorIndex.None],
        ["index_none_int"] = t => t[TensorIndex.None, 1],
        ["index_int_none_slice"] = t => t[1, TensorIndex.None, 1..3],
        ["index_ellipsis_middle"] = t => t[0, TensorIndex.Ellipsis, 2],
        ["index_tensor"] = t => t[Torch.Tensor(new long[] { 0, 2, 2 })],
        ["index_tensor_dim1"] = t => t[.., Torch.Tensor(new long[] { 4, 0 })],
        ["index_mask"] = t => t[t > 0],
    };

    [Theory]
    [MemberData(nameof(SyntaxCases))]
    public void CSharpIndexSyntaxMatchesPyTorch(string name)
    {
        var c = OpCases.Get(name);
        var (_, inputs) = OpCases.Inputs(c);
        TensorAssert.Equal(OpCases.Expected(c)[0], Syntax[name](inputs[0]), name);
    }

    [Fact]
    public void BasicIndexingGivesViewsAndAdvancedIndexingGivesCopies()
    {
        var x = Torch.Arange(12, dtype: DType.Float32).View(3, 4);
        var row = x[1];
        var cols = x[.., 1..3];
        var picked = x[Torch.Tensor(new long[] { 0, 2 })];
        x.Add_(100);
        Assert.Equal([104f, 105, 106, 107], row.ToArray<float>());
        Assert.Equal(101f, cols[0, 0].Item<float>());
        Assert.Equal([0f, 1, 2, 3, 8, 9, 10, 11], picked.ToArray<float>());
    }

    [Fact]
    public void AssignmentWritesIntoTheBase()
    {
        var x = Torch.Zeros(3, 4);
        x[.., 0] = Torch.Tensor(new[] { 1f, 2f, 3f });
        x[^1] = Torch.Tensor(9f);
        x[x.Eq(0)] = Torch.Tensor(-1f);
        x[Torch.Tensor(new long[] { 0 }), Torch.Tensor(new long[] { 3 })] = Torch.Tensor(new[] { 5f });
        Assert.Equal([1f, -1, -1, 5, 2, -1, -1, -1, 9, 9, 9, 9], x.ToArray<float>());
    }

    [Fact]
    public void AssignmentConvertsToTheTargetDType()
    {
        var x = Torch.Zeros([3], dtype: DType.Int64);
        x[1..] = Torch.Tensor(new[] { 2.7f, -1.5f });
        Assert.Equal([0L, 2, -1], x.ToArray<long>());
    }
}
