using Google.Protobuf;
using Nabla.Onnx.Proto;
using AttributeType = Nabla.Onnx.Proto.AttributeProto.Types.AttributeType;
using DataType = Nabla.Onnx.Proto.TensorProto.Types.DataType;

namespace Nabla.Tests.Onnx;

/// <summary>Small ONNX models built from the schema types, for hardening and fuzz tests.</summary>
internal static class OnnxTestModels
{
    /// <summary>
    /// A valid model that touches most of the schema: initializers in raw_data and typed fields (float, int64, bool,
    /// float16, string), a symbolic batch dimension, attributes of every common kind, an If node with two subgraphs
    /// (one with its own initializer), a sparse tensor and a type attribute.
    /// </summary>
    public static ModelProto Rich()
    {
        var graph = new GraphProto { Name = "rich" };
        graph.Input.Add(TensorValue("x", DataType.Float, Dim("batch"), Dim(4)));
        graph.Output.Add(TensorValue("y", DataType.Float, Dim("batch"), Dim(3)));
        graph.ValueInfo.Add(TensorValue("h", DataType.Float, Dim("batch"), Dim(3)));
        graph.Initializer.Add(RawFloats("w", [3, 4], Enumerable.Range(0, 12).Select(i => i * 0.25f - 1).ToArray()));
        graph.Initializer.Add(new TensorProto { Name = "b", DataType = (int)DataType.Float, Dims = { 3 }, FloatData = { 0.5f, -0.5f, 2f } });
        graph.Initializer.Add(new TensorProto { Name = "shape", DataType = (int)DataType.Int64, Dims = { 2 }, Int64Data = { -1, 3 } });
        graph.Initializer.Add(new TensorProto { Name = "mask", DataType = (int)DataType.Bool, Dims = { 2 }, RawData = ByteString.CopyFrom(1, 0) });
        graph.Initializer.Add(new TensorProto { Name = "half", DataType = (int)DataType.Float16, Dims = { 2 }, Int32Data = { 0x3C00, 0xC000 } });
        graph.Initializer.Add(new TensorProto { Name = "words", DataType = (int)DataType.String, Dims = { 1 }, StringData = { ByteString.CopyFromUtf8("hi") } });

        graph.Node.Add(Node("Gemm", ["x", "w", "b"], ["h"], Int("transB", 1), Float("alpha", 1f), Float("beta", 1f)));
        graph.Node.Add(Node("Constant", [], ["c"],
            new AttributeProto { Name = "value", Type = AttributeType.Tensor, T = RawFloats("", [], [2f]) }));
        var thenBranch = new GraphProto { Name = "then", Output = { TensorValue("t", DataType.Float) } };
        thenBranch.Initializer.Add(RawFloats("t", [1], [1f]));
        var elseBranch = new GraphProto { Name = "else", Output = { TensorValue("e", DataType.Float) } };
        elseBranch.Node.Add(Node("Identity", ["c"], ["e"]));
        graph.Node.Add(Node("If", ["cond"], ["r"],
            new AttributeProto { Name = "then_branch", Type = AttributeType.Graph, G = thenBranch },
            new AttributeProto { Name = "else_branch", Type = AttributeType.Graph, G = elseBranch }));
        graph.Node.Add(Node("Custom", ["h", "r"], ["y"],
            new AttributeProto { Name = "ints", Type = AttributeType.Ints, Ints = { 1, -2, 3 } },
            new AttributeProto { Name = "floats", Type = AttributeType.Floats, Floats = { 0.5f, 1.5f } },
            new AttributeProto { Name = "mode", Type = AttributeType.String, S = ByteString.CopyFromUtf8("linear") },
            new AttributeProto { Name = "names", Type = AttributeType.Strings, Strings = { ByteString.CopyFromUtf8("a"), ByteString.CopyFromUtf8("b") } },
            new AttributeProto
            {
                Name = "sparse",
                Type = AttributeType.SparseTensor,
                SparseTensor = new SparseTensorProto
                {
                    Dims = { 4 },
                    Values = RawFloats("sv", [1], [7f]),
                    Indices = new TensorProto { DataType = (int)DataType.Int64, Dims = { 1 }, Int64Data = { 2 } },
                },
            },
            new AttributeProto { Name = "type", Type = AttributeType.TypeProto, Tp = new TypeProto { SequenceType = new() { ElemType = TensorType(DataType.Int64) } } },
            new AttributeProto { Name = "tensors", Type = AttributeType.Tensors, Tensors = { RawFloats("", [2], [1f, 2f]) } }));
        graph.Node[^1].Domain = "test.domain";
        return Model(graph);
    }

    /// <summary>A model around <paramref name="graph"/>: IR 8, opset 17, producer "nabla-tests".</summary>
    public static ModelProto Model(GraphProto graph) => new()
    {
        IrVersion = 8,
        ProducerName = "nabla-tests",
        ProducerVersion = "0",
        OpsetImport = { new OperatorSetIdProto { Domain = "", Version = 17 } },
        Graph = graph,
    };

    /// <summary>A model whose only content is one initializer.</summary>
    public static ModelProto WithInitializer(TensorProto initializer) =>
        Model(new GraphProto { Name = "g", Initializer = { initializer } });

    public static TensorProto RawFloats(string name, long[] dims, float[] values)
    {
        var bytes = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        var t = new TensorProto { Name = name, DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(bytes) };
        t.Dims.Add(dims);
        return t;
    }

    public static NodeProto Node(string op, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var n = new NodeProto { OpType = op, Name = "/" + op };
        n.Input.Add(inputs);
        n.Output.Add(outputs);
        n.Attribute.Add(attributes);
        return n;
    }

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeType.Float, F = value };

    public static TensorShapeProto.Types.Dimension Dim(long value) => new() { DimValue = value };

    public static TensorShapeProto.Types.Dimension Dim(string param) => new() { DimParam = param };

    public static TypeProto TensorType(DataType type, params TensorShapeProto.Types.Dimension[] dims)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(dims);
        return new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)type, Shape = shape } };
    }

    public static ValueInfoProto TensorValue(string name, DataType type, params TensorShapeProto.Types.Dimension[] dims) =>
        new() { Name = name, Type = TensorType(type, dims) };
}
