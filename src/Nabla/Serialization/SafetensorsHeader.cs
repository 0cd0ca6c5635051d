using System.Text.Json;

namespace Nabla.Serialization;

/// <summary>One tensor's entry in a safetensors header: dtype, shape and byte range within the data that follows the header.</summary>
internal sealed record SafetensorsEntry(string Name, DType DType, long[] Shape, long Begin, long End);

/// <summary>
/// The JSON header of a safetensors file, parsed and validated before any tensor is allocated: a bounded length,
/// well-formed JSON, known dtypes, non-negative shapes, and byte ranges that lie within the file, do not overlap
/// and hold exactly dtype size × element count bytes.
/// </summary>
internal sealed class SafetensorsHeader
{
    /// <summary>The largest header accepted (the reference implementation's limit).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    public required List<SafetensorsEntry> Entries { get; init; }
    public required Dictionary<string, string> Metadata { get; init; }
    public required long HeaderBytes { get; init; }

    public static readonly Dictionary<string, DType> DTypes = new()
    {
        ["F64"] = DType.Float64,
        ["F32"] = DType.Float32,
        ["F16"] = DType.Float16,
        ["BF16"] = DType.BFloat16,
        ["I64"] = DType.Int64,
        ["I32"] = DType.Int32,
        ["I16"] = DType.Int16,
        ["I8"] = DType.Int8,
        ["U8"] = DType.UInt8,
        ["BOOL"] = DType.Bool,
    };

    public static string Code(DType dtype) => DTypes.First(kv => kv.Value == dtype).Key;

    /// <summary>Reads and validates the header from the start of <paramref name="stream"/>; <paramref name="fileLength"/> is null when unknown (then data ranges are checked while reading).</summary>
    public static SafetensorsHeader Read(Stream stream, long? fileLength)
    {
        Span<byte> lengthBytes = stackalloc byte[8];
        ReadExactly(stream, lengthBytes, "the header length");
        ulong n = BitConverter.ToUInt64(lengthBytes);
        if (n > MaxHeaderBytes) throw new CheckpointFormatException($"safetensors header of {n} bytes exceeds the limit of {MaxHeaderBytes}");
        if (fileLength is { } len && (long)n > len - 8) throw new CheckpointFormatException($"safetensors header of {n} bytes is longer than the file ({len} bytes)");
        var json = new byte[n];
        ReadExactly(stream, json, "the header");
        var header = Parse(json, (long)n);
        if (fileLength is { } total)
        {
            long data = total - 8 - (long)n;
            foreach (var e in header.Entries)
                if (e.End > data) throw new CheckpointFormatException($"tensor '{e.Name}' ends at byte {e.End}, past the {data} bytes of data in the file");
        }
        return header;
    }

    private static SafetensorsHeader Parse(byte[] json, long headerBytes)
    {
        try { _ = new System.Text.UTF8Encoding(false, true).GetCharCount(json); }
        catch (System.Text.DecoderFallbackException e) { throw new CheckpointFormatException("safetensors header is not valid UTF-8", e); }
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 8 }); }
        catch (JsonException e) { throw new CheckpointFormatException("safetensors header is not valid JSON: " + e.Message, e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new CheckpointFormatException("safetensors header is not a JSON object");
            var entries = new List<SafetensorsEntry>();
            var metadata = new Dictionary<string, string>();
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") { ReadMetadata(p.Value, metadata); continue; }
                entries.Add(ReadEntry(p.Name, p.Value));
            }
            CheckRanges(entries);
            return new SafetensorsHeader { Entries = entries, Metadata = metadata, HeaderBytes = headerBytes };
        }
    }

    private static void ReadMetadata(JsonElement e, Dictionary<string, string> metadata)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new CheckpointFormatException("safetensors __metadata__ is not an object of strings");
        foreach (var m in e.EnumerateObject())
        {
            if (m.Value.ValueKind != JsonValueKind.String) throw new CheckpointFormatException($"safetensors metadata '{m.Name}' is not a string");
            metadata[m.Name] = m.Value.GetString()!;
        }
    }

    private static SafetensorsEntry ReadEntry(string name, JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object
            || !e.TryGetProperty("dtype", out var d) || d.ValueKind != JsonValueKind.String
            || !e.TryGetProperty("shape", out var s) || s.ValueKind != JsonValueKind.Array
            || !e.TryGetProperty("data_offsets", out var o) || o.ValueKind != JsonValueKind.Array || o.GetArrayLength() != 2)
            throw new CheckpointFormatException($"safetensors entry '{name}' needs \"dtype\", \"shape\" and two \"data_offsets\"");
        if (!DTypes.TryGetValue(d.GetString()!, out var dtype)) throw new CheckpointFormatException($"safetensors entry '{name}' has unsupported dtype {d.GetString()}");
        var shape = new long[s.GetArrayLength()];
        long numel = 1;
        int i = 0;
        foreach (var x in s.EnumerateArray())
        {
            if (x.ValueKind != JsonValueKind.Number || !x.TryGetInt64(out long size) || size < 0)
                throw new CheckpointFormatException($"safetensors entry '{name}' has an invalid shape");
            shape[i++] = size;
            numel = numel == 0 || size == 0 ? 0 : numel <= long.MaxValue / size ? numel * size : throw new CheckpointFormatException($"safetensors entry '{name}' has too many elements");
        }
        long begin = Offset(name, o[0]), end = Offset(name, o[1]);
        if (end < begin) throw new CheckpointFormatException($"safetensors entry '{name}' ends before it begins");
        if (numel > (long.MaxValue / 8) || end - begin != numel * dtype.ElementSize())
            throw new CheckpointFormatException($"safetensors entry '{name}' holds {end - begin} bytes, but {dtype.TorchName()} of shape [{string.Join(", ", shape)}] needs {numel * dtype.ElementSize()}");
        if (numel > Array.MaxLength) throw new CheckpointFormatException($"safetensors entry '{name}' has {numel} elements, more than one array holds");
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static long Offset(string name, JsonElement e) =>
        e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out long v) && v >= 0 ? v
            : throw new CheckpointFormatException($"safetensors entry '{name}' has an invalid data offset");

    private static void CheckRanges(List<SafetensorsEntry> entries)
    {
        var sorted = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
        for (int i = 1; i < sorted.Count; i++)
            if (sorted[i].Begin < sorted[i - 1].End)
                throw new CheckpointFormatException($"safetensors entries '{sorted[i - 1].Name}' and '{sorted[i].Name}' overlap");
    }

    internal static void ReadExactly(Stream stream, Span<byte> buffer, string what)
    {
        try { stream.ReadExactly(buffer); }
        catch (EndOfStreamException e) { throw new CheckpointFormatException($"file is truncated: it ends inside {what}", e); }
    }
}
