using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>A named, typed graph value (<c>onnx.ValueInfoProto</c>): a graph input or output, or a value annotation.</summary>
public sealed class OnnxValueInfo
{
    internal OnnxValueInfo(ValueInfoProto proto)
    {
        Name = proto.Name;
        DocString = proto.DocString;
        Type = proto.Type is null ? null : new OnnxType(proto.Type);
    }

    /// <summary>The value's name, as nodes refer to it.</summary>
    public string Name { get; }

    /// <summary>The full type, or null when the file gives none.</summary>
    public OnnxType? Type { get; }

    /// <summary>The tensor element type; <see cref="OnnxDataType.Undefined"/> when the value is not a tensor or has no type.</summary>
    public OnnxDataType ElementType => Type is { Kind: OnnxTypeKind.Tensor or OnnxTypeKind.SparseTensor } t ? t.ElementType : OnnxDataType.Undefined;

    /// <summary>The tensor's declared shape, each dimension a size or a symbolic name; null when the rank is unknown.</summary>
    public IReadOnlyList<OnnxDimension>? Shape => Type?.Shape;

    /// <summary>The documentation string, empty when absent.</summary>
    public string DocString { get; }

    /// <summary><c>name: tensor(float)[batch, 4]</c>.</summary>
    public override string ToString() =>
        $"{Name}: {Type?.ToString() ?? "?"}" + (Shape is { } s ? "[" + string.Join(", ", s) + "]" : "");
}
