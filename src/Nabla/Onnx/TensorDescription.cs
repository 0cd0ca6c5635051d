using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>
/// How messages name a tensor from a file (<c>initializer 'w' in graph 'body' (...)</c>). An initializer's text is
/// built only when a message needs it, so a file of many tiny initializers costs no string per initializer.
/// </summary>
internal readonly struct TensorDescription
{
    private readonly string? _text;
    private readonly TensorProto? _initializer;
    private readonly string _where;

    private TensorDescription(string? text, TensorProto? initializer, string where)
    {
        _text = text;
        _initializer = initializer;
        _where = where;
    }

    /// <summary>A description given as text (attribute tensors, sparse parts).</summary>
    public static implicit operator TensorDescription(string text) => new(text, null, "");

    /// <summary><c>initializer 'name'</c> followed by <paramref name="where"/> (empty in the main graph).</summary>
    public static TensorDescription OfInitializer(TensorProto initializer, string where) => new(null, initializer, where);

    /// <inheritdoc/>
    public override string ToString() =>
        _initializer is { } t ? $"initializer {OnnxText.Quote(t.Name)}{_where}" : _text ?? "";
}
