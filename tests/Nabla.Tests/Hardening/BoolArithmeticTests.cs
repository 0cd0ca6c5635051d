using Xunit;

namespace Nabla.Tests.Hardening;

/// <summary>bool + bool is logical or and bool * bool logical and (broadcasting); bool - bool is refused, as in PyTorch (goldens/hardening.json).</summary>
public class BoolArithmeticTests
{
    private static readonly System.Text.Json.JsonElement Case = Goldens.Load("hardening").GetProperty("bool_arith");

    [Fact]
    public void BoolPlusBoolIsLogicalOr()
    {
        var r = Goldens.Tensor(Case.GetProperty("a")) + Goldens.Tensor(Case.GetProperty("b"));
        Assert.Equal(DType.Bool, r.DType);
        TensorAssert.Equal(Goldens.Tensor(Case.GetProperty("add")), r);
    }

    [Fact]
    public void BoolTimesBoolIsLogicalAnd()
    {
        var r = Goldens.Tensor(Case.GetProperty("a")) * Goldens.Tensor(Case.GetProperty("b"));
        Assert.Equal(DType.Bool, r.DType);
        TensorAssert.Equal(Goldens.Tensor(Case.GetProperty("mul")), r);
    }

    [Fact]
    public void BoolMinusBoolIsRefusedWithPyTorchsMessage()
    {
        var e = Assert.Throws<ArgumentException>(() => Goldens.Tensor(Case.GetProperty("a")) - Goldens.Tensor(Case.GetProperty("b")));
        Assert.Equal(Case.GetProperty("sub_error").GetString(), e.Message);
    }
}
