using System.Runtime.CompilerServices;

namespace Nabla;

/// <summary>
/// A flat typed array shared by a tensor and all its views, with the version counter that
/// in-place ops bump so autograd can refuse a saved tensor that changed.
/// </summary>
internal sealed class Storage
{
    public readonly Array Data;
    public readonly DType DType;
    public int Version;

    public Storage(Array data, DType dtype)
    {
        Data = data;
        DType = dtype;
    }

    public int Length => Data.Length;

    public static Storage Allocate(DType dtype, long count, bool zeroed = false)
    {
        if (count > Array.MaxLength)
            throw new ArgumentException($"Cannot allocate a tensor of {count} elements: more than the {Array.MaxLength} a single array can hold.");
        int n = (int)count;
        Array data = dtype switch
        {
            DType.Float32 => zeroed ? new float[n] : GC.AllocateUninitializedArray<float>(n),
            DType.Float64 => zeroed ? new double[n] : GC.AllocateUninitializedArray<double>(n),
            DType.Int64 => zeroed ? new long[n] : GC.AllocateUninitializedArray<long>(n),
            DType.Int32 => zeroed ? new int[n] : GC.AllocateUninitializedArray<int>(n),
            _ => new bool[n],
        };
        return new Storage(data, dtype);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T[] As<T>() => Unsafe.As<T[]>(Data);
}
