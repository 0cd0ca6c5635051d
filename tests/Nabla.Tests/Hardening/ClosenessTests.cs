using System.Text.Json;
using Xunit;

namespace Nabla.Tests.Hardening;

/// <summary>
/// isclose, allclose and equal against goldens/hardening.json (tests/goldens/gen_hardening.py, PyTorch 1.13): infinities,
/// NaN, zero tolerances, integer and bool inputs, broadcasting, and PyTorch's messages for bad calls.
/// </summary>
public class ClosenessTests
{
    private static JsonElement Section(string name) => Goldens.Load("hardening").GetProperty(name);

    private static TheoryData<string> Names(string section) => [.. Section(section).EnumerateArray().Select(c => c.GetProperty("name").GetString()!)];

    private static JsonElement Case(string section, string name) =>
        Section(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> CloseCases() => Names("isclose");

    public static TheoryData<string> ErrorCases() => Names("isclose_errors");

    public static TheoryData<string> EqualCases() => Names("equal");

    [Theory]
    [MemberData(nameof(CloseCases))]
    public void IscloseMatchesPyTorch(string name)
    {
        var c = Case("isclose", name);
        Tensor a = Goldens.Tensor(c.GetProperty("a")), b = Goldens.Tensor(c.GetProperty("b"));
        double rtol = Goldens.Number(c.GetProperty("rtol")), atol = Goldens.Number(c.GetProperty("atol"));
        bool equalNan = c.GetProperty("equal_nan").GetBoolean();
        var expected = Goldens.Tensor(c.GetProperty("isclose"));

        var actual = Torch.Isclose(a, b, rtol, atol, equalNan);

        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(DType.Bool, actual.DType);
        Assert.Equal(expected.ToArray<bool>(), actual.ToArray<bool>());
        Assert.Equal(expected.ToArray<bool>(), a.Isclose(b, rtol, atol, equalNan).ToArray<bool>());
        Assert.Equal(c.GetProperty("allclose").GetBoolean(), Torch.Allclose(a, b, rtol, atol, equalNan));
        Assert.Equal(c.GetProperty("allclose").GetBoolean(), a.Allclose(b, rtol, atol, equalNan));
    }

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void BadCallsGivePyTorchsMessage(string name)
    {
        var c = Case("isclose_errors", name);
        Tensor a = Goldens.Tensor(c.GetProperty("a")), b = Goldens.Tensor(c.GetProperty("b"));
        double rtol = Goldens.Number(c.GetProperty("rtol")), atol = Goldens.Number(c.GetProperty("atol"));
        string message = c.GetProperty("message").GetString()!;

        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Torch.Isclose(a, b, rtol, atol)).Message);
        Assert.Equal(message, Assert.Throws<ArgumentException>(() => Torch.Allclose(a, b, rtol, atol)).Message);
    }

    [Theory]
    [MemberData(nameof(EqualCases))]
    public void EqualMatchesPyTorch(string name)
    {
        var c = Case("equal", name);
        Tensor a = Goldens.Tensor(c.GetProperty("a")), b = Goldens.Tensor(c.GetProperty("b"));
        bool expected = c.GetProperty("equal").GetBoolean();
        Assert.Equal(expected, Torch.Equal(a, b));
        Assert.Equal(expected, a.Equal(b));
        Assert.Equal(expected, b.Equal(a));
    }

    [Fact]
    public void IscloseOfStridedViewsReadsLogicalOrder()
    {
        // |a − b| per element of a transposed view: [[0, 1], [0, 0.5]] against atol 0.75.
        var a = Torch.Tensor([0f, 0f, 1f, 0.5f]).Reshape([2, 2]).T();
        var b = Torch.Zeros([2, 2]);
        Assert.Equal([true, false, true, true], a.Isclose(b, rtol: 0, atol: 0.75).ToArray<bool>());
    }

    [Fact]
    public void IscloseRecordsNoGradient()
    {
        var a = Torch.Ones([3], requiresGrad: true);
        var r = a.Isclose(Torch.Ones([3]));
        Assert.Null(r.GradFn);
        Assert.False(r.RequiresGrad);
    }
}
