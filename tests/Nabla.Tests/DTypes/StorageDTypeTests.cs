using System.Text.Json;
using Xunit;

namespace Nabla.Tests.DTypes;

/// <summary>float16, bfloat16, uint8, int8 and int16 against PyTorch 1.13 (goldens from tests/goldens/gen_dtypes.py).</summary>
public class StorageDTypeTests
{
    private static JsonElement Golden => Goldens.Load("dtypes");

    private static DType Parse(string name) => Enum.Parse<DType>(name, ignoreCase: true);

    [Fact]
    public void ConversionsRoundToNearestEvenAndWrapAsPyTorch()
    {
        int n = 0;
        foreach (var c in Golden.GetProperty("casts").EnumerateArray())
        {
            var to = Parse(c.GetProperty("to").GetString()!);
            var expected = Goldens.Tensor(c.GetProperty("result"));
            Tensor source = c.TryGetProperty("from", out var f)
                ? Goldens.Tensor(f)
                : Goldens.Tensor(c.GetProperty("from_float32")).To(Parse(c.GetProperty("from_dtype").GetString()!));
            var actual = source.To(to);
            Assert.Equal(to, actual.DType);
            TensorAssert.Equal(expected, actual, $"{source.DType} -> {to}");
            n++;
        }
        Assert.True(n > 30);
    }

    [Fact]
    public void HalfStorageIsSystemHalfAndRoundsTiesToEven()
    {
        var t = Torch.Tensor(new[] { 1.00048828125f, 1.00146484375f }).To(DType.Float16);
        Assert.Equal(new[] { (Half)1.0f, (Half)1.001953125f }, t.ToArray<Half>());
        var b = Torch.Tensor(new[] { 1.00390625f, 1.01171875f }).To(DType.BFloat16);
        Assert.Equal(new[] { 1.0f, 1.015625f }, b.ToArray<BFloat16>().Select(x => (float)x));
    }

    [Fact]
    public void PromotionFollowsPyTorch()
    {
        foreach (var c in Golden.GetProperty("promotion").EnumerateArray())
        {
            var a = Parse(c.GetProperty("a").GetString()!);
            var b = Parse(c.GetProperty("b").GetString()!);
            Assert.True(Parse(c.GetProperty("result").GetString()!) == DTypeInfo.Promote(a, b), $"promote_types({a}, {b})");
        }
    }

    [Fact]
    public void PrintsAsPyTorch()
    {
        foreach (var c in Golden.GetProperty("printing").EnumerateArray())
            Assert.Equal(c.GetProperty("str").GetString(), Goldens.Tensor(c.GetProperty("tensor")).ToString());
    }

    [Fact]
    public void CreationTakesTheDType()
    {
        var h = Torch.Zeros([2, 3], dtype: DType.BFloat16);
        Assert.Equal(DType.BFloat16, h.DType);
        Assert.Equal("tensor([[0., 0., 0.],\n        [0., 0., 0.]], dtype=torch.bfloat16)", h.ToString());
        Assert.Equal(new short[] { 7, 7 }, Torch.Full([2], 7, dtype: DType.Int16).ToArray<short>());
        Assert.Equal(new byte[] { 1, 1, 1 }, Torch.Ones([3], dtype: DType.UInt8).ToArray<byte>());
    }

    [Fact]
    public void ArithmeticComputesInFloat32AndRoundsOrWraps()
    {
        foreach (var c in Golden.GetProperty("arith").EnumerateArray())
        {
            string op = c.GetProperty("op").GetString()!;
            var a = Goldens.Tensor(c.GetProperty("a"));
            Tensor B() => Goldens.Tensor(c.GetProperty("b"));
            var actual = op switch
            {
                "add" => a + B(),
                "sub" => a - B(),
                "mul" => a * B(),
                "div" => a / B(),
                "add_scalar" => a + c.GetProperty("scalar").GetDouble(),
                "mul_int" => a * c.GetProperty("scalar").GetInt64(),
                "add_alpha" => a.Add(B(), alpha: c.GetProperty("scalar").GetInt64()),
                "neg" => -a,
                "sum" => a.Sum(),
                "gt" => a > B(),
                "exp" => a.Exp(),
                "add_float32" => a + B(),
                _ => throw new InvalidOperationException(op),
            };
            TensorAssert.Equal(Goldens.Tensor(c.GetProperty("result")), actual, $"{op} on {a.DType}");
        }
        foreach (var c in Golden.GetProperty("mixed").EnumerateArray())
        {
            var a = Goldens.Tensor(c.GetProperty("a"));
            var b = Goldens.Tensor(c.GetProperty("b"));
            TensorAssert.Equal(Goldens.Tensor(c.GetProperty("result")), a + b, $"{a.DType} + {b.DType}");
        }
    }

    [Fact]
    public void ViewsAndIndexingKeepTheDType()
    {
        foreach (var c in Golden.GetProperty("views").EnumerateArray())
        {
            var dtype = Parse(c.GetProperty("dtype").GetString()!);
            var t = Torch.Arange(12.0).To(DType.Float64).Reshape(3, 4).To(dtype);
            TensorAssert.Equal(Goldens.Tensor(c.GetProperty("row")), t[1], $"{dtype} row");
            TensorAssert.Equal(Goldens.Tensor(c.GetProperty("column")), t[.., 2], $"{dtype} column");
            TensorAssert.Equal(Goldens.Tensor(c.GetProperty("transposed")), t.T().Contiguous(), $"{dtype} transpose");
            TensorAssert.Equal(Goldens.Tensor(c.GetProperty("masked")), t[t > 5.0], $"{dtype} mask");
            var filled = t.Clone();
            filled[.., 0] = Torch.Tensor(9.0);
            TensorAssert.Equal(Goldens.Tensor(c.GetProperty("setitem")), filled, $"{dtype} setitem");
        }
    }

    [Fact]
    public void UnimplementedKernelsRefuseInsteadOfMisreading()
    {
        var h = Torch.Ones([2, 2], dtype: DType.Float16);
        var e = Assert.Throws<NotSupportedException>(() => h.Matmul(h));
        Assert.Contains("torch.float16", e.Message);
    }
}
