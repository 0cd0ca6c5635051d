using Nabla.Autograd;
using Nabla.NN;

namespace Nabla;

// Tensor hooks: functions run on a tensor's gradient during backward, before it is used.
public partial class Tensor
{
    /// <summary>
    /// Registers <paramref name="hook"/> to run on this tensor's gradient each time backward computes it
    /// (<c>tensor.register_hook</c>): on a leaf before it accumulates into <see cref="Grad"/>, on a non-leaf before its
    /// <c>GradFn</c> uses it. Hooks run in registration order; one that returns null leaves the gradient unchanged,
    /// otherwise its result replaces it. The handle removes the hook.
    /// </summary>
    public HookHandle RegisterHook(Func<Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        if (!RequiresGrad) throw new InvalidOperationException("cannot register a hook on a tensor that doesn't require gradient");
        var node = GradFn ?? (_gradAccumulator ??= new AccumulateGrad(this));
        var entry = new TensorHook(_outputNr, hook);
        var hooks = node.Hooks ??= new NodeHooks();
        (hooks.TensorHooks ??= []).Add(entry);
        return new HookHandle(() => hooks.TensorHooks.Remove(entry));
    }
}
