using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>
/// A computation graph (<c>onnx.GraphProto</c>): the main graph of a model, or a subgraph held by a node attribute
/// (<c>If</c>'s branches, <c>Loop</c>'s body).
/// </summary>
public sealed class OnnxGraph
{
    /// <param name="proto">The graph.</param>
    /// <param name="holder">Where a subgraph sits, for messages (<c>attribute 'body' of node 3 ...</c>); null for the main graph.</param>
    internal OnnxGraph(GraphProto proto, string? holder)
    {
        Proto = proto;
        string where = holder is null ? "" : $" in graph {OnnxText.Quote(proto.Name)} ({holder})";
        Inputs = proto.Input.Select(v => new OnnxValueInfo(v)).ToArray();
        Outputs = proto.Output.Select(v => new OnnxValueInfo(v)).ToArray();
        ValueInfos = proto.ValueInfo.Select(v => new OnnxValueInfo(v)).ToArray();
        Initializers = proto.Initializer.Select(t => new OnnxTensor(t, TensorDescription.OfInitializer(t, where))).ToArray();
        Nodes = proto.Node.Select((n, i) => new OnnxNode(n, $"node {i} ({OnnxText.Printable(n.OpType, 64)} {OnnxText.Quote(n.Name)}){where}")).ToArray();
    }

    /// <summary>The graph's name (<c>main_graph</c> for PyTorch exports).</summary>
    public string Name => Proto.Name;

    /// <summary>The graph inputs, with types and shapes. Files from old exporters also list initializers here.</summary>
    public IReadOnlyList<OnnxValueInfo> Inputs { get; }

    /// <summary>The graph outputs, with types and shapes.</summary>
    public IReadOnlyList<OnnxValueInfo> Outputs { get; }

    /// <summary>Type annotations of intermediate values (<c>graph.value_info</c>).</summary>
    public IReadOnlyList<OnnxValueInfo> ValueInfos { get; }

    /// <summary>The named constant tensors: weights, biases, buffers, in file order.</summary>
    public IReadOnlyList<OnnxTensor> Initializers { get; }

    /// <summary>The nodes in file order, which ONNX requires to be topological.</summary>
    public IReadOnlyList<OnnxNode> Nodes { get; }

    /// <summary>The documentation string, empty when absent.</summary>
    public string DocString => Proto.DocString;

    internal GraphProto Proto { get; }
}
