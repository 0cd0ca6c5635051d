namespace Nabla.Serialization;

/// <summary>
/// A checkpoint file is malformed, truncated, of an unsupported format (legacy pre-1.6 <c>torch.save</c>, TorchScript,
/// big-endian) or holds something Nabla cannot represent. Loading throws this (or <see cref="UnsafeCheckpointException"/>)
/// for any bad input; it never runs code from the file.
/// </summary>
public class CheckpointFormatException : IOException
{
    /// <summary>A checkpoint error with the given message.</summary>
    public CheckpointFormatException(string message) : base(message) { }

    /// <summary>A checkpoint error with the given message and cause.</summary>
    public CheckpointFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// A <c>.pt</c> file's pickle names a global that <c>torch.load(weights_only=True)</c> does not allow (<c>posix.system</c>,
/// <c>builtins.eval</c>, a user class), or asks to call or build something it does not allow. Refused before anything is
/// constructed.
/// </summary>
public sealed class UnsafeCheckpointException : CheckpointFormatException
{
    /// <summary>The refused global as <c>module.name</c>, e.g. <c>posix.system</c>.</summary>
    public string Global { get; }

    /// <summary>Refuses <paramref name="global"/> with PyTorch's wording.</summary>
    public UnsafeCheckpointException(string global, string message) : base(message) => Global = global;
}
