using Xunit;

namespace Nabla.Tests.Core;

/// <summary>
/// A Python-number operand (x * 0.5, 1 - x) on a small tensor skips the tensor a cast would make for it; the result is
/// bit for bit what the same number as a zero-dimensional tensor gives through the broadcast path.
/// </summary>
public class NumberOperandTests
{
    public static TheoryData<string, int, DType> Cases()
    {
        var data = new TheoryData<string, int, DType>();
        foreach (var op in new[] { "add", "sub", "mul", "div", "rsub", "radd", "rmul", "int add", "int mul" })
            foreach (int n in new[] { 1, 7, 300 })
                foreach (var dtype in new[] { DType.Float32, DType.Float64 })
                    data.Add(op, n, dtype);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void NumberOperandMatchesTheBroadcastPathBitForBit(string op, int n, DType dtype)
    {
        var x = Torch.Randn([n], generator: new Generator().ManualSeed(n)).To(dtype) * 3.7;
        const double s = 0.1234567891234;
        const long k = 16777217; // 2^24 + 1: rounds when converted to float
        // The same values as zero-dimensional tensors of the number's own dtype: they promote as the number does
        // (the tensor's dtype wins) and go through the cast and the broadcast kernel.
        var sd = Torch.Tensor(s, DType.Float64);
        var kd = Torch.Tensor(new long[] { k }).Reshape();
        var (fast, reference) = op switch
        {
            "add" => (x + s, x + sd),
            "sub" => (x - s, x - sd),
            "mul" => (x * s, x * sd),
            "div" => (x / s, x / sd),
            "rsub" => (s - x, sd - x),
            "radd" => (s + x, sd + x),
            "rmul" => (s * x, sd * x),
            "int add" => (x + k, x + kd),
            _ => (x * k, x * kd),
        };
        Assert.Equal(dtype, fast.DType);
        Assert.Equal(reference.DType, fast.DType);
        Assert.Equal(x.Shape, fast.Shape);
        if (dtype == DType.Float32)
            Assert.Equal(reference.ToArray<float>().Select(BitConverter.SingleToInt32Bits), fast.ToArray<float>().Select(BitConverter.SingleToInt32Bits));
        else
            Assert.Equal(reference.ToArray<double>().Select(BitConverter.DoubleToInt64Bits), fast.ToArray<double>().Select(BitConverter.DoubleToInt64Bits));
    }

    [Fact]
    public void NumberOperandsKeepTheirGraphAndIntegerPromotion()
    {
        var x = Torch.Tensor(new float[] { 1, 2, 3 }).RequiresGrad_();
        var y = (2.0 - x * 0.5) / 4.0 + 1.0;
        Assert.Equal("AddBackward0", y.GradFn!.Name);
        y.Sum().Backward();
        Assert.Equal(new float[] { -0.125f, -0.125f, -0.125f }, x.Grad!.ToArray<float>());
        // An integer tensor with a float number still promotes to float32, through the general path.
        var i = Torch.Tensor(new long[] { 1, 2 }) * 0.5;
        Assert.Equal(DType.Float32, i.DType);
        Assert.Equal(new float[] { 0.5f, 1 }, i.ToArray<float>());
    }
}
