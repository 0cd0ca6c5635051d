using System.Text.Json;
using Xunit;

namespace Nabla.Tests.Hardening;

/// <summary>
/// Tensors hold at most 64 dims (PyTorch's limit wherever it keeps dims in a 64-bit set), and printing uses no
/// recursion that grows with the rank, so no shape can overflow the stack.
/// </summary>
public class RankLimitTests
{
    private static long[] Ones(int rank) => Enumerable.Repeat(1L, rank).ToArray();

    [Theory]
    [InlineData(65)]
    [InlineData(100_000)]
    public void FactoryRefusesRankAbove64NamingTheRank(int rank)
    {
        var e = Assert.Throws<ArgumentException>(() => Torch.Zeros(Ones(rank)));
        Assert.Equal($"only tensors with up to 64 dims are supported, but got a tensor of {rank} dims", e.Message);
    }

    [Fact]
    public void ViewsRefuseRankAbove64()
    {
        var t = Torch.Zeros([1]);
        Assert.Contains("100000 dims", Assert.Throws<ArgumentException>(() => t.Reshape(Ones(100_000))).Message);
        Assert.Contains("65 dims", Assert.Throws<ArgumentException>(() => t.View(Ones(65))).Message);
        Assert.Contains("65 dims", Assert.Throws<ArgumentException>(() => Torch.Zeros(Ones(64)).Unsqueeze(0)).Message);
    }

    [Fact]
    public void Rank64IsAllowed() => Assert.Equal(64, Torch.Zeros(Ones(64)).Dim);

    public static TheoryData<int> PrintCases() => [.. Enumerable.Range(0, Goldens.Load("hardening").GetProperty("print_high_rank").GetArrayLength())];

    /// <summary>goldens/hardening.json print_high_rank: <c>str(torch.arange(n).reshape(shape) / 4)</c> for shapes of rank 64.</summary>
    [Theory]
    [MemberData(nameof(PrintCases))]
    public void Rank64TensorPrintsAsPyTorch(int index)
    {
        JsonElement c = Goldens.Load("hardening").GetProperty("print_high_rank")[index];
        long[] shape = c.GetProperty("shape").EnumerateArray().Select(d => d.GetInt64()).ToArray();
        var t = Torch.Arange(Shapes.Numel(shape), dtype: DType.Float32).Reshape(shape) / 4;
        Assert.Equal(c.GetProperty("text").GetString(), t.ToString());
    }

    [Fact]
    public void FormatterPrintsRank100000WithoutRecursion()
    {
        // Below the tensor's rank limit the formatter itself has no depth limit: 100,000 nested brackets print.
        string text = TensorFormatter.Format([2.5], Ones(100_000), DType.Float32, []);
        Assert.Equal("tensor(" + new string('[', 100_000) + "2.5000" + new string(']', 100_000) + ")", text);
    }

    [Fact]
    public void FormatterSummarisesDeepShapes()
    {
        // 2 x 1 x ... x 1 x 1001 (rank 20): summarised along the long rows, one newline per inner dim between rows.
        long[] shape = [2, .. Ones(18), 1001];
        var values = Enumerable.Range(100, 2002).Select(i => (double)i).ToArray();
        string text = TensorFormatter.Format(values, shape, DType.Float32, []);
        Assert.StartsWith("tensor(" + new string('[', 20) + " 100.,  101.,  102.,  ..., 1098., 1099., 1100.]", text);
        Assert.EndsWith("[1101., 1102., 1103.,  ..., 2099., 2100., 2101.]" + new string(']', 19) + ")", text);
        Assert.Contains("]" + new string(']', 18) + "," + new string('\n', 19) + new string(' ', 8) + "[", text);
    }
}
