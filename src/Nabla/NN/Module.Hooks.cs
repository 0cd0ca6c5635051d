namespace Nabla.NN;

/// <summary>Called before forward with the inputs; may return replacement inputs (<c>register_forward_pre_hook</c>).</summary>
public delegate Tensor[]? ForwardPreHook(Module module, Tensor[] inputs);

/// <summary>Called after forward; may return a replacement output (<c>register_forward_hook</c>).</summary>
public delegate Tensor? ForwardHook(Module module, Tensor[] inputs, Tensor output);

/// <summary>Removes a registered hook when disposed or when <see cref="Remove"/> is called (<c>RemovableHandle</c>).</summary>
public sealed class HookHandle(Action remove) : IDisposable
{
    private Action? _remove = remove;

    /// <summary>Removes the hook; later calls do nothing.</summary>
    public void Remove()
    {
        _remove?.Invoke();
        _remove = null;
    }

    /// <inheritdoc/>
    public void Dispose() => Remove();
}

public abstract partial class Module
{
    private readonly List<ForwardPreHook> _preHooks = [];
    private readonly List<ForwardHook> _hooks = [];

    /// <summary>Registers a hook run before each <see cref="Call"/> (<c>register_forward_pre_hook</c>).</summary>
    public HookHandle RegisterForwardPreHook(ForwardPreHook hook)
    {
        _preHooks.Add(hook);
        return new HookHandle(() => _preHooks.Remove(hook));
    }

    /// <summary>Registers a hook run after each <see cref="Call"/> (<c>register_forward_hook</c>).</summary>
    public HookHandle RegisterForwardHook(ForwardHook hook)
    {
        _hooks.Add(hook);
        return new HookHandle(() => _hooks.Remove(hook));
    }

    /// <summary>Whether any forward or forward-pre hook is registered (a fused path must then call the module itself).</summary>
    internal bool HasForwardHooks => _preHooks.Count > 0 || _hooks.Count > 0;

    private Tensor RunHooks(Tensor[] inputs)
    {
        using var call = Tracing.Trace.EnterModule(this);
        // Hooks are copied before running, as a hook may remove itself; with none registered nothing is allocated.
        if (_preHooks.Count > 0)
            foreach (var pre in _preHooks.ToArray())
                inputs = pre(this, inputs) ?? inputs;
        var output = Forward(inputs);
        if (_hooks.Count > 0)
            foreach (var post in _hooks.ToArray())
                output = post(this, inputs, output) ?? output;
        return output;
    }
}
