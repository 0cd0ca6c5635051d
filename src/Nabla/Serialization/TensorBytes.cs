using System.Runtime.InteropServices;

namespace Nabla.Serialization;

/// <summary>Tensors and storages as little-endian bytes, read and written in place (no intermediate copy).</summary>
internal static class TensorBytes
{
    /// <summary>The whole array of a storage as bytes.</summary>
    public static Span<byte> Of(Storage storage) => storage.DType.ElementSize() switch
    {
        8 => MemoryMarshal.AsBytes(storage.As<long>().AsSpan()),
        4 => MemoryMarshal.AsBytes(storage.As<int>().AsSpan()),
        2 => MemoryMarshal.AsBytes(storage.As<short>().AsSpan()),
        _ => MemoryMarshal.AsBytes(storage.As<byte>().AsSpan()),
    };

    /// <summary>The elements of a tensor in logical order as bytes (the storage itself when contiguous).</summary>
    public static ReadOnlySpan<byte> Of(Tensor t)
    {
        var c = t.Contiguous();
        int n = (int)c.Numel(), size = c.DType.ElementSize();
        return n == 0 ? [] : Of(c._storage).Slice((int)c.StorageOffset * size, n * size);
    }

    /// <summary>A fresh storage of <paramref name="count"/> elements filled by <paramref name="fill"/>; bools are normalised to 0/1.</summary>
    public static Storage NewStorage(DType dtype, long count, Action<Span<byte>> fill)
    {
        var storage = new Storage(Memory.BufferPool.NewArray(dtype, checked((int)count), zeroed: true), dtype);
        var bytes = Of(storage);
        fill(bytes);
        if (dtype == DType.Bool)
            for (int i = 0; i < bytes.Length; i++) bytes[i] = bytes[i] != 0 ? (byte)1 : (byte)0;
        return storage;
    }

    public static void RequireLittleEndian()
    {
        if (!BitConverter.IsLittleEndian)
            throw new CheckpointFormatException("checkpoints are little-endian; this machine is big-endian, which Nabla does not support");
    }
}
