namespace Nabla.NN;

/// <summary>Called before forward with the inputs; may return replacement inputs (<c>register_forward_pre_hook</c>).</summary>
public delegate Tensor[]? ForwardPreHook(Module module, Tensor[] inputs);

/// <summary>Called after forward; may return a replacement output (<c>register_forward_hook</c>).</summary>
public delegate Tensor? ForwardHook(Module module, Tensor[] inputs, Tensor output);

/// <summary>Called with the gradients of a module's inputs and output; may return replacement input gradients (<c>register_full_backward_hook</c>).</summary>
public delegate Tensor?[]? FullBackwardHook(Module module, Tensor?[] gradInput, Tensor?[] gradOutput);

/// <summary>Called with the gradient of a module's output before its backward; may return a replacement (<c>register_full_backward_pre_hook</c>).</summary>
public delegate Tensor?[]? FullBackwardPreHook(Module module, Tensor?[] gradOutput);

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
    private readonly List<FullBackwardHook> _backwardHooks = [];
    private readonly List<FullBackwardPreHook> _backwardPreHooks = [];

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

    /// <summary>
    /// Registers a hook run when the gradients with respect to this module's inputs are computed
    /// (<c>register_full_backward_hook</c>): it gets the gradients of the inputs and of the output and may return
    /// replacements for the input gradients (null keeps them). The module's output then has grad_fn BackwardHookFunctionBackward.
    /// </summary>
    public HookHandle RegisterFullBackwardHook(FullBackwardHook hook)
    {
        _backwardHooks.Add(hook);
        return new HookHandle(() => _backwardHooks.Remove(hook));
    }

    /// <summary>
    /// Registers a hook run when the gradient of this module's output is computed, before the module's backward
    /// (<c>register_full_backward_pre_hook</c>); it may return a replacement output gradient (null keeps it).
    /// </summary>
    public HookHandle RegisterFullBackwardPreHook(FullBackwardPreHook hook)
    {
        _backwardPreHooks.Add(hook);
        return new HookHandle(() => _backwardPreHooks.Remove(hook));
    }

    /// <summary>Whether any forward or forward-pre hook is registered (a fused path must then call the module itself).</summary>
    internal bool HasForwardHooks => _preHooks.Count > 0 || _hooks.Count > 0 || _backwardHooks.Count > 0 || _backwardPreHooks.Count > 0;

    private Tensor RunHooks(Tensor[] inputs)
    {
        using var call = Tracing.Trace.EnterModule(this);
        // Hooks are copied before running, as a hook may remove itself; with none registered nothing is allocated.
        if (_preHooks.Count > 0)
            foreach (var pre in _preHooks.ToArray())
                inputs = pre(this, inputs) ?? inputs;
        BackwardHookCall? backward = null;
        if (_backwardHooks.Count + _backwardPreHooks.Count > 0 && Autograd.GradMode.IsEnabled)
        {
            backward = new BackwardHookCall(this, _backwardPreHooks.ToArray(), _backwardHooks.ToArray());
            inputs = backward.WrapInputs(inputs);
        }
        var output = Forward(inputs);
        if (backward is not null) output = backward.WrapOutput(output);
        if (_hooks.Count > 0)
            foreach (var post in _hooks.ToArray())
                output = post(this, inputs, output) ?? output;
        return output;
    }
}
