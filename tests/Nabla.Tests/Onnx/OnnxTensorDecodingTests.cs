using System.Numerics;
using Google.Protobuf;
using Nabla.Onnx;
using Nabla.Onnx.Proto;
using Xunit;
using DataType = Nabla.Onnx.Proto.TensorProto.Types.DataType;

namespace Nabla.Tests.Onnx;

/// <summary>
/// Element types the dtypes golden (written by the onnx package) does not cover: complex, bfloat16 in raw_data,
/// float8 and 4-bit packing, as the ONNX IR spec lays them out.
/// </summary>
public class OnnxTensorDecodingTests
{
    private static OnnxTensor Load(TensorProto t) =>
        Assert.Single(OnnxModel.Load(OnnxTestModels.WithInitializer(t).ToByteArray()).Graph.Initializers);

    private static TensorProto Raw(DataType type, long[] dims, params byte[] bytes)
    {
        var t = new TensorProto { Name = "t", DataType = (int)type, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.Add(dims);
        return t;
    }

    [Fact]
    public void Complex64FromFloatDataPairsRealThenImaginary()
    {
        var t = new TensorProto { Name = "c", DataType = (int)DataType.Complex64, Dims = { 2 }, FloatData = { 1f, 2f, 3f, -4f } };
        Assert.Equal([new Complex(1, 2), new Complex(3, -4)], Load(t).ToArray<Complex>());
    }

    [Fact]
    public void Complex128FromRawData()
    {
        var bytes = new byte[16];
        BitConverter.TryWriteBytes(bytes.AsSpan(0, 8), 0.5);
        BitConverter.TryWriteBytes(bytes.AsSpan(8, 8), -1.5);
        Assert.Equal([new Complex(0.5, -1.5)], Load(Raw(DataType.Complex128, [1], bytes)).ToArray<Complex>());
    }

    [Fact]
    public void BFloat16FromRawDataWidensExactly()
    {
        // 0x3FC0 is the top half of 1.5f; 0xC020 of -2.5f.
        Assert.Equal([1.5f, -2.5f], Load(Raw(DataType.Bfloat16, [2], 0xC0, 0x3F, 0x20, 0xC0)).ToArray<float>());
    }

    [Fact]
    public void Float8IsReturnedAsBitPatterns()
    {
        Assert.Equal([0x38, 0xB8], Load(Raw(DataType.Float8E4M3Fn, [2], 0x38, 0xB8)).ToArray<byte>());
        var typed = new TensorProto { Name = "f8", DataType = (int)DataType.Float8E5M2, Dims = { 1 }, Int32Data = { 0x3C } };
        Assert.Equal([0x3C], Load(typed).ToArray<byte>());
    }

    [Fact]
    public void Int4PacksTwoPerByteLowNibbleFirstAndSignExtends()
    {
        // Elements 7, -8, -1 packed as 0x87, 0x0F (the last byte's high nibble is padding).
        Assert.Equal([7, -8, -1], Load(Raw(DataType.Int4, [3], 0x87, 0x0F)).ToArray<sbyte>());
    }

    [Fact]
    public void Uint4InInt32DataHoldsTwoElementsPerValue()
    {
        var t = new TensorProto { Name = "u4", DataType = (int)DataType.Uint4, Dims = { 3 }, Int32Data = { 0x21, 0x03 } };
        Assert.Equal([1, 2, 3], Load(t).ToArray<byte>());
    }

    [Fact]
    public void Int4WithTheWrongPackedLengthIsRefused()
    {
        var e = Assert.Throws<OnnxFormatException>(() => Load(Raw(DataType.Int4, [3], 0x87)));
        Assert.Contains("3 int4 elements = 2 bytes, but raw_data holds 1 bytes", e.Message);
    }

    [Fact]
    public void ScalarHasNoDimsAndOneElement()
    {
        var t = Load(OnnxTestModels.RawFloats("s", [], [3.5f]));
        Assert.Empty(t.Dims);
        Assert.Equal(1, t.ElementCount);
        Assert.Equal([3.5f], t.ToArray<float>());
    }

    [Fact]
    public void ZeroSizedDimMakesAnEmptyTensorWhateverTheOtherDims()
    {
        var t = Load(OnnxTestModels.RawFloats("e", [0, 1L << 40], []));
        Assert.Equal(0, t.ElementCount);
        Assert.Empty(t.ToArray<float>());
    }

    [Fact]
    public void DimsIsACopy()
    {
        var t = Load(OnnxTestModels.RawFloats("w", [2, 2], [1f, 2f, 3f, 4f]));
        t.Dims[0] = 99;
        Assert.Equal([2L, 2L], t.Dims);
    }

    [Fact]
    public void ToArrayOfTheWrongElementTypeSaysWhich()
    {
        var t = Load(OnnxTestModels.RawFloats("w", [1], [1f]));
        var e = Assert.Throws<InvalidOperationException>(() => t.ToArray<long>());
        Assert.Equal("initializer 'w' holds float elements, which decode to Single[], not Int64[].", e.Message);
    }
}
