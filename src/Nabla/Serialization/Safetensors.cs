using System.Text.Json;

namespace Nabla.Serialization;

/// <summary>
/// Reads and writes the safetensors format (<c>safetensors.torch.save_file</c> / <c>load_file</c>): an 8-byte header
/// length, a JSON header of dtypes, shapes and byte ranges, then raw little-endian data. The header is validated before
/// anything is allocated; tensor bytes are read once, straight into the tensors' storage.
/// </summary>
public static class Safetensors
{
    /// <summary>
    /// Writes <paramref name="tensors"/> to <paramref name="path"/> (<c>save_file(tensors, path, metadata)</c>) atomically: a
    /// temporary file beside it, flushed, then renamed over it. Views are written as their own contiguous data.
    /// </summary>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> tensors, string path, Dictionary<string, string>? metadata = null) =>
        AtomicFile.Write(path, s => Save(tensors, s, metadata));

    /// <summary>Writes <paramref name="tensors"/> in safetensors format to <paramref name="stream"/> (<c>safetensors.torch.save</c>).</summary>
    public static void Save(IEnumerable<KeyValuePair<string, Tensor>> tensors, Stream stream, Dictionary<string, string>? metadata = null)
    {
        TensorBytes.RequireLittleEndian();
        var list = new List<KeyValuePair<string, Tensor>>();
        var names = new HashSet<string>();
        foreach (var kv in tensors)
        {
            if (kv.Key == "__metadata__") throw new ArgumentException("'__metadata__' is reserved in safetensors and cannot name a tensor");
            if (!names.Add(kv.Key)) throw new ArgumentException($"tensor name '{kv.Key}' appears twice");
            list.Add(kv);
        }
        // Data in order of decreasing element size keeps every tensor aligned to its element; the header keeps the caller's order.
        var layout = list.Select((kv, i) => (kv, i)).OrderByDescending(x => x.kv.Value.DType.ElementSize()).ThenBy(x => x.i).ToList();
        var ranges = new (long Begin, long End)[list.Count];
        long offset = 0;
        foreach (var (kv, i) in layout)
        {
            long bytes = kv.Value.Numel() * kv.Value.DType.ElementSize();
            ranges[i] = (offset, offset + bytes);
            offset += bytes;
        }
        var header = HeaderJson(list, ranges, metadata);
        stream.Write(BitConverter.GetBytes((ulong)header.Length));
        stream.Write(header);
        foreach (var (kv, _) in layout) stream.Write(TensorBytes.Of(kv.Value));
    }

    private static byte[] HeaderJson(List<KeyValuePair<string, Tensor>> list, (long Begin, long End)[] ranges, Dictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                w.WriteStartObject("__metadata__");
                foreach (var (k, v) in metadata) w.WriteString(k, v);
                w.WriteEndObject();
            }
            for (int i = 0; i < list.Count; i++)
            {
                var t = list[i].Value;
                w.WriteStartObject(list[i].Key);
                w.WriteString("dtype", SafetensorsHeader.Code(t.DType));
                w.WriteStartArray("shape");
                foreach (var d in t.Shape) w.WriteNumberValue(d);
                w.WriteEndArray();
                w.WriteStartArray("data_offsets");
                w.WriteNumberValue(ranges[i].Begin);
                w.WriteNumberValue(ranges[i].End);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        // Padded with spaces to a multiple of 8, as the reference writer does, so the data starts aligned.
        int pad = (int)((8 - buffer.Length % 8) % 8);
        for (int i = 0; i < pad; i++) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    /// <summary>
    /// Loads every tensor of a safetensors file (<c>load_file(path)</c>), in header order. A path ending in
    /// <c>.index.json</c> is a sharded checkpoint: its <c>weight_map</c> names the shard of each tensor, beside the index.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The file is malformed or truncated.</exception>
    public static OrderedDictionary<string, Tensor> Load(string path)
    {
        if (path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase)) return LoadSharded(path);
        using var stream = OpenRead(path);
        return Load(stream);
    }

    /// <summary>
    /// Loads every tensor of a safetensors stream (<c>safetensors.torch.load(bytes)</c>), reading from its current position.
    /// A seekable stream's length bounds the header's byte ranges before anything is allocated; a non-seekable one is
    /// checked as it is read, so a truncated stream can cost one tensor's allocation before it is refused.
    /// </summary>
    /// <exception cref="CheckpointFormatException">The data is malformed or truncated.</exception>
    public static OrderedDictionary<string, Tensor> Load(Stream stream)
    {
        TensorBytes.RequireLittleEndian();
        long? length = stream.CanSeek ? stream.Length - stream.Position : null;
        var header = SafetensorsHeader.Read(stream, length);
        var storages = new Dictionary<string, Storage>();
        long position = 0;
        foreach (var e in header.Entries.OrderBy(e => e.Begin))
        {
            Skip(stream, e.Begin - position);
            storages[e.Name] = TensorBytes.NewStorage(e.DType, (e.End - e.Begin) / e.DType.ElementSize(),
                bytes => SafetensorsHeader.ReadExactly(stream, bytes, $"tensor '{e.Name}'"));
            position = e.End;
        }
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var e in header.Entries) result[e.Name] = new Tensor(storages[e.Name], e.Shape);
        return result;
    }

    /// <summary>The <c>__metadata__</c> strings of a safetensors file (<c>safe_open(path).metadata()</c>); empty when it has none.</summary>
    public static Dictionary<string, string> LoadMetadata(string path)
    {
        using var stream = OpenRead(path);
        return SafetensorsHeader.Read(stream, stream.Length).Metadata;
    }

    internal static SafetensorsHeader ReadHeader(string path)
    {
        using var stream = OpenRead(path);
        return SafetensorsHeader.Read(stream, stream.Length);
    }

    // Unbuffered: large reads go straight from the OS into the tensors' arrays.
    private static FileStream OpenRead(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.SequentialScan);

    private static void Skip(Stream stream, long bytes)
    {
        if (bytes == 0) return;
        if (stream.CanSeek) { stream.Seek(bytes, SeekOrigin.Current); return; }
        var buffer = new byte[Math.Min(bytes, 1 << 16)];
        for (long left = bytes; left > 0; left -= buffer.Length)
            SafetensorsHeader.ReadExactly(stream, buffer.AsSpan(0, (int)Math.Min(left, buffer.Length)), "a gap between tensors");
    }

    private static OrderedDictionary<string, Tensor> LoadSharded(string indexPath)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var weightMap = new List<(string Tensor, string File)>();
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(indexPath));
            if (!doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new CheckpointFormatException($"{Path.GetFileName(indexPath)} has no \"weight_map\" object");
            foreach (var p in map.EnumerateObject())
            {
                if (p.Value.ValueKind != JsonValueKind.String) throw new CheckpointFormatException($"weight_map entry '{p.Name}' is not a file name");
                weightMap.Add((p.Name, p.Value.GetString()!));
            }
        }
        catch (JsonException e) { throw new CheckpointFormatException($"{Path.GetFileName(indexPath)} is not valid JSON: {e.Message}", e); }

        var shards = new Dictionary<string, OrderedDictionary<string, Tensor>>();
        var result = new OrderedDictionary<string, Tensor>();
        foreach (var (name, file) in weightMap)
        {
            if (!shards.TryGetValue(file, out var shard))
            {
                if (Path.IsPathRooted(file) || file.Split('/', '\\').Contains(".."))
                    throw new CheckpointFormatException($"shard '{file}' lies outside the index's folder");
                shards[file] = shard = Load(Path.Combine(dir, file));
            }
            if (!shard.TryGetValue(name, out var t)) throw new CheckpointFormatException($"shard '{file}' has no tensor '{name}' that the index maps to it");
            result[name] = t;
        }
        return result;
    }
}
