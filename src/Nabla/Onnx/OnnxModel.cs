using System.Globalization;
using Google.Protobuf;
using Nabla.Onnx.Proto;

namespace Nabla.Onnx;

/// <summary>
/// An ONNX model file (<c>onnx.ModelProto</c>), read with <see cref="Load(string)"/> (<c>onnx.load</c>) and written with
/// <see cref="Save(string)"/> (<c>onnx.save</c>). Everything in the file is kept, fields this version does not know
/// included, so a load and save gives back the same bytes for a canonically ordered file (as PyTorch writes them).
/// </summary>
/// <remarks>
/// Loading checks what the rest of Nabla relies on: the protobuf structure (with a nesting limit of
/// <see cref="RecursionLimit"/>), the presence of a graph, an IR version and an opset import, and that every tensor's
/// dims agree with the data it holds. A damaged or hostile file gives an <see cref="OnnxFormatException"/> that says
/// what is wrong, never another exception, and nothing is allocated beyond what the file's size accounts for.
/// </remarks>
public sealed class OnnxModel
{
    /// <summary>
    /// How deeply messages may nest (a subgraph inside a node attribute inside a graph counts three levels). Protobuf's
    /// own default, stated here so a file nested 10^5 deep fails cleanly instead of exhausting the stack.
    /// </summary>
    public const int RecursionLimit = 100;

    /// <summary>
    /// The largest model <see cref="Load(string)"/> reads: the largest byte array .NET allocates (<see cref="Array.MaxLength"/>),
    /// just under protobuf's 2 GiB limit on a message. Larger models keep their weights in external data.
    /// </summary>
    public const long MaxFileBytes = 0x7FFFFFC7;

    private OnnxModel(ModelProto proto)
    {
        if (proto.Graph is null)
            throw new OnnxFormatException("The model has no graph.");
        if (!proto.HasIrVersion || proto.IrVersion <= 0)
            throw new OnnxFormatException($"The model states no valid IR version (ir_version {(proto.HasIrVersion ? proto.IrVersion.ToString(CultureInfo.InvariantCulture) : "absent")}).");
        if (proto.OpsetImport.Count == 0)
            throw new OnnxFormatException("The model imports no operator set (opset_import is empty).");
        Proto = proto;
        OpsetImports = proto.OpsetImport.Select(o => new OnnxOpsetImport(o.Domain, o.Version)).ToArray();
        Metadata = proto.MetadataProps.Select(p => KeyValuePair.Create(p.Key, p.Value)).ToArray();
        Graph = new OnnxGraph(proto.Graph, holder: null);
    }

    /// <summary>The ONNX IR version the file follows (8 for opset 17 exports of torch 1.13).</summary>
    public long IrVersion => Proto.IrVersion;

    /// <summary>The tool that wrote the file, e.g. <c>pytorch</c>.</summary>
    public string ProducerName => Proto.ProducerName;

    /// <summary>That tool's version, e.g. <c>1.13.0</c>.</summary>
    public string ProducerVersion => Proto.ProducerVersion;

    /// <summary>The model's domain (reverse-DNS), empty when absent.</summary>
    public string Domain => Proto.Domain;

    /// <summary>The model's own version number, 0 when absent.</summary>
    public long ModelVersion => Proto.ModelVersion;

    /// <summary>The documentation string, empty when absent.</summary>
    public string DocString => Proto.DocString;

    /// <summary>The operator sets the model imports: domain and version.</summary>
    public IReadOnlyList<OnnxOpsetImport> OpsetImports { get; }

    /// <summary>Free-form metadata (<c>metadata_props</c>), in file order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

    /// <summary>The main graph.</summary>
    public OnnxGraph Graph { get; }

    /// <summary>The underlying message. Owned by this model: not to be changed once wrapped.</summary>
    internal ModelProto Proto { get; }

    /// <summary>Wraps a message built in memory (by the exporter), checking it as <see cref="Load(byte[])"/> does.</summary>
    /// <exception cref="OnnxFormatException">The message lacks a graph, IR version or opset, or a tensor is inconsistent.</exception>
    internal static OnnxModel FromProto(ModelProto proto) => new(proto);

    /// <summary>Reads an .onnx file (<c>onnx.load(path)</c>).</summary>
    /// <exception cref="OnnxFormatException">The file is not a valid ONNX model, or is larger than <see cref="MaxFileBytes"/>; the message starts with the path.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static OnnxModel Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        long length = new FileInfo(path).Length;
        if (length > MaxFileBytes)
            throw new OnnxFormatException($"{path}: the file is {length} bytes; an ONNX model file is at most {MaxFileBytes} bytes (protobuf's limit).");
        try
        {
            return Load(File.ReadAllBytes(path));
        }
        catch (OnnxFormatException e)
        {
            throw new OnnxFormatException($"{path}: {e.Message}", e);
        }
    }

    /// <summary>Reads a model from the rest of a stream (<c>onnx.load(f)</c>).</summary>
    /// <exception cref="OnnxFormatException">The bytes are not a valid ONNX model, or exceed <see cref="MaxFileBytes"/>.</exception>
    public static OnnxModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        return Load(ReadToEnd(stream));
    }

    /// <summary>Reads a model from its serialized bytes (<c>onnx.load_from_string</c>).</summary>
    /// <exception cref="OnnxFormatException">The bytes are not a valid ONNX model.</exception>
    public static OnnxModel Load(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        ModelProto proto;
        try
        {
            proto = Parse(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxFormatException($"Not a valid ONNX model ({bytes.Length} bytes): {e.Message}", e);
        }
        return new OnnxModel(proto);
    }

    /// <summary>Parses with a nesting limit of exactly <see cref="RecursionLimit"/>.</summary>
    private static ModelProto Parse(byte[] bytes)
    {
        // A CodedInputStream over the array copies each field once, but its nesting limit is protobuf's default and
        // cannot be set; the stream form sets the limit but reads large fields in 4 KiB chunks (twice the memory, slower).
        // Use the array form when its limit is ours, which it is for Google.Protobuf 3.x.
        var input = new CodedInputStream(bytes);
        if (input.RecursionLimit != RecursionLimit)
        {
            input.Dispose();
            input = CodedInputStream.CreateWithLimits(new MemoryStream(bytes, writable: false), int.MaxValue, RecursionLimit);
        }
        using (input)
            return ModelProto.Parser.ParseFrom(input);
    }

    /// <summary>Writes the model to a file (<c>onnx.save(model, path)</c>), through a temporary file so a failed write leaves no half file.</summary>
    public void Save(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string temporary = path + ".tmp";
        try
        {
            using (var file = File.Create(temporary))
                Proto.WriteTo(file);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Writes the model's bytes to a stream.</summary>
    public void Save(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        Proto.WriteTo(stream);
    }

    /// <summary>The model's serialized bytes (<c>model.SerializeToString()</c>).</summary>
    public byte[] ToBytes() => Proto.ToByteArray();

    /// <summary>The rest of a stream, refusing more than <see cref="MaxFileBytes"/> before reading past it.</summary>
    private static byte[] ReadToEnd(Stream stream)
    {
        if (stream.CanSeek && stream.Length - stream.Position > MaxFileBytes)
            throw new OnnxFormatException($"The stream holds {stream.Length - stream.Position} bytes; an ONNX model is at most {MaxFileBytes} bytes (protobuf's limit).");
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = stream.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > MaxFileBytes)
                throw new OnnxFormatException($"The stream holds more than {MaxFileBytes} bytes; an ONNX model is at most that (protobuf's limit).");
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
