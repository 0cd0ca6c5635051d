using Nabla.Onnx.Proto;
using AttributeType = Nabla.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Nabla.Onnx;

/// <summary>One operator call in a graph (<c>onnx.NodeProto</c>).</summary>
public sealed class OnnxNode
{
    internal OnnxNode(NodeProto proto, string what)
    {
        Proto = proto;
        Inputs = proto.Input.ToArray();
        Outputs = proto.Output.ToArray();
        var attributes = new Dictionary<string, object>(proto.Attribute.Count);
        foreach (var a in proto.Attribute)
        {
            string attributeWhat = $"attribute {OnnxText.Quote(a.Name)} of {what}";
            if (!attributes.TryAdd(a.Name, AttributeValue(a, attributeWhat)))
                throw new OnnxFormatException($"{what} has two attributes named {OnnxText.Quote(a.Name)}.");
        }
        Attributes = attributes;
    }

    /// <summary>The operator, e.g. <c>Gemm</c>, <c>Conv</c>.</summary>
    public string OpType => Proto.OpType;

    /// <summary>The node's name, e.g. <c>/fc1/Gemm</c>; may be empty.</summary>
    public string Name => Proto.Name;

    /// <summary>The operator's domain: empty for standard ONNX operators.</summary>
    public string Domain => Proto.Domain;

    /// <summary>Names of the values the node reads, in order; an empty name marks an omitted optional input.</summary>
    public IReadOnlyList<string> Inputs { get; }

    /// <summary>Names of the values the node produces, in order.</summary>
    public IReadOnlyList<string> Outputs { get; }

    /// <summary>
    /// Attributes by name, in file order, each as its typed value: <see cref="long"/> (INT), <see cref="float"/> (FLOAT),
    /// <see cref="string"/> (STRING), long[] (INTS), float[] (FLOATS), string[] (STRINGS), <see cref="OnnxTensor"/>
    /// (TENSOR), <see cref="OnnxGraph"/> (GRAPH), <see cref="OnnxSparseTensor"/> (SPARSE_TENSOR),
    /// <see cref="OnnxType"/> (TYPE_PROTO), and arrays of the last four for their plural forms.
    /// </summary>
    public IReadOnlyDictionary<string, object> Attributes { get; }

    /// <summary>The documentation string, empty when absent.</summary>
    public string DocString => Proto.DocString;

    internal NodeProto Proto { get; }

    /// <summary><c>Gemm(x, fc1.weight, fc1.bias) -> (y)</c>.</summary>
    public override string ToString() => $"{OpType}({string.Join(", ", Inputs)}) -> ({string.Join(", ", Outputs)})";

    private static object AttributeValue(AttributeProto a, string what)
    {
        if (a.RefAttrName.Length > 0)
            throw new OnnxFormatException($"{what} refers to function attribute {OnnxText.Quote(a.RefAttrName)}, which is valid only inside a function body.");
        return a.Type switch
        {
            AttributeType.Float => a.F,
            AttributeType.Int => a.I,
            AttributeType.String => a.S.ToStringUtf8(),
            AttributeType.Tensor => new OnnxTensor(Required(a.T, what), what),
            AttributeType.Graph => new OnnxGraph(Required(a.G, what), what),
            AttributeType.SparseTensor => new OnnxSparseTensor(Required(a.SparseTensor, what), what),
            AttributeType.TypeProto => new OnnxType(Required(a.Tp, what)),
            AttributeType.Floats => a.Floats.ToArray(),
            AttributeType.Ints => a.Ints.ToArray(),
            AttributeType.Strings => a.Strings.Select(s => s.ToStringUtf8()).ToArray(),
            AttributeType.Tensors => a.Tensors.Select((t, i) => new OnnxTensor(t, $"tensor {i} of {what}")).ToArray(),
            AttributeType.Graphs => a.Graphs.Select((g, i) => new OnnxGraph(g, $"graph {i} of {what}")).ToArray(),
            AttributeType.SparseTensors => a.SparseTensors.Select((s, i) => new OnnxSparseTensor(s, $"sparse tensor {i} of {what}")).ToArray(),
            AttributeType.TypeProtos => a.TypeProtos.Select(t => new OnnxType(t)).ToArray(),
            AttributeType.Undefined => throw new OnnxFormatException($"{what} has no type."),
            _ => throw new OnnxFormatException($"{what} has unknown type {(int)a.Type}."),
        };
    }

    private static T Required<T>(T? value, string what) where T : class =>
        value ?? throw new OnnxFormatException($"{what} declares a value it does not hold.");
}
