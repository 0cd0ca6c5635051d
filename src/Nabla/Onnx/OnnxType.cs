using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>What kind of value an <see cref="OnnxType"/> describes (the case of <c>onnx.TypeProto</c>'s oneof).</summary>
public enum OnnxTypeKind
{
    /// <summary>No type given.</summary>
    Unknown,
    /// <summary>A dense tensor: element type and shape.</summary>
    Tensor,
    /// <summary>A sparse tensor: element type and shape.</summary>
    SparseTensor,
    /// <summary>A sequence of values of one type.</summary>
    Sequence,
    /// <summary>A map from a key element type to values of one type.</summary>
    Map,
    /// <summary>A value that may be absent.</summary>
    Optional,
    /// <summary>An ONNX-ML opaque type.</summary>
    Opaque,
}

/// <summary>
/// The type of a graph value or a type attribute (<c>onnx.TypeProto</c>). Prints as ONNX does:
/// <c>tensor(float)</c>, <c>seq(tensor(int64))</c>, <c>map(string,tensor(float))</c>.
/// </summary>
public sealed class OnnxType
{
    internal OnnxType(TypeProto proto)
    {
        switch (proto.ValueCase)
        {
            case TypeProto.ValueOneofCase.TensorType:
                Kind = OnnxTypeKind.Tensor;
                ElementType = (OnnxDataType)proto.TensorType.ElemType;
                Shape = ShapeOf(proto.TensorType.Shape);
                break;
            case TypeProto.ValueOneofCase.SparseTensorType:
                Kind = OnnxTypeKind.SparseTensor;
                ElementType = (OnnxDataType)proto.SparseTensorType.ElemType;
                Shape = ShapeOf(proto.SparseTensorType.Shape);
                break;
            case TypeProto.ValueOneofCase.SequenceType:
                Kind = OnnxTypeKind.Sequence;
                Inner = InnerOf(proto.SequenceType.ElemType);
                break;
            case TypeProto.ValueOneofCase.OptionalType:
                Kind = OnnxTypeKind.Optional;
                Inner = InnerOf(proto.OptionalType.ElemType);
                break;
            case TypeProto.ValueOneofCase.MapType:
                Kind = OnnxTypeKind.Map;
                ElementType = (OnnxDataType)proto.MapType.KeyType;
                Inner = InnerOf(proto.MapType.ValueType);
                break;
            case TypeProto.ValueOneofCase.OpaqueType:
                Kind = OnnxTypeKind.Opaque;
                break;
            default:
                Kind = OnnxTypeKind.Unknown;
                break;
        }
    }

    /// <summary>Which kind of value this is.</summary>
    public OnnxTypeKind Kind { get; }

    /// <summary>The element type of a tensor or sparse tensor, the key type of a map; otherwise <see cref="OnnxDataType.Undefined"/>.</summary>
    public OnnxDataType ElementType { get; }

    /// <summary>The shape of a tensor or sparse tensor, null when its rank is unknown (or for other kinds).</summary>
    public IReadOnlyList<OnnxDimension>? Shape { get; }

    /// <summary>The element type of a sequence or optional, the value type of a map; otherwise null.</summary>
    public OnnxType? Inner { get; }

    /// <summary>ONNX's type string, e.g. <c>tensor(float)</c>; shapes are not part of it.</summary>
    public override string ToString() => Kind switch
    {
        OnnxTypeKind.Tensor => $"tensor({OnnxDataTypes.Name(ElementType)})",
        OnnxTypeKind.SparseTensor => $"sparse_tensor({OnnxDataTypes.Name(ElementType)})",
        OnnxTypeKind.Sequence => $"seq({Inner?.ToString() ?? "?"})",
        OnnxTypeKind.Optional => $"optional({Inner?.ToString() ?? "?"})",
        OnnxTypeKind.Map => $"map({OnnxDataTypes.Name(ElementType)},{Inner?.ToString() ?? "?"})",
        OnnxTypeKind.Opaque => "opaque",
        _ => "?",
    };

    private static OnnxType? InnerOf(TypeProto? proto) => proto is null ? null : new OnnxType(proto);

    private static IReadOnlyList<OnnxDimension>? ShapeOf(TensorShapeProto? shape) =>
        shape?.Dim.Select(d => new OnnxDimension(
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimValue ? d.DimValue : null,
            d.ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam ? d.DimParam : null)).ToArray();
}
