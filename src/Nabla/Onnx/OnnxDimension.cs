using System.Globalization;

namespace Nabla.Onnx;

/// <summary>
/// One dimension of a declared shape (<c>onnx.TensorShapeProto.Dimension</c>): a fixed size (<see cref="Value"/>),
/// a symbolic name such as <c>"batch"</c> for a dynamic axis (<see cref="Param"/>), or neither when unknown.
/// </summary>
/// <param name="Value">The fixed size, or null.</param>
/// <param name="Param">The symbolic name, or null.</param>
public readonly record struct OnnxDimension(long? Value, string? Param)
{
    /// <summary>The size, the name, or <c>?</c> when the dimension is unknown.</summary>
    public override string ToString() =>
        Value is { } v ? v.ToString(CultureInfo.InvariantCulture) : Param ?? "?";
}
