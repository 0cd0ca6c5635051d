using Google.Protobuf;
using Nabla.Onnx;
using Nabla.Onnx.Proto;
using Xunit;
using AttributeType = Nabla.Onnx.Proto.AttributeProto.Types.AttributeType;
using DataType = Nabla.Onnx.Proto.TensorProto.Types.DataType;

namespace Nabla.Tests.Onnx;

/// <summary>Each way a file can be wrong gives an <see cref="OnnxFormatException"/> that names the tensor, dims and counts involved.</summary>
public class OnnxFormatErrorTests
{
    private static OnnxFormatException LoadFails(ModelProto model) =>
        Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(model.ToByteArray()));

    private static OnnxFormatException LoadFails(TensorProto initializer) => LoadFails(OnnxTestModels.WithInitializer(initializer));

    [Fact]
    public void NegativeDimIsNamed()
    {
        var e = LoadFails(OnnxTestModels.RawFloats("w", [2, -3], [1f, 2f]));
        Assert.Equal("initializer 'w' has a negative dimension in dims [2, -3].", e.Message);
    }

    [Fact]
    public void DimsWhoseProductOverflowsAreRefused()
    {
        var e = LoadFails(OnnxTestModels.RawFloats("w", [1L << 32, 1L << 32, 1L << 32], [1f]));
        Assert.Equal("initializer 'w': dims [4294967296, 4294967296, 4294967296] multiply to more than 2^63 elements.", e.Message);
    }

    [Fact]
    public void RawDataShorterThanDimsNeedGivesExpectedAndActualBytes()
    {
        var t = OnnxTestModels.RawFloats("fc1.weight", [2, 3], [1f, 2f, 3f, 4f, 5f]);
        var e = LoadFails(t);
        Assert.Equal("initializer 'fc1.weight': dims [2, 3] give 6 float elements = 24 bytes, but raw_data holds 20 bytes.", e.Message);
    }

    [Fact]
    public void RawDataNotAMultipleOfTheElementSizeIsRefused()
    {
        var t = new TensorProto { Name = "n", DataType = (int)DataType.Int64, Dims = { 1 }, RawData = ByteString.CopyFrom(new byte[7]) };
        Assert.Contains("1 int64 elements = 8 bytes, but raw_data holds 7 bytes", LoadFails(t).Message);
    }

    [Fact]
    public void TypedFieldWithTheWrongCountIsRefused()
    {
        var t = new TensorProto { Name = "shape", DataType = (int)DataType.Int64, Dims = { 2 }, Int64Data = { 1, 2, 3 } };
        Assert.Equal("initializer 'shape': dims [2] give 2 int64 elements, which take 2 values in int64_data, but it holds 3.", LoadFails(t).Message);
    }

    [Fact]
    public void DataInAFieldOfAnotherTypeIsRefused()
    {
        var t = new TensorProto { Name = "w", DataType = (int)DataType.Float, Dims = { 2 }, Int64Data = { 1, 2 } };
        Assert.Equal("initializer 'w' is float but stores its data in int64_data; ONNX keeps float data in float_data or raw_data.", LoadFails(t).Message);
    }

    [Fact]
    public void DataInTwoFieldsIsRefused()
    {
        var t = OnnxTestModels.RawFloats("w", [1], [1f]);
        t.FloatData.Add(1f);
        Assert.Equal("initializer 'w' stores data in both raw_data and float_data; ONNX allows one.", LoadFails(t).Message);
    }

    [Fact]
    public void MissingDataIsRefused()
    {
        var t = new TensorProto { Name = "w", DataType = (int)DataType.Float, Dims = { 4 } };
        Assert.Equal("initializer 'w': dims [4] give 4 float elements, but the tensor holds no data.", LoadFails(t).Message);
    }

    [Theory]
    [InlineData(0, "initializer 'w' has data_type 0 (undefined), which is not a tensor element type.")]
    [InlineData(99, "initializer 'w' has data_type 99, which is not a tensor element type.")]
    public void DataTypesThatAreNotElementTypesAreRefused(int dataType, string expected)
    {
        var t = new TensorProto { Name = "w", DataType = dataType, Dims = { 1 }, RawData = ByteString.CopyFrom(new byte[4]) };
        Assert.Equal(expected, LoadFails(t).Message);
    }

    [Fact]
    public void StringTensorInRawDataIsRefused()
    {
        var t = new TensorProto { Name = "s", DataType = (int)DataType.String, Dims = { 1 }, RawData = ByteString.CopyFromUtf8("abc") };
        Assert.Contains("string tensor with raw_data", LoadFails(t).Message);
    }

    [Fact]
    public void ExternalDataLoadsButToArrayRefusesItNamingTheTensorAndFile()
    {
        var t = new TensorProto
        {
            Name = "fc1.weight",
            DataType = (int)DataType.Float,
            Dims = { 1024, 1024 },
            DataLocation = TensorProto.Types.DataLocation.External,
            ExternalData = { new StringStringEntryProto { Key = "location", Value = "weights.bin" }, new StringStringEntryProto { Key = "offset", Value = "0" } },
        };
        var model = OnnxModel.Load(OnnxTestModels.WithInitializer(t).ToByteArray());
        var init = Assert.Single(model.Graph.Initializers);
        Assert.True(init.IsExternal);
        Assert.Equal(1024L * 1024, init.ElementCount);
        var e = Assert.Throws<OnnxFormatException>(() => init.ToArray());
        Assert.StartsWith("initializer 'fc1.weight' keeps its data in an external file ('weights.bin'); external data is not supported.", e.Message);
        Assert.Contains("(external data)", OnnxInspector.RenderInitializers(model.Graph));
        Assert.Equal(OnnxTestModels.WithInitializer(t).ToByteArray(), model.ToBytes()); // kept as it is on save
    }

    [Fact]
    public void SegmentedTensorIsRefusedOnDecode()
    {
        var t = OnnxTestModels.RawFloats("w", [1], [1f]);
        t.Segment = new TensorProto.Types.Segment { Begin = 0, End = 1 };
        var init = Assert.Single(OnnxModel.Load(OnnxTestModels.WithInitializer(t).ToByteArray()).Graph.Initializers);
        Assert.Contains("segmented tensors are not supported", Assert.Throws<OnnxFormatException>(() => init.ToArray()).Message);
    }

    [Fact]
    public void BadTensorInsideASubgraphNamesItsPlace()
    {
        var inner = new GraphProto { Name = "body", Initializer = { OnnxTestModels.RawFloats("k", [3], [1f]) } };
        var graph = new GraphProto
        {
            Name = "main",
            Node = { OnnxTestModels.Node("Loop", [], [], new AttributeProto { Name = "body", Type = AttributeType.Graph, G = inner }) },
        };
        var e = LoadFails(OnnxTestModels.Model(graph));
        Assert.StartsWith("initializer 'k' in graph 'body' (attribute 'body' of node 0 (Loop '/Loop')): dims [3] give 3 float elements = 12 bytes", e.Message);
    }

    [Fact]
    public void BadConstantValueNamesTheNode()
    {
        var graph = new GraphProto
        {
            Name = "main",
            Node = { OnnxTestModels.Node("Constant", [], ["c"], new AttributeProto { Name = "value", Type = AttributeType.Tensor, T = OnnxTestModels.RawFloats("", [2], [1f]) }) },
        };
        Assert.StartsWith("attribute 'value' of node 0 (Constant '/Constant'): dims [2]", LoadFails(OnnxTestModels.Model(graph)).Message);
    }

    [Fact]
    public void AttributeWithoutTypeOrValueIsRefused()
    {
        var untyped = new GraphProto { Name = "g", Node = { OnnxTestModels.Node("Relu", ["x"], ["y"], new AttributeProto { Name = "alpha", F = 1f }) } };
        Assert.Equal("attribute 'alpha' of node 0 (Relu '/Relu') has no type.", LoadFails(OnnxTestModels.Model(untyped)).Message);
        var empty = new GraphProto { Name = "g", Node = { OnnxTestModels.Node("If", [], [], new AttributeProto { Name = "then_branch", Type = AttributeType.Graph }) } };
        Assert.Equal("attribute 'then_branch' of node 0 (If '/If') declares a value it does not hold.", LoadFails(OnnxTestModels.Model(empty)).Message);
    }

    [Fact]
    public void DuplicateAttributeNamesAreRefused()
    {
        var graph = new GraphProto { Name = "g", Node = { OnnxTestModels.Node("Gemm", [], [], OnnxTestModels.Int("transB", 1), OnnxTestModels.Int("transB", 0)) } };
        Assert.Equal("node 0 (Gemm '/Gemm') has two attributes named 'transB'.", LoadFails(OnnxTestModels.Model(graph)).Message);
    }

    [Fact]
    public void ModelWithoutGraphIrVersionOrOpsetIsRefused()
    {
        Assert.Equal("The model has no graph.", Assert.Throws<OnnxFormatException>(() => OnnxModel.Load([])).Message);
        var noIr = OnnxTestModels.Model(new GraphProto());
        noIr.ClearIrVersion();
        Assert.Equal("The model states no valid IR version (ir_version absent).", LoadFails(noIr).Message);
        var noOpset = OnnxTestModels.Model(new GraphProto());
        noOpset.OpsetImport.Clear();
        Assert.Equal("The model imports no operator set (opset_import is empty).", LoadFails(noOpset).Message);
    }

    [Fact]
    public void ProtobufDamageIsReportedAsAFormatError()
    {
        var bytes = OnnxTestModels.Rich().ToByteArray();
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(bytes[..(bytes.Length / 2)]));
        Assert.StartsWith($"Not a valid ONNX model ({bytes.Length / 2} bytes): ", e.Message);
        Assert.IsType<InvalidProtocolBufferException>(e.InnerException);
    }

    [Fact]
    public void LoadFromPathPutsThePathFirst()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllBytes(path, [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F]); // graph field with a 4 GiB length prefix
            var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(path));
            Assert.StartsWith($"{path}: Not a valid ONNX model (6 bytes)", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void StreamLongerThanAModelCanBeIsRefusedBeforeReading()
    {
        var e = Assert.Throws<OnnxFormatException>(() => OnnxModel.Load(new ClaimsToBeHuge()));
        Assert.Contains("an ONNX model is at most", e.Message);
    }

    [Fact]
    public void HostileNamesAreCutAndEscapedInMessages()
    {
        string name = "evil\u001b[31m" + new string('x', 10_000);
        var e = LoadFails(OnnxTestModels.RawFloats(name, [-1], []));
        Assert.DoesNotContain('\u001b', e.Message); // a char: culture-aware substring search ignores control characters
        Assert.Contains("evil\\u001b[31m", e.Message);
        Assert.True(e.Message.Length < 400, $"message of {e.Message.Length} characters");
    }

    /// <summary>A seekable stream that reports 3 GiB and fails if read.</summary>
    private sealed class ClaimsToBeHuge : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => 3L << 30;
        public override long Position { get => 0; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new InvalidOperationException("read before the length check");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override void Flush() { }
    }
}
