using System.Text.Json;
using Xunit;

namespace Nabla.Tests.Optim;

/// <summary>addcmul_, addcdiv_ and lerp_ round exactly as PyTorch's kernels (goldens/optim.json, "inplace"): the optimizers depend on it.</summary>
public class InPlaceRoundingTests
{
    private static JsonElement Inplace => Goldens.Load("optim").GetProperty("inplace");

    public static IEnumerable<object[]> Cases() => Enumerable.Range(0, Inplace.GetProperty("cases").GetArrayLength()).Select(i => new object[] { i });

    [Theory]
    [MemberData(nameof(Cases))]
    public void InPlaceOpMatchesPyTorchBitForBit(int i)
    {
        var c = Inplace.GetProperty("cases")[i];
        var a = Goldens.Tensor(Inplace.GetProperty("a"));
        var b = Goldens.Tensor(Inplace.GetProperty("b"));
        var t = Goldens.Tensor(Inplace.GetProperty("c"));
        string op = c.GetProperty("op").GetString()!;
        double v = c.GetProperty("value").GetDouble();
        var result = op switch
        {
            "addcmul_" => a.Addcmul_(b, t, v),
            "addcdiv_" => a.Addcdiv_(b, t, v),
            _ => a.Lerp_(b, v),
        };
        TensorAssert.Equal(Goldens.Tensor(c.GetProperty("result")), result, $"{op}(value={v})");
    }
}
