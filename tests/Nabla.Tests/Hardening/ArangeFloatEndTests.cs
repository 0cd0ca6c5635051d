using Xunit;

namespace Nabla.Tests.Hardening;

/// <summary><c>torch.arange(6.0)</c>: a float end alone gives float32, against goldens/hardening.json.</summary>
public class ArangeFloatEndTests
{
    public static TheoryData<double> Ends() => [.. Goldens.Load("hardening").GetProperty("arange_float_end").EnumerateArray().Select(c => c.GetProperty("end").GetDouble())];

    [Theory]
    [MemberData(nameof(Ends))]
    public void FloatEndGivesFloat32Range(double end)
    {
        var c = Goldens.Load("hardening").GetProperty("arange_float_end").EnumerateArray().Single(x => x.GetProperty("end").GetDouble() == end);
        var expected = Goldens.Tensor(c.GetProperty("result"));
        var actual = Torch.Arange(end);
        Assert.Equal(expected.Shape, actual.Shape);
        Assert.Equal(DType.Float32, actual.DType);
        Assert.Equal(expected.ToArray<float>(), actual.ToArray<float>());
    }

    [Fact]
    public void IntegerEndStillGivesInt64() => Assert.Equal(DType.Int64, Torch.Arange(6).DType);

    [Fact]
    public void FloatEndTakesADtype() => Assert.Equal([0.0, 1.0, 2.0], Torch.Arange(3.0, dtype: DType.Float64).ToArray<double>());
}
