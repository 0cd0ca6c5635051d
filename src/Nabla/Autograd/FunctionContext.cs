namespace Nabla.Autograd;

/// <summary>
/// What a custom <see cref="Function"/>'s forward leaves for its backward (<c>ctx</c> in <c>torch.autograd.Function</c>):
/// saved tensors (checked against in-place changes), any other values by name, which inputs need a gradient, and the
/// in-place and non-differentiable markings of outputs.
/// </summary>
public sealed class FunctionContext
{
    private readonly Dictionary<string, object?> _values = [];
    private (Tensor Tensor, int Version)[] _saved = [];
    private bool _freed;
    internal readonly HashSet<Tensor> Dirty = new(ReferenceEqualityComparer.Instance);
    internal readonly HashSet<Tensor> NonDifferentiable = new(ReferenceEqualityComparer.Instance);
    internal string Name = "";

    internal FunctionContext(bool[] needsInputGrad) => NeedsInputGrad = needsInputGrad;

    /// <summary>For each input, whether backward must compute its gradient (<c>ctx.needs_input_grad</c>).</summary>
    public IReadOnlyList<bool> NeedsInputGrad { get; }

    /// <summary>Any non-tensor state forward keeps for backward (<c>ctx.scale = 0.5</c>).</summary>
    public object? this[string name]
    {
        get => _values.TryGetValue(name, out var v) ? v : throw new KeyNotFoundException($"'{Name}' object has no attribute '{name}'");
        set => _values[name] = value;
    }

    /// <summary>Saves tensors for backward (<c>ctx.save_for_backward(*tensors)</c>); call once, in forward.</summary>
    public void SaveForBackward(params Tensor[] tensors)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _saved = tensors.Select(t => (t, -1)).ToArray();
    }

    /// <summary>
    /// The saved tensors (<c>ctx.saved_tensors</c>). Reading them throws if one was modified in place after forward, or
    /// after backward freed them.
    /// </summary>
    public IReadOnlyList<Tensor> SavedTensors
    {
        get
        {
            if (_freed)
                throw new InvalidOperationException(
                    "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
                    "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
                    "Specify retain_graph=True (retainGraph: true) if you need to backward through the graph a second time.");
            foreach (var (t, version) in _saved)
                if (version >= 0 && t.Version != version)
                    throw new InvalidOperationException(
                        $"one of the variables needed for gradient computation has been modified by an inplace operation: " +
                        $"[{t.DType.TorchName()} {Shapes.Format(t._shape)}], which is saved by {Name}, is at version {t.Version}; " +
                        $"expected version {version} instead.");
            return _saved.Select(s => s.Tensor).ToArray();
        }
    }

    /// <summary>Declares inputs that forward modified in place (<c>ctx.mark_dirty(*tensors)</c>); they become outputs of this function.</summary>
    public void MarkDirty(params Tensor[] tensors)
    {
        foreach (var t in tensors) Dirty.Add(t);
    }

    /// <summary>Declares outputs that have no gradient (<c>ctx.mark_non_differentiable(*tensors)</c>), e.g. indices.</summary>
    public void MarkNonDifferentiable(params Tensor[] tensors)
    {
        foreach (var t in tensors) NonDifferentiable.Add(t);
    }

    // Versions are taken once forward has returned: an output saved before a later in-place write of forward is at its final version.
    internal void SealSaved()
    {
        for (int i = 0; i < _saved.Length; i++) _saved[i].Version = _saved[i].Tensor.Version;
    }

    internal void Free()
    {
        if (_saved.Length > 0) _freed = true;
    }
}
