using System.IO.Compression;

namespace Nabla.Serialization;

/// <summary>
/// Reads the zip archive <c>torch.save</c> writes since PyTorch 1.6 (<c>prefix/data.pkl</c>, <c>prefix/data/&lt;key&gt;</c>,
/// <c>prefix/version</c>, optionally <c>prefix/byteorder</c>) and unpickles <c>data.pkl</c> through <see cref="PickleReader"/>.
/// Storages are read once per key, so tensors that shared a storage when saved share one again. Other formats are named and refused.
/// </summary>
internal static class TorchArchiveReader
{
    /// <summary>Largest data.pkl accepted: the object structure, not the tensor data, lives there.</summary>
    private const long MaxPickleBytes = 1L << 30;

    public static object? Load(Stream stream)
    {
        TensorBytes.RequireLittleEndian();
        if (!stream.CanSeek)
        {
            var copy = new MemoryStream();
            stream.CopyTo(copy);
            copy.Position = 0;
            stream = copy;
        }
        CheckFormat(stream);
        ZipArchive zip;
        try { zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw new CheckpointFormatException("not a valid zip archive: " + e.Message, e); }
        using (zip)
        {
            try { return Load(zip, stream.Length); }
            catch (InvalidDataException e) { throw new CheckpointFormatException("corrupt zip archive: " + e.Message, e); }
            catch (IOException e) when (e is not CheckpointFormatException) { throw new CheckpointFormatException("corrupt zip archive: " + e.Message, e); }
        }
    }

    private static void CheckFormat(Stream stream)
    {
        long start = stream.Position;
        Span<byte> magic = stackalloc byte[4];
        int n = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        stream.Position = start;
        if (n == 4 && magic[0] == (byte)'P' && magic[1] == (byte)'K' && magic[2] == 3 && magic[3] == 4) return;
        if (n >= 2 && magic[0] == 0x80 && magic[1] <= 5)
            throw new CheckpointFormatException("unsupported format: this is a legacy (pre-1.6, non-zip) torch.save file; load it in PyTorch and save it again with torch.save (1.6 or later)");
        throw new CheckpointFormatException("unsupported format: not a PyTorch zip checkpoint (torch.save since 1.6)");
    }

    private static object? Load(ZipArchive zip, long fileLength)
    {
        // No record may claim more bytes than the file could hold (compressed ones at most deflate's ratio), so a forged
        // size never makes the loader allocate beyond what the file justifies.
        void CheckSize(ZipArchiveEntry e)
        {
            long limit = e.CompressedLength == e.Length ? fileLength : Math.Min(fileLength, e.CompressedLength) * 1032L;
            if (e.Length > limit || e.CompressedLength > fileLength)
                throw new CheckpointFormatException($"record {e.FullName} claims {e.Length} bytes, more than the {fileLength}-byte file can hold");
        }
        var entries = new Dictionary<string, ZipArchiveEntry>();
        foreach (var e in zip.Entries) entries.TryAdd(e.FullName, e);
        var pkl = entries.Keys.FirstOrDefault(k => k.EndsWith("/data.pkl", StringComparison.Ordinal) && k.IndexOf('/') == k.Length - "/data.pkl".Length)
            ?? throw new CheckpointFormatException("unsupported format: the zip archive has no <name>/data.pkl record, so it is not a torch.save checkpoint");
        string prefix = pkl[..^"data.pkl".Length];
        if (entries.ContainsKey(prefix + "constants.pkl") || entries.Keys.Any(k => k.StartsWith(prefix + "code/", StringComparison.Ordinal)))
            throw new CheckpointFormatException("unsupported format: this is a TorchScript archive (torch.jit.save); Nabla loads torch.save checkpoints");
        if (entries.TryGetValue(prefix + "byteorder", out var order))
        {
            CheckSize(order);
            string text = System.Text.Encoding.ASCII.GetString(ReadRecord(order, Math.Min(order.Length, 16)));
            if (text != "little") throw new CheckpointFormatException($"unsupported format: the checkpoint's byte order is '{text}'; Nabla reads little-endian checkpoints only");
        }
        var pklEntry = entries[pkl];
        CheckSize(pklEntry);
        if (pklEntry.Length > MaxPickleBytes) throw new CheckpointFormatException($"data.pkl of {pklEntry.Length} bytes is larger than {MaxPickleBytes}");
        var pickle = ReadRecord(pklEntry, pklEntry.Length);

        var storages = new Dictionary<string, Storage>();
        long storageBytes = 0;
        Storage LoadStorage(DType dtype, string key, long numel)
        {
            if (storages.TryGetValue(key, out var s))
            {
                if (s.DType != dtype) throw new CheckpointFormatException($"storage {key} is read as both {s.DType.TorchName()} and {dtype.TorchName()}");
                return s;
            }
            if (!entries.TryGetValue(prefix + "data/" + key, out var record)) throw new CheckpointFormatException($"storage record data/{key} is missing");
            CheckSize(record);
            long bytes = numel * dtype.ElementSize();
            if (numel > Array.MaxLength || record.Length != bytes)
                throw new CheckpointFormatException($"storage record data/{key} holds {record.Length} bytes, but {numel} elements of {dtype.TorchName()} need {bytes}");
            if (record.CompressedLength != record.Length)
                throw new CheckpointFormatException($"storage record data/{key} is compressed; torch.save stores records uncompressed");
            // Records of a forged directory may share bytes; together they still cannot hold more than the file.
            if ((storageBytes += bytes) > fileLength)
                throw new CheckpointFormatException($"the checkpoint's storages claim {storageBytes} bytes, more than the {fileLength}-byte file holds");
            return storages[key] = TensorBytes.NewStorage(dtype, numel, span => ReadInto(record, span));
        }
        return PickleReader.Load(pickle, LoadStorage);
    }

    private static byte[] ReadRecord(ZipArchiveEntry entry, long length)
    {
        var buffer = new byte[length];
        ReadInto(entry, buffer);
        return buffer;
    }

    private static void ReadInto(ZipArchiveEntry entry, Span<byte> buffer)
    {
        using var s = entry.Open();
        try { s.ReadExactly(buffer); }
        catch (EndOfStreamException e) { throw new CheckpointFormatException($"record {entry.FullName} is truncated", e); }
    }
}
