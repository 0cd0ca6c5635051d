using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>
/// A tensor stored in an ONNX file: a graph initializer (<c>onnx.TensorProto</c> in <c>graph.initializer</c>) or the
/// value of a tensor attribute (a <c>Constant</c> node's <c>value</c>). Its dims and stored data were checked against
/// each other when the model was loaded; <see cref="ToArray"/> decodes the data.
/// </summary>
public sealed class OnnxTensor
{
    private readonly long[] _dims;
    private readonly TensorDescription _what;

    internal OnnxTensor(TensorProto proto, TensorDescription what)
    {
        Proto = proto;
        _what = what;
        _dims = proto.Dims.ToArray();
        ElementCount = OnnxTensorData.CheckedElementCount(proto, what);
        IsExternal = OnnxTensorData.UnsupportedStorage(proto, what) is not null;
    }

    /// <summary>The tensor's name (an initializer's name is the graph value it feeds); empty for an unnamed attribute tensor.</summary>
    public string Name => Proto.Name;

    /// <summary>The shape; empty for a scalar. A new array on each call.</summary>
    public long[] Dims => (long[])_dims.Clone();

    /// <summary>The element type, numbered as ONNX numbers it.</summary>
    public OnnxDataType DataType => (OnnxDataType)Proto.DataType;

    /// <summary>Number of elements: the product of <see cref="Dims"/> (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>
    /// True when the data lives outside the .onnx file (ONNX external data) or in segments; such a tensor can be
    /// inspected, and saved back as it is, but <see cref="ToArray"/> refuses it.
    /// </summary>
    public bool IsExternal { get; }

    /// <summary>The tensor's documentation string, empty when absent.</summary>
    public string DocString => Proto.DocString;

    internal TensorProto Proto { get; }

    /// <summary>
    /// The elements as a flat row-major .NET array, decoded from <c>raw_data</c> (little-endian) or the typed field:
    /// float[] (float), double[] (double), Half[] (float16), float[] (bfloat16, widened exactly), sbyte[] (int8),
    /// byte[] (uint8), short[] (int16), ushort[] (uint16), int[] (int32), uint[] (uint32), long[] (int64),
    /// ulong[] (uint64), bool[] (bool), string[] (string), <see cref="System.Numerics.Complex"/>[] (complex64 and
    /// complex128); float8 types as byte[] bit patterns; 4-bit types one element per entry (int4 as sbyte[], uint4 and
    /// float4e2m1 as byte[]). Like <c>onnx.numpy_helper.to_array</c>, flattened.
    /// </summary>
    /// <exception cref="OnnxFormatException">The data is external or segmented (not supported), or inconsistent.</exception>
    public Array ToArray() => OnnxTensorData.Decode(Proto, _what);

    /// <summary>The elements as <typeparamref name="T"/>[], when that is the array type <see cref="ToArray()"/> gives.</summary>
    /// <exception cref="InvalidOperationException">The tensor's elements decode to another array type.</exception>
    /// <exception cref="OnnxFormatException">As for <see cref="ToArray()"/>.</exception>
    public T[] ToArray<T>()
    {
        var array = ToArray();
        return array as T[] ?? throw new InvalidOperationException(
            $"{_what} holds {OnnxDataTypes.Name(DataType)} elements, which decode to {array.GetType().Name}, not {typeof(T).Name}[].");
    }

    /// <summary>
    /// The tensor as a Nabla <see cref="Tensor"/> of its dims (like <c>torch.from_numpy(numpy_helper.to_array(t))</c>):
    /// float, double, int64, int32 and bool elements become <see cref="DType.Float32"/>, <see cref="DType.Float64"/>,
    /// <see cref="DType.Int64"/>, <see cref="DType.Int32"/> and <see cref="DType.Bool"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">
    /// The element type has no Nabla dtype (float16, uint8, string, ...), or the tensor has more dims than a Nabla
    /// tensor (64, as in PyTorch).
    /// </exception>
    /// <exception cref="OnnxFormatException">As for <see cref="ToArray()"/>.</exception>
    public Tensor ToTensor()
    {
        if (_dims.Length > Shapes.MaxRank)
            throw new NotSupportedException(
                $"{_what} has {_dims.Length} dims; a tensor has at most {Shapes.MaxRank} (only tensors with up to {Shapes.MaxRank} dims are supported).");
        if (DataType is not (OnnxDataType.Float or OnnxDataType.Double or OnnxDataType.Int64 or OnnxDataType.Int32 or OnnxDataType.Bool))
            throw new NotSupportedException(
                $"{_what} holds {OnnxDataTypes.Name(DataType)} elements, which have no Nabla dtype (float, double, int64, int32 and bool convert); use ToArray().");
        return Tensor.FromArray(ToArray(), _dims);
    }

    /// <summary>A one-line description: name, data type and dims.</summary>
    public override string ToString() => $"{Name}: {OnnxDataTypes.Name(DataType)}{OnnxText.Dims(_dims)}";
}
