using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>
/// A sparse tensor attribute value (<c>onnx.SparseTensorProto</c>): <see cref="Values"/> [NNZ] at <see cref="Indices"/>
/// ([NNZ, rank], or [NNZ] linearised) within a dense shape <see cref="Dims"/>.
/// </summary>
public sealed class OnnxSparseTensor
{
    private readonly long[] _dims;

    internal OnnxSparseTensor(SparseTensorProto proto, string what)
    {
        if (proto.Values is null || proto.Indices is null)
            throw new OnnxFormatException($"{what} is a sparse tensor without {(proto.Values is null ? "values" : "indices")}.");
        Values = new OnnxTensor(proto.Values, $"values of {what}");
        Indices = new OnnxTensor(proto.Indices, $"indices of {what}");
        _dims = proto.Dims.ToArray();
    }

    /// <summary>The non-default values, shape [NNZ].</summary>
    public OnnxTensor Values { get; }

    /// <summary>Their positions: int64, shape [NNZ, rank] or [NNZ] (linearised).</summary>
    public OnnxTensor Indices { get; }

    /// <summary>The dense shape. A new array on each call.</summary>
    public long[] Dims => (long[])_dims.Clone();
}
