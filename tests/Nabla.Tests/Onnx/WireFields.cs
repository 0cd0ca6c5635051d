namespace Nabla.Tests.Onnx;

/// <summary>
/// A protobuf message read as a tree of raw wire fields, with no schema: length-delimited payloads that themselves
/// read as fields get children. Lets a fuzz test rewrite one field (its length prefix, its wire type) and rebuild the
/// message with every enclosing length prefix recomputed, so the damage stays in that field.
/// </summary>
internal sealed class WireField
{
    public required int Number { get; init; }
    public required int WireType { get; init; }

    /// <summary>The field's whole encoding: tag, length prefix if any, payload.</summary>
    public required byte[] Encoding { get; init; }

    /// <summary>A length-delimited field's content.</summary>
    public byte[] Payload { get; init; } = [];

    /// <summary>The content read as fields, when it reads as a message.</summary>
    public List<WireField>? Children { get; init; }

    /// <summary>The fields of <paramref name="data"/>, or null when it is not a sequence of well-formed fields.</summary>
    public static List<WireField>? Read(ReadOnlySpan<byte> data)
    {
        var fields = new List<WireField>();
        int pos = 0;
        while (pos < data.Length)
        {
            int start = pos;
            if (!TryVarint(data, ref pos, out ulong tag) || tag >> 3 == 0 || tag >> 3 > int.MaxValue)
                return null;
            int wireType = (int)(tag & 7);
            byte[] payload = [];
            List<WireField>? children = null;
            switch (wireType)
            {
                case 0:
                    if (!TryVarint(data, ref pos, out _)) return null;
                    break;
                case 1:
                    if ((pos += 8) > data.Length) return null;
                    break;
                case 5:
                    if ((pos += 4) > data.Length) return null;
                    break;
                case 2:
                    if (!TryVarint(data, ref pos, out ulong length) || length > (ulong)(data.Length - pos)) return null;
                    payload = data.Slice(pos, (int)length).ToArray();
                    pos += (int)length;
                    children = payload.Length > 0 ? Read(payload) : null;
                    break;
                default:
                    return null; // groups and invalid wire types: not in the models we mutate
            }
            fields.Add(new WireField
            {
                Number = (int)(tag >> 3),
                WireType = wireType,
                Encoding = data[start..pos].ToArray(),
                Payload = payload,
                Children = children,
            });
        }
        return fields;
    }

    /// <summary>Every field in the tree, depth first.</summary>
    public static IEnumerable<WireField> All(List<WireField> fields) =>
        fields.SelectMany(f => f.Children is null ? [f] : All(f.Children).Prepend(f));

    /// <summary>The message with <paramref name="target"/>'s encoding replaced and every enclosing length prefix recomputed.</summary>
    public static byte[] Rebuild(List<WireField> fields, WireField target, byte[] replacement)
    {
        var output = new List<byte>();
        foreach (var f in fields)
        {
            if (f == target)
                output.AddRange(replacement);
            else if (f.Children is not null && All(f.Children).Contains(target))
            {
                byte[] content = Rebuild(f.Children, target, replacement);
                output.AddRange(Tag(f.Number, 2));
                output.AddRange(Varint((ulong)content.Length));
                output.AddRange(content);
            }
            else
                output.AddRange(f.Encoding);
        }
        return output.ToArray();
    }

    public static byte[] Tag(int number, int wireType) => Varint(((ulong)number << 3) | (uint)wireType);

    public static byte[] Varint(ulong value)
    {
        var bytes = new List<byte>(10);
        do
        {
            byte b = (byte)(value & 0x7F);
            value >>= 7;
            bytes.Add(value != 0 ? (byte)(b | 0x80) : b);
        } while (value != 0);
        return bytes.ToArray();
    }

    private static bool TryVarint(ReadOnlySpan<byte> data, ref int pos, out ulong value)
    {
        value = 0;
        for (int shift = 0; shift < 64 && pos < data.Length; shift += 7)
        {
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
                return true;
        }
        return false;
    }
}
