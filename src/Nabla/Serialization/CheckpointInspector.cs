using System.Collections;

namespace Nabla.Serialization;

/// <summary>One tensor of a checkpoint: its key (dotted path for nested objects), dtype, shape and size.</summary>
/// <param name="Key">The state-dict key, or the path through nested dicts and lists (<c>optimizer.state.0.exp_avg</c>).</param>
/// <param name="DType">Element type.</param>
/// <param name="Shape">Size of each dimension.</param>
/// <param name="Elements">Number of elements.</param>
/// <param name="Bytes">Bytes of the tensor's own elements.</param>
public sealed record CheckpointEntry(string Key, DType DType, long[] Shape, long Elements, long Bytes);

/// <summary>What a checkpoint file holds (<see cref="CheckpointInspector.Inspect"/>).</summary>
/// <param name="Format"><c>pytorch</c> (torch.save zip), <c>safetensors</c> or <c>safetensors (sharded)</c>.</param>
/// <param name="Entries">Every tensor, in file order.</param>
/// <param name="Metadata">safetensors <c>__metadata__</c>; empty for .pt.</param>
/// <param name="StorageBytes">Bytes of tensor data in the file: shared storages counted once.</param>
/// <param name="Values">Non-tensor values of a .pt file by path (<c>epoch</c>: <c>3</c>), as text.</param>
public sealed record CheckpointSummary(string Format, IReadOnlyList<CheckpointEntry> Entries, IReadOnlyDictionary<string, string> Metadata,
    long StorageBytes, IReadOnlyList<(string Key, string Value)> Values)
{
    /// <summary>Elements over all tensors.</summary>
    public long TotalElements => Entries.Sum(e => e.Elements);

    /// <summary>Bytes over all tensors' own elements (views of one storage each counted).</summary>
    public long TotalBytes => Entries.Sum(e => e.Bytes);
}

/// <summary>
/// Lists the tensors of a .pt or .safetensors checkpoint: keys, dtypes, shapes, sizes and totals. A .pt is read as safely
/// as <see cref="Torch.LoadValue(string)"/> (a hostile file throws <see cref="UnsafeCheckpointException"/> naming the
/// global); a safetensors file only has its header read.
/// </summary>
public static class CheckpointInspector
{
    /// <summary>Inspects the file at <paramref name="path"/>, its format told by its first bytes (a sharded index by its name).</summary>
    /// <exception cref="CheckpointFormatException">The file is malformed or of an unsupported format.</exception>
    public static CheckpointSummary Inspect(string path)
    {
        if (path.EndsWith(".index.json", StringComparison.OrdinalIgnoreCase)) return InspectSharded(path);
        using (var probe = File.OpenRead(path))
        {
            Span<byte> magic = stackalloc byte[4];
            int n = probe.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
            bool zipOrPickle = n >= 2 && ((magic[0] == (byte)'P' && magic[1] == (byte)'K') || magic[0] == 0x80);
            if (!zipOrPickle) return InspectSafetensors(path);
        }
        return InspectPt(path);
    }

    private static CheckpointSummary InspectSafetensors(string path)
    {
        var header = Safetensors.ReadHeader(path);
        var entries = header.Entries.Select(e => Entry(e.Name, e.DType, e.Shape)).ToList();
        return new CheckpointSummary("safetensors", entries, header.Metadata, entries.Sum(e => e.Bytes), []);
    }

    private static CheckpointSummary InspectSharded(string path)
    {
        var entries = new List<CheckpointEntry>();
        var metadata = new Dictionary<string, string>();
        foreach (var (name, tensor) in Safetensors.Load(path)) entries.Add(Entry(name, tensor.DType, tensor.Shape));
        return new CheckpointSummary("safetensors (sharded)", entries, metadata, entries.Sum(e => e.Bytes), []);
    }

    private static CheckpointSummary InspectPt(string path)
    {
        var root = Torch.LoadValue(path);
        var entries = new List<CheckpointEntry>();
        var values = new List<(string, string)>();
        var storages = new HashSet<Storage>(ReferenceEqualityComparer.Instance);
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<(string Path, object? Value)>();
        pending.Push(("", root));
        while (pending.Count > 0)
        {
            var (at, value) = pending.Pop();
            switch (value)
            {
                case Tensor t:
                    entries.Add(Entry(at, t.DType, t.Shape));
                    storages.Add(t._storage);
                    break;
                case IDictionary or IList when !seen.Add(value):
                    values.Add((at, "(seen above)"));
                    break;
                case IDictionary d:
                    var items = new List<(string, object?)>();
                    foreach (DictionaryEntry e in d) items.Add((Join(at, Convert.ToString(e.Key, System.Globalization.CultureInfo.InvariantCulture)!), e.Value));
                    for (int i = items.Count - 1; i >= 0; i--) pending.Push(items[i]);
                    break;
                case IList list and not byte[]:
                    for (int i = list.Count - 1; i >= 0; i--) pending.Push((Join(at, i.ToString(System.Globalization.CultureInfo.InvariantCulture)), list[i]));
                    break;
                default:
                    values.Add((at, Text(value)));
                    break;
            }
        }
        long bytes = storages.Sum(s => (long)s.Length * s.DType.ElementSize());
        return new CheckpointSummary("pytorch", entries, new Dictionary<string, string>(), bytes, values);
    }

    private static CheckpointEntry Entry(string key, DType dtype, long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        return new CheckpointEntry(key, dtype, shape, n, n * dtype.ElementSize());
    }

    private static string Join(string prefix, string key) => prefix.Length == 0 ? key : prefix + "." + key;

    private static string Text(object? v) => v switch
    {
        null => "None",
        bool b => b ? "True" : "False",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        string s => "'" + s + "'",
        byte[] b => $"b'...' ({b.Length} bytes)",
        _ => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture) ?? "?",
    };
}
