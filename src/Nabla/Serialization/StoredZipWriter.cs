using System.Buffers.Binary;
using System.Text;

namespace Nabla.Serialization;

/// <summary>
/// Writes an uncompressed zip archive the way PyTorch's <c>PyTorchStreamWriter</c> does: every record stored, its data
/// aligned to 64 bytes by padding the local header's extra field. No ZIP64: an archive stays under 4 GiB.
/// </summary>
internal sealed class StoredZipWriter(Stream output)
{
    private const int Alignment = 64;
    private readonly List<(byte[] Name, uint Crc, uint Size, uint Offset, ushort Extra)> _records = [];
    private long _position;

    public void Add(string name, ReadOnlySpan<byte> data)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        long headerEnd = _position + 30 + nameBytes.Length;
        int pad = (int)((Alignment - (headerEnd + 4) % Alignment) % Alignment);
        ushort extra = (ushort)(4 + pad);
        CheckSize(_position + 30 + nameBytes.Length + extra + data.Length);
        uint crc = Crc32.Compute(data);
        Span<byte> h = stackalloc byte[30];
        BinaryPrimitives.WriteUInt32LittleEndian(h, 0x04034b50);
        BinaryPrimitives.WriteUInt16LittleEndian(h[4..], 20);       // version needed
        BinaryPrimitives.WriteUInt16LittleEndian(h[6..], 0);        // flags
        BinaryPrimitives.WriteUInt16LittleEndian(h[8..], 0);        // stored
        BinaryPrimitives.WriteUInt32LittleEndian(h[10..], 0);       // time, date
        BinaryPrimitives.WriteUInt32LittleEndian(h[14..], crc);
        BinaryPrimitives.WriteUInt32LittleEndian(h[18..], (uint)data.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(h[22..], (uint)data.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[26..], (ushort)nameBytes.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(h[28..], extra);
        output.Write(h);
        output.Write(nameBytes);
        Span<byte> e = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(e, 0x4246);        // "FB", PyTorch's padding field
        BinaryPrimitives.WriteUInt16LittleEndian(e[2..], (ushort)pad);
        output.Write(e);
        output.Write(new byte[pad]);
        output.Write(data);
        _records.Add((nameBytes, crc, (uint)data.Length, (uint)_position, extra));
        _position += 30 + nameBytes.Length + extra + data.Length;
    }

    public void Finish()
    {
        long start = _position;
        Span<byte> c = stackalloc byte[46];
        foreach (var (name, crc, size, offset, _) in _records)
        {
            c.Clear();
            BinaryPrimitives.WriteUInt32LittleEndian(c, 0x02014b50);
            BinaryPrimitives.WriteUInt16LittleEndian(c[4..], 20);   // version made by
            BinaryPrimitives.WriteUInt16LittleEndian(c[6..], 20);   // version needed
            BinaryPrimitives.WriteUInt32LittleEndian(c[16..], crc);
            BinaryPrimitives.WriteUInt32LittleEndian(c[20..], size);
            BinaryPrimitives.WriteUInt32LittleEndian(c[24..], size);
            BinaryPrimitives.WriteUInt16LittleEndian(c[28..], (ushort)name.Length);
            BinaryPrimitives.WriteUInt32LittleEndian(c[42..], offset);
            output.Write(c);
            output.Write(name);
            _position += 46 + name.Length;
        }
        CheckSize(_position + 22);
        Span<byte> end = stackalloc byte[22];
        BinaryPrimitives.WriteUInt32LittleEndian(end, 0x06054b50);
        BinaryPrimitives.WriteUInt16LittleEndian(end[8..], (ushort)_records.Count);
        BinaryPrimitives.WriteUInt16LittleEndian(end[10..], (ushort)_records.Count);
        BinaryPrimitives.WriteUInt32LittleEndian(end[12..], (uint)(_position - start));
        BinaryPrimitives.WriteUInt32LittleEndian(end[16..], (uint)start);
        output.Write(end);
    }

    private void CheckSize(long bytes)
    {
        if (bytes > uint.MaxValue || _records.Count >= ushort.MaxValue)
            throw new NotSupportedException("checkpoints of 4 GiB or more (or 65535 records) need ZIP64, which Nabla does not write");
    }
}

/// <summary>The zip format's CRC-32 (polynomial 0xEDB88320), slicing by one byte.</summary>
internal static class Crc32
{
    private static readonly uint[] s_table = Enumerable.Range(0, 256).Select(i =>
    {
        uint c = (uint)i;
        for (int k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
        return c;
    }).ToArray();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data) crc = s_table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }
}
