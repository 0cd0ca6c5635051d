namespace Nabla.Onnx;

/// <summary>
/// An ONNX file is malformed, inconsistent, or uses a storage form Nabla does not read (external data).
/// The message names what is wrong: which initializer, which dims, expected and actual byte counts.
/// Loading a hostile or damaged file gives this exception and no other.
/// </summary>
public sealed class OnnxFormatException : FormatException
{
    /// <summary>Creates the exception with a message that names what is wrong.</summary>
    public OnnxFormatException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the lower-level error that revealed the problem.</summary>
    public OnnxFormatException(string message, Exception innerException) : base(message, innerException) { }
}
