using System.Runtime.CompilerServices;
using Nabla.Memory;

namespace Nabla;

/// <summary>
/// A flat typed array shared by a tensor and all its views, with the version counter that
/// in-place ops bump so autograd can refuse a saved tensor that changed.
/// </summary>
internal sealed class Storage
{
    public Array Data { get; private set; }
    public readonly DType DType;
    public int Version;

    /// <summary>Position in the pool's list of rented arrays; -1 when the array is not the pool's.</summary>
    internal int PoolIndex = -1;

    /// <summary>The backward pass during which this pooled storage was allocated (0: outside any, or not pooled), so the engine recycles only its own gradients.</summary>
    internal int BackwardPass;

    /// <summary>Tensor objects made over this storage (the tensor and its views); one means no view ever shared it.</summary>
    internal int Tensors;

    /// <summary>
    /// What is kept beside the values: a weight's transpose packed for inference products
    /// (<see cref="Kernels.PackedMatrix{T}"/>, checked against <see cref="Version"/> on use), or <see cref="Lent"/>.
    /// One field for both keeps every tensor's storage as small as before.
    /// </summary>
    internal object? Packed;

    /// <summary>Marks an array that came from the caller (<c>Torch.FromArray</c>), who may write it without a version bump: nothing derived from it is kept.</summary>
    internal static readonly object Lent = new();

    /// <summary>Whether the array is the caller's (<see cref="Lent"/>).</summary>
    internal bool External => ReferenceEquals(Packed, Lent);

    /// <summary>Bytes per element, so that reading the array as another element type can be refused cheaply.</summary>
    private readonly int _elementSize;

    public Storage(Array data, DType dtype)
    {
        Data = data;
        DType = dtype;
        _elementSize = dtype.ElementSize();
    }

    public int Length => Data.Length;

    public static Storage Allocate(DType dtype, long count, bool zeroed = false)
    {
        if (count > Array.MaxLength)
            throw new ArgumentException($"Cannot allocate a tensor of {count} elements: more than the {Array.MaxLength} a single array can hold.");
        return BufferPool.Allocate(dtype, (int)count, zeroed);
    }

    /// <summary>Drops the array after the pool took it back: a stale view then fails on access instead of reading reused data.</summary>
    internal void Release() => Data = Array.CreateInstanceFromArrayType(Data.GetType(), 0);

    /// <summary>The array as <typeparamref name="T"/>[]; a kernel with no instantiation for this dtype gets an exception, never a misread.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T[] As<T>()
    {
        if (Unsafe.SizeOf<T>() != _elementSize) ThrowNotImplemented(typeof(T));
        return Unsafe.As<T[]>(Data);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void ThrowNotImplemented(Type read) =>
        throw new NotSupportedException($"this operation is not implemented for {DType.TorchName()} tensors (it reads {read.Name} elements); convert with To(DType.Float32) first");
}
