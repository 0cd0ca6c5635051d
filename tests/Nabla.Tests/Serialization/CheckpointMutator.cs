using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Nabla.Serialization;

namespace Nabla.Tests.Serialization;

/// <summary>
/// Makes broken checkpoints from real ones, deterministically from a seed: zip-level mutations (bytes of headers and
/// directory, truncation), pickle-level mutations (data.pkl's opcodes and arguments, re-zipped validly) and, for
/// safetensors, header-level mutations (the JSON's numbers, names and structure, the length prefix).
/// </summary>
internal sealed class CheckpointMutator(int seed)
{
    private readonly System.Random _rng = new(seed);

    // Opcodes and globals worth splicing in: containers, memo, calls, and names a hostile file would use.
    private static readonly byte[][] Snippets =
    [
        "("u8.ToArray(), "t"u8.ToArray(), "R"u8.ToArray(), "b"u8.ToArray(), "Q"u8.ToArray(), "s"u8.ToArray(), "u"u8.ToArray(),
        "a"u8.ToArray(), "e"u8.ToArray(), "0"u8.ToArray(), "1"u8.ToArray(), "2"u8.ToArray(), "."u8.ToArray(), [0x81], [0x85], [0x86],
        [0x87], [0x94], [0x93], "h\x00"u8.ToArray(), "j\xff\xff\xff\x7f"u8.ToArray(), "q\x07"u8.ToArray(), "J\xff\xff\xff\x7f"u8.ToArray(),
        "X\xff\xff\xff\x7f"u8.ToArray(), [0x8a, 0x09], "cposix\nsystem\n"u8.ToArray(), "cbuiltins\neval\n"u8.ToArray(),
        "ctorch._utils\n_rebuild_tensor_v2\n"u8.ToArray(), "ctorch\nFloatStorage\n"u8.ToArray(), "ccollections\nOrderedDict\n"u8.ToArray(),
        "ctorch._utils\n_rebuild_sparse_tensor\n"u8.ToArray(), "]"u8.ToArray(), "}"u8.ToArray(), ")"u8.ToArray(), "N"u8.ToArray(),
    ];

    public (byte[] Data, string Kind) MutatePt(byte[] file)
    {
        int kind = _rng.Next(3);
        if (kind == 0) return (MutateBytes(file), "zip bytes");
        if (kind == 1) return (MutateZipFields(file), "zip fields");
        return (RezipWithPickle(file, MutatePickle(ReadPickle(file))), "pickle");
    }

    public (byte[] Data, string Kind) MutateSafetensors(byte[] file)
    {
        int kind = _rng.Next(3);
        if (kind == 0) return (MutateBytes(file), "bytes");
        if (kind == 1) return (MutateLengthPrefix(file), "length prefix");
        return (MutateHeader(file), "header");
    }

    private byte[] MutateBytes(byte[] data)
    {
        var d = data.ToList();
        int edits = 1 + _rng.Next(4);
        for (int i = 0; i < edits && d.Count > 0; i++)
        {
            int at = _rng.Next(d.Count);
            switch (_rng.Next(4))
            {
                case 0: d[at] ^= (byte)(1 << _rng.Next(8)); break;
                case 1: d[at] = (byte)_rng.Next(256); break;
                case 2: d.RemoveRange(at, Math.Min(d.Count - at, 1 + _rng.Next(16))); break;
                default: d.RemoveRange(at, d.Count - at); break;   // truncation
            }
        }
        return [.. d];
    }

    // Overwrites a size, offset or count field after a zip signature with an extreme or random value.
    private byte[] MutateZipFields(byte[] data)
    {
        var d = (byte[])data.Clone();
        var signatures = new List<int>();
        for (int i = 0; i + 4 <= d.Length; i++)
            if (d[i] == 'P' && d[i + 1] == 'K' && d[i + 2] is 1 or 3 or 5 && d[i + 3] == d[i + 2] + 1) signatures.Add(i);
        if (signatures.Count == 0) return MutateBytes(d);
        int at = signatures[_rng.Next(signatures.Count)] + 4 + 2 * _rng.Next(20);
        uint value = _rng.Next(4) switch { 0 => uint.MaxValue, 1 => 0, 2 => (uint)_rng.Next(), _ => 0x7FFFFFFF };
        for (int k = 0; k < 4 && at + k < d.Length; k++) d[at + k] = (byte)(value >> (8 * k));
        return d;
    }

    private static byte[] ReadPickle(byte[] file)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        var entry = zip.Entries.First(e => e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal));
        using var s = entry.Open();
        var buffer = new MemoryStream();
        s.CopyTo(buffer);
        return buffer.ToArray();
    }

    private byte[] MutatePickle(byte[] pickle)
    {
        var d = pickle.ToList();
        int edits = 1 + _rng.Next(3);
        for (int i = 0; i < edits; i++)
        {
            int at = _rng.Next(d.Count + 1);
            switch (_rng.Next(4))
            {
                case 0: d.InsertRange(at, Snippets[_rng.Next(Snippets.Length)]); break;
                case 1: if (at < d.Count) d.RemoveRange(at, Math.Min(d.Count - at, 1 + _rng.Next(8))); break;
                case 2: if (at < d.Count) d[at] = (byte)_rng.Next(256); break;
                default:
                    // Repeat a slice: deep nesting, many storages, long memo chains.
                    int len = Math.Min(d.Count - Math.Min(at, d.Count), 1 + _rng.Next(64));
                    var slice = d.GetRange(Math.Min(at, d.Count), len);
                    for (int r = _rng.Next(1, 50); r > 0; r--) d.InsertRange(Math.Min(at, d.Count), slice);
                    break;
            }
        }
        return [.. d];
    }

    private static byte[] RezipWithPickle(byte[] file, byte[] pickle)
    {
        using var zip = new ZipArchive(new MemoryStream(file), ZipArchiveMode.Read);
        var output = new MemoryStream();
        var writer = new StoredZipWriter(output);
        foreach (var e in zip.Entries)
        {
            if (e.FullName.EndsWith("/data.pkl", StringComparison.Ordinal)) { writer.Add(e.FullName, pickle); continue; }
            using var s = e.Open();
            var buffer = new MemoryStream();
            s.CopyTo(buffer);
            writer.Add(e.FullName, buffer.ToArray());
        }
        writer.Finish();
        return output.ToArray();
    }

    private byte[] MutateLengthPrefix(byte[] file)
    {
        var d = (byte[])file.Clone();
        ulong n = BitConverter.ToUInt64(d);
        ulong value = _rng.Next(5) switch { 0 => ulong.MaxValue, 1 => 0, 2 => n + (ulong)_rng.Next(1, 64), 3 => n - (ulong)_rng.Next(1, (int)Math.Min(n, 64)), _ => (ulong)_rng.NextInt64() };
        BitConverter.GetBytes(value).CopyTo(d, 0);
        return d;
    }

    // Rewrites the JSON header: numbers, dtype names, structure; the length prefix is kept consistent.
    private byte[] MutateHeader(byte[] file)
    {
        int n = (int)BitConverter.ToUInt64(file);
        string json = Encoding.UTF8.GetString(file, 8, n);
        var numbers = Regex.Matches(json, "-?[0-9]+").ToList();
        switch (_rng.Next(5))
        {
            case 0 when numbers.Count > 0:
                {
                    var m = numbers[_rng.Next(numbers.Count)];
                    string v = _rng.Next(5) switch { 0 => "-1", 1 => "99999999999", 2 => "9223372036854775807", 3 => "0", _ => _rng.Next(0, 4096).ToString(System.Globalization.CultureInfo.InvariantCulture) };
                    json = json[..m.Index] + v + json[(m.Index + m.Length)..];
                    break;
                }
            case 1: json = Regex.Replace(json, "\"(F32|F64|F16|BF16|I64|I32|I16|I8|U8|BOOL)\"", _ => "\"" + new[] { "F32", "U8", "C64", "F8_E4M3", "", "I64" }[_rng.Next(6)] + "\"", RegexOptions.None, TimeSpan.FromSeconds(1)); break;
            case 2: json = json[.._rng.Next(json.Length)]; break;
            case 3: { int at = _rng.Next(json.Length); json = json[..at] + "[]{}\",:1e999"[_rng.Next(12)] + json[at..]; break; }
            default: json = json.Replace("\"shape\":[", "\"shape\":[" + _rng.Next(1, 100_000) + ",", StringComparison.Ordinal); break;
        }
        var header = Encoding.UTF8.GetBytes(json);
        return [.. BitConverter.GetBytes((ulong)header.Length), .. header, .. file.AsSpan(8 + n)];
    }
}
