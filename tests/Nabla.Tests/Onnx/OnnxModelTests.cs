using Google.Protobuf;
using Nabla.Onnx;
using Nabla.Onnx.Proto;
using Xunit;

namespace Nabla.Tests.Onnx;

public class OnnxModelTests
{
    [Fact]
    public void FieldsThisSchemaDoesNotKnowSurviveSave()
    {
        // A newer IR's fields: number 99 (bytes) on an initializer and 1000 (varint) on the model, each placed last in
        // its message, where Google.Protobuf writes unknown fields back.
        var fields = WireField.Read(OnnxTestModels.Rich().ToByteArray())!;
        var initializer = fields.Single(f => f.Number == 7).Children!.First(f => f.Number == 5);
        byte[] content = [.. initializer.Payload, .. WireField.Tag(99, 2), 3, .. "new"u8];
        byte[] replacement = [.. WireField.Tag(5, 2), .. WireField.Varint((ulong)content.Length), .. content];
        byte[] bytes = [.. WireField.Rebuild(fields, initializer, replacement), .. WireField.Tag(1000, 0), 42];

        var model = OnnxModel.Load(bytes);
        Assert.Equal(bytes, model.ToBytes());
        Assert.Equal(12, model.Graph.Initializers[0].ElementCount);
    }

    [Fact]
    public void FieldsPresentWithDefaultValuesAreKept()
    {
        // proto2 presence: MaxPool's ceil_mode = 0 and an empty doc_string are written back, as torch writes them.
        var graph = new GraphProto { Name = "g", DocString = "", Node = { OnnxTestModels.Node("MaxPool", ["x"], ["y"], OnnxTestModels.Int("ceil_mode", 0)) } };
        var bytes = OnnxTestModels.Model(graph).ToByteArray();
        var model = OnnxModel.Load(bytes);
        Assert.Equal(0L, model.Graph.Nodes[0].Attributes["ceil_mode"]);
        Assert.Equal(bytes, model.ToBytes());
        var saved = ModelProto.Parser.ParseFrom(model.ToBytes());
        Assert.True(saved.Graph.Node[0].Attribute[0].HasI);
        Assert.True(saved.Graph.HasDocString);
    }

    [Fact]
    public void FromProtoWrapsTheMessageTheExporterBuilt()
    {
        var proto = OnnxTestModels.Rich();
        var model = OnnxModel.FromProto(proto);
        Assert.Same(proto, model.Proto);
        Assert.Equal(proto.ToByteArray(), model.ToBytes());
        Assert.Throws<OnnxFormatException>(() => OnnxModel.FromProto(new ModelProto()));
    }

    [Fact]
    public void AttributesReadAsTypedValues()
    {
        var model = OnnxModel.Load(OnnxTestModels.Rich().ToByteArray());
        var gemm = model.Graph.Nodes[0];
        Assert.Equal(1L, gemm.Attributes["transB"]);
        Assert.Equal(1f, gemm.Attributes["alpha"]);
        var custom = model.Graph.Nodes[3];
        Assert.Equal("test.domain", custom.Domain);
        Assert.Equal([1L, -2L, 3L], (long[])custom.Attributes["ints"]);
        Assert.Equal([0.5f, 1.5f], (float[])custom.Attributes["floats"]);
        Assert.Equal("linear", custom.Attributes["mode"]);
        Assert.Equal(["a", "b"], (string[])custom.Attributes["names"]);
        var sparse = (OnnxSparseTensor)custom.Attributes["sparse"];
        Assert.Equal([4L], sparse.Dims);
        Assert.Equal([7f], sparse.Values.ToArray<float>());
        Assert.Equal([2L], sparse.Indices.ToArray<long>());
        Assert.Equal("seq(tensor(int64))", custom.Attributes["type"].ToString());
        Assert.Equal([1f, 2f], Assert.Single((OnnxTensor[])custom.Attributes["tensors"]).ToArray<float>());
        var thenBranch = (OnnxGraph)model.Graph.Nodes[2].Attributes["then_branch"];
        Assert.Equal("then", thenBranch.Name);
        Assert.Equal([1f], Assert.Single(thenBranch.Initializers).ToArray<float>());
    }

    [Fact]
    public void SaveToPathReplacesAnExistingFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"nabla-{Guid.NewGuid():N}.onnx");
        try
        {
            File.WriteAllText(path, "old content that is longer than nothing");
            var model = OnnxModel.Load(OnnxTestModels.Rich().ToByteArray());
            model.Save(path);
            Assert.Equal(model.ToBytes(), File.ReadAllBytes(path));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
