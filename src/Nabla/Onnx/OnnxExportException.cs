namespace Nabla.Onnx;

/// <summary>
/// A model cannot be exported to ONNX as asked: an op with no ONNX lowering (the message names the op kind and the
/// module it ran in), arguments that do not fit the model (input or output names, dynamic axes), or a forward pass
/// whose trace cannot stand for the model (an in-place change of a value already read, a size computed from a
/// dynamic axis in a way the exporter cannot express).
/// </summary>
public sealed class OnnxExportException : Exception
{
    /// <summary>Creates the exception with a message that names what cannot be exported and where.</summary>
    public OnnxExportException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the error that the traced forward pass raised.</summary>
    public OnnxExportException(string message, Exception innerException) : base(message, innerException) { }
}
