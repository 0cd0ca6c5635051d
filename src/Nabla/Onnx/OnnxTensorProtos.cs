using System.Runtime.InteropServices;
using Google.Protobuf;
using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>Nabla tensors and dtypes as ONNX tensors and element types (what the exporter writes).</summary>
internal static class OnnxTensorProtos
{
    /// <summary>The ONNX element type of a dtype: float32 is FLOAT (1), float64 DOUBLE (11), int64 INT64 (7), int32 INT32 (6), bool BOOL (9).</summary>
    public static OnnxDataType ToOnnx(this DType dtype) => dtype switch
    {
        DType.Float32 => OnnxDataType.Float,
        DType.Float64 => OnnxDataType.Double,
        DType.Int64 => OnnxDataType.Int64,
        DType.Int32 => OnnxDataType.Int32,
        _ => OnnxDataType.Bool,
    };

    /// <summary>The tensor's elements in row-major order as a named TensorProto, little-endian in <c>raw_data</c>.</summary>
    public static TensorProto FromTensor(Tensor t, string name)
    {
        var proto = new TensorProto { Name = name, DataType = (int)t.DType.ToOnnx() };
        proto.Dims.AddRange(t._shape);
        proto.RawData = t.DType switch
        {
            DType.Float32 => Raw(t.Span<float>()),
            DType.Float64 => Raw(t.Span<double>()),
            DType.Int64 => Raw(t.Span<long>()),
            DType.Int32 => Raw(t.Span<int>()),
            _ => Raw(t.Span<bool>()),
        };
        return proto;
    }

    /// <summary>A 1-D int64 TensorProto (shapes, axes, starts and ends of slices).</summary>
    public static TensorProto Int64s(long[] values, string name)
    {
        var proto = new TensorProto { Name = name, DataType = (int)OnnxDataType.Int64, RawData = Raw<long>(values) };
        proto.Dims.Add(values.Length);
        return proto;
    }

    private static ByteString Raw<T>(ReadOnlySpan<T> values) where T : unmanaged
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("ONNX raw_data is little-endian; exporting on a big-endian machine is not supported.");
        return ByteString.CopyFrom(MemoryMarshal.AsBytes(values));
    }

    /// <summary>A graph input or output: name, element type and dims, each a size or a symbolic name.</summary>
    public static ValueInfoProto ValueInfo(string name, DType dtype, IReadOnlyList<long> shape, IReadOnlyDictionary<int, string>? symbolic = null)
    {
        var tensorType = new TypeProto.Types.Tensor { ElemType = (int)dtype.ToOnnx(), Shape = new TensorShapeProto() };
        for (int i = 0; i < shape.Count; i++)
        {
            var dim = new TensorShapeProto.Types.Dimension();
            if (symbolic is not null && symbolic.TryGetValue(i, out var param)) dim.DimParam = param;
            else dim.DimValue = shape[i];
            tensorType.Shape.Dim.Add(dim);
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = tensorType } };
    }
}
