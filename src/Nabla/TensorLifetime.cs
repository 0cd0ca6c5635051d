using Nabla.Memory;

namespace Nabla;

// The end of a tensor's life: Dispose for users who want memory back early, and the checks that make a
// disposed tensor fail loudly instead of reading an array that the pool may have handed to someone else.
public partial class Tensor
{
    private DType _disposedDType;

    internal Storage _storage
    {
        get => _storageRef ?? ThrowDisposed();
        set
        {
            Interlocked.Increment(ref value.Tensors);
            _storageRef = value;
        }
    }

    /// <summary>Whether <see cref="Dispose"/> was called on this tensor.</summary>
    public bool IsDisposed => _storageRef is null;

    /// <summary>
    /// Hands this tensor's memory back to the library's pool now rather than when the GC finds it unreachable
    /// (TorchSharp's <c>tensor.Dispose()</c>). Any later use of this tensor throws <see cref="ObjectDisposedException"/>.
    /// Views of this tensor keep the memory alive: it is recycled only when no other tensor can read it. A graph that
    /// saved this tensor for backward refuses to run once it is disposed. Disposing twice does nothing.
    /// </summary>
    public void Dispose()
    {
        var storage = _storageRef;
        if (storage is null) return;
        _disposedDType = storage.DType;
        _storageRef = null;
        if (storage.Tensors == 1) BufferPool.Return(storage);
        GC.SuppressFinalize(this);
    }

    /// <summary>
    /// What <c>zero_grad</c> does to one parameter: drop the gradient (recycling its memory when no user code saw it),
    /// or zero it in place, detached from any graph, keeping the same tensor object.
    /// </summary>
    internal void ClearGrad(bool setToNone)
    {
        if (_grad is not { } grad) return;
        if (setToNone)
        {
            _grad = null;
            grad.RecycleIfPrivate();
            return;
        }
        if (grad.GradFn is not null) grad.DetachHistory();
        else grad.SetRequiresGradUnchecked(false);
        using (Autograd.GradMode.Set(false)) grad.Zero_();
    }

    /// <summary>Recycles this tensor's memory if no user code ever saw it and nothing else shares its storage (a dropped gradient).</summary>
    internal void RecycleIfPrivate()
    {
        if (_userVisible || _storageRef is not { } storage) return;
        if (storage.Tensors != 1 || storage.PoolIndex < 0) return;
        _disposedDType = storage.DType;
        _storageRef = null;
        BufferPool.Return(storage);
    }

    /// <summary>
    /// This fresh result (made by the caller, never handed out) under another contiguous shape, replacing it: the
    /// storage still counts one tensor, so the result's <see cref="Dispose"/> can recycle it. This object is spent.
    /// </summary>
    internal Tensor ReshapedFresh(long[] shape)
    {
        var storage = _storage;
        var r = new Tensor(storage, shape);
        _disposedDType = storage.DType;
        _storageRef = null;
        Interlocked.Decrement(ref storage.Tensors);
        return r;
    }

    private Storage ThrowDisposed() => throw new ObjectDisposedException(nameof(Tensor),
        $"Cannot use a disposed tensor (shape {Shapes.Format(_shape)}, dtype {_disposedDType.TorchName()}).");
}
