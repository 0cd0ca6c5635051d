using System.Text.Json;
using Nabla.Onnx;
using Xunit;

namespace Nabla.Tests.Onnx;

/// <summary>
/// Files written by PyTorch's exporter (torch 1.13) and by the onnx package, compared with what the onnx package reads
/// in them. Made by tests/goldens/gen_onnx_files.py.
/// </summary>
public class OnnxGoldenTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "goldens", "onnx");

    private static readonly Lazy<Dictionary<string, JsonElement>> Expected = new(() =>
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Folder, "onnx_files.json")));
        return doc.RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("file").GetString()!, f => f.Clone());
    });

    public static TheoryData<string> Files() => new(Expected.Value.Keys.Order());

    [Fact]
    public void GoldensCoverBothOpsetsOfEachExportedModel()
    {
        foreach (var model in new[] { "mlp", "cnn", "experiment" })
            foreach (var opset in new[] { 13, 17 })
                Assert.Contains($"{model}_opset{opset}.onnx", Expected.Value.Keys);
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void LoadReadsWhatTheOnnxPackageReads(string file)
    {
        var expected = Expected.Value[file];
        var model = OnnxModel.Load(Path.Combine(Folder, file));

        Assert.Equal(expected.GetProperty("ir_version").GetInt64(), model.IrVersion);
        Assert.Equal(expected.GetProperty("producer_name").GetString(), model.ProducerName);
        Assert.Equal(expected.GetProperty("producer_version").GetString(), model.ProducerVersion);
        Assert.Equal(
            expected.GetProperty("opset_import").EnumerateArray().Select(o => new OnnxOpsetImport(o.GetProperty("domain").GetString()!, o.GetProperty("version").GetInt64())),
            model.OpsetImports);
        Assert.Equal(expected.GetProperty("graph_name").GetString(), model.Graph.Name);
        AssertValueInfos(expected.GetProperty("inputs"), model.Graph.Inputs);
        AssertValueInfos(expected.GetProperty("outputs"), model.Graph.Outputs);

        var initializers = expected.GetProperty("initializers").EnumerateArray().ToArray();
        Assert.Equal(initializers.Length, model.Graph.Initializers.Count);
        for (int i = 0; i < initializers.Length; i++)
        {
            var init = model.Graph.Initializers[i];
            Assert.Equal(initializers[i].GetProperty("name").GetString(), init.Name);
            AssertTensor(initializers[i], init, init.Name);
        }

        var nodes = expected.GetProperty("nodes").EnumerateArray().ToArray();
        Assert.Equal(nodes.Length, model.Graph.Nodes.Count);
        for (int i = 0; i < nodes.Length; i++)
        {
            var node = model.Graph.Nodes[i];
            Assert.Equal(nodes[i].GetProperty("op_type").GetString(), node.OpType);
            Assert.Equal(nodes[i].GetProperty("name").GetString(), node.Name);
            Assert.Equal(nodes[i].GetProperty("domain").GetString(), node.Domain);
            Assert.Equal(Strings(nodes[i].GetProperty("inputs")), node.Inputs);
            Assert.Equal(Strings(nodes[i].GetProperty("outputs")), node.Outputs);
            var attributes = nodes[i].GetProperty("attributes").EnumerateObject().ToArray();
            Assert.Equal(attributes.Select(a => a.Name), node.Attributes.Keys);
            foreach (var a in attributes)
                AssertAttribute(a.Value, node.Attributes[a.Name], $"{node.Name}.{a.Name}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void SaveGivesBackTheFileBytes(string file)
    {
        // Torch (C++ protobuf) and the onnx package write fields in field-number order, as Google.Protobuf does, and
        // proto2 keeps fields present with default values (MaxPool's ceil_mode = 0): so the bytes match exactly.
        var bytes = File.ReadAllBytes(Path.Combine(Folder, file));
        var model = OnnxModel.Load(bytes);
        Assert.Equal(bytes, model.ToBytes());

        using var stream = new MemoryStream();
        model.Save(stream);
        Assert.Equal(bytes, stream.ToArray());

        string path = Path.Combine(Path.GetTempPath(), $"nabla-{Guid.NewGuid():N}-{file}");
        try
        {
            model.Save(path);
            Assert.Equal(bytes, File.ReadAllBytes(path));
            Assert.False(File.Exists(path + ".tmp"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void LoadFromStreamEqualsLoadFromPath()
    {
        string path = Path.Combine(Folder, "mlp_opset17.onnx");
        using var file = File.OpenRead(path);
        Assert.Equal(OnnxModel.Load(path).ToBytes(), OnnxModel.Load(file).ToBytes());
    }

    [Fact]
    public void DynamicAxisReadsAsSymbolicDimension()
    {
        var model = OnnxModel.Load(Path.Combine(Folder, "mlp_opset17.onnx"));
        var x = Assert.Single(model.Graph.Inputs);
        Assert.Equal(OnnxDataType.Float, x.ElementType);
        Assert.Equal([new OnnxDimension(null, "batch"), new OnnxDimension(4, null)], x.Shape);
        Assert.Equal("x: tensor(float)[batch, 4]", x.ToString());
    }

    [Fact]
    public void ExperimentModelKeepsItsParameterAsInitializer()
    {
        // Seed notebook: forward is x * my_tensor + my_param. torch 1.13 folds the plain field my_tensor into a
        // Constant node (2.x makes it an initializer named my_tensor); my_param is an initializer in both.
        var model = OnnxModel.Load(Path.Combine(Folder, "experiment_opset17.onnx"));
        var param = Assert.Single(model.Graph.Initializers);
        Assert.Equal("my_param", param.Name);
        Assert.Equal([1L], param.Dims);
        var constant = Assert.IsType<OnnxTensor>(model.Graph.Nodes[0].Attributes["value"]);
        Assert.Single(constant.ToArray<float>());
    }

    private static void AssertValueInfos(JsonElement expected, IReadOnlyList<OnnxValueInfo> actual)
    {
        var items = expected.EnumerateArray().ToArray();
        Assert.Equal(items.Length, actual.Count);
        for (int i = 0; i < items.Length; i++)
        {
            Assert.Equal(items[i].GetProperty("name").GetString(), actual[i].Name);
            Assert.Equal((OnnxDataType)items[i].GetProperty("elem_type").GetInt32(), actual[i].ElementType);
            var dims = items[i].GetProperty("shape").EnumerateArray().Select(d => d.ValueKind switch
            {
                JsonValueKind.Number => new OnnxDimension(d.GetInt64(), null),
                JsonValueKind.String => new OnnxDimension(null, d.GetString()),
                _ => new OnnxDimension(null, null),
            });
            Assert.Equal(dims, actual[i].Shape!);
        }
    }

    private static void AssertTensor(JsonElement expected, OnnxTensor actual, string label)
    {
        Assert.Equal(expected.GetProperty("dims").EnumerateArray().Select(d => d.GetInt64()), actual.Dims);
        Assert.Equal((OnnxDataType)expected.GetProperty("data_type").GetInt32(), actual.DataType);
        var values = expected.GetProperty("values").EnumerateArray().ToArray();
        var array = actual.ToArray();
        Assert.True(values.Length == array.Length, $"{label}: {array.Length} values, expected {values.Length}");
        for (int i = 0; i < values.Length; i++)
            Assert.True(SameValue(values[i], array.GetValue(i)!), $"{label}[{i}]: {array.GetValue(i)}, expected {values[i]}");
    }

    private static void AssertAttribute(JsonElement expected, object actual, string label)
    {
        switch (actual)
        {
            case long i: Assert.Equal(expected.GetInt64(), i); break;
            case float f: Assert.Equal(expected.GetDouble(), (double)f); break;
            case string s: Assert.Equal(expected.GetString(), s); break;
            case long[] ints: Assert.Equal(expected.EnumerateArray().Select(e => e.GetInt64()), ints); break;
            case float[] floats: Assert.Equal(expected.EnumerateArray().Select(e => e.GetDouble()), floats.Select(f => (double)f)); break;
            case OnnxTensor t: AssertTensor(expected, t, label); break;
            default: Assert.Fail($"{label}: unexpected attribute value {actual.GetType()}"); break;
        }
    }

    /// <summary>A JSON value from the onnx package equals a decoded element (floats widened exactly to double).</summary>
    private static bool SameValue(JsonElement expected, object actual) => actual switch
    {
        float f => expected.GetDouble() == f,
        double d => expected.GetDouble() == d,
        Half h => expected.GetDouble() == (double)h,
        bool b => expected.GetBoolean() == b,
        string s => expected.GetString() == s,
        ulong u => expected.ValueKind == JsonValueKind.String ? expected.GetString() == u.ToString(System.Globalization.CultureInfo.InvariantCulture) : expected.GetUInt64() == u,
        _ => expected.GetInt64() == Convert.ToInt64(actual, System.Globalization.CultureInfo.InvariantCulture),
    };

    private static string[] Strings(JsonElement array) => array.EnumerateArray().Select(e => e.GetString()!).ToArray();
}
