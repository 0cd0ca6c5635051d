using Nabla.Onnx;
using Xunit;

namespace Nabla.Tests.Onnx;

/// <summary>OnnxTensor.ToTensor on the initializers of dtypes.onnx (written by gen_onnx_files.py).</summary>
public class OnnxTensorToTensorTests
{
    private static readonly OnnxGraph Graph = OnnxModel.Load(Path.Combine(AppContext.BaseDirectory, "goldens", "onnx", "dtypes.onnx")).Graph;

    private static OnnxTensor Initializer(string name) => Graph.Initializers.Single(i => i.Name == name);

    [Theory]
    [InlineData("raw_float", DType.Float32)]
    [InlineData("typed_float", DType.Float32)]
    [InlineData("raw_double", DType.Float64)]
    [InlineData("typed_int64", DType.Int64)]
    [InlineData("raw_int32", DType.Int32)]
    [InlineData("typed_bool", DType.Bool)]
    [InlineData("raw_scalar", DType.Float32)]
    [InlineData("raw_empty", DType.Float32)]
    public void ConvertsToTheMatchingDtypeAndShape(string name, DType dtype)
    {
        var initializer = Initializer(name);
        var t = initializer.ToTensor();
        Assert.Equal(dtype, t.DType);
        Assert.Equal(initializer.Dims, t.Shape);
        TensorAssert.Equal(Tensor.FromArray(initializer.ToArray(), initializer.Dims), t);
    }

    [Fact]
    public void FloatValuesAreThoseTheFileHolds()
    {
        var t = Initializer("raw_float").ToTensor();
        Assert.Equal(0.1257302165031433f, t.ToArray<float>()[0]);
        Assert.Equal([2L, 3L], t.Shape);
    }

    [Theory]
    [InlineData("raw_float16", "float16")]
    [InlineData("raw_uint8", "uint8")]
    [InlineData("typed_string", "string")]
    [InlineData("typed_bfloat16", "bfloat16")]
    public void OtherElementTypesAreAClearError(string name, string type)
    {
        var e = Assert.Throws<NotSupportedException>(() => Initializer(name).ToTensor());
        Assert.Equal($"initializer '{name}' holds {type} elements, which have no Nabla dtype (float, double, int64, int32 and bool convert); use ToArray().", e.Message);
    }
}
