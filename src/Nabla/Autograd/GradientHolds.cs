using Nabla.Memory;

namespace Nabla.Autograd;

/// <summary>
/// Counts, per storage, the engine's input buffers that hold a gradient made during one backward pass, so
/// that a gradient's memory goes back to the pool as soon as the node that consumes it has run. Only
/// storages allocated during this pass are counted: a gradient that is the caller's tensor, or a view of a
/// tensor saved in forward, is never recycled. This rests on one invariant: without createGraph no graph is
/// recorded during backward and no backward closure keeps a tensor it made, so once the engine lets go of a
/// gradient (and it did not become a leaf's .grad or a retained grad's copy) nothing else can read it.
/// </summary>
internal sealed class GradientHolds
{
    private readonly Dictionary<Storage, int> _holds = new(ReferenceEqualityComparer.Instance);
    private int _pass;

    /// <summary>Starts counting for backward pass <paramref name="backwardPass"/>.</summary>
    public GradientHolds Begin(int backwardPass)
    {
        _pass = backwardPass;
        return this;
    }

    public void Clear() => _holds.Clear();

    private bool Owned(Tensor t) => !t._userVisible && !t.IsDisposed && t._storage.BackwardPass == _pass && t._storage.PoolIndex >= 0;

    public void Hold(Tensor t)
    {
        if (!Owned(t)) return;
        _holds[t._storage] = _holds.GetValueOrDefault(t._storage) + 1;
    }

    /// <summary>One buffer let go of <paramref name="t"/>; its memory is recycled when no buffer holds its storage.</summary>
    public void Drop(Tensor t)
    {
        if (!Owned(t) || !_holds.TryGetValue(t._storage, out int n)) return;
        if (n > 1) { _holds[t._storage] = n - 1; return; }
        _holds.Remove(t._storage);
        Recycle(t._storage);
    }

    /// <summary>A gradient consumed without ever being placed in a buffer (accumulated, or for an input that needs none).</summary>
    public void RecycleIfUnheld(Tensor t)
    {
        if (Owned(t) && !_holds.ContainsKey(t._storage)) Recycle(t._storage);
    }

    /// <summary>The gradient now belongs to a leaf's <c>.grad</c>: the engine no longer recycles it.</summary>
    public void Forget(Tensor t) => _holds.Remove(t._storage);

    /// <summary>True when one buffer alone holds this gradient's storage and it is a plain dense tensor: a leaf may take it as its .grad.</summary>
    public bool IsSoleHolder(Tensor t)
        => Owned(t) && t.IsLeaf && _holds.GetValueOrDefault(t._storage) == 1 && IsWholeStorage(t);

    /// <summary>True when <paramref name="existing"/> may take <paramref name="grad"/> added in place (no other holder could see it change).</summary>
    public bool CanAccumulateInPlace(Tensor existing, Tensor grad)
        => IsSoleHolder(existing) && existing.DType == grad.DType && Shapes.SameShape(existing._shape, grad._shape)
           && !ReferenceEquals(existing._storage, grad._storage);

    private static bool IsWholeStorage(Tensor t) => t.IsContiguous() && t.StorageOffset == 0 && t.Numel() == t._storage.Length;

    private static void Recycle(Storage storage) => BufferPool.Return(storage);
}
