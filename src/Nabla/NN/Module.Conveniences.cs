using Nabla.Autograd;

namespace Nabla.NN;

public abstract partial class Module
{
    /// <summary>Calls <paramref name="fn"/> on every submodule, children first, then on this module (<c>module.apply(fn)</c>), e.g. for custom init.</summary>
    public Module Apply(Action<Module> fn)
    {
        foreach (var child in Children()) child.Apply(fn);
        fn(this);
        return this;
    }

    /// <summary>
    /// Converts floating-point parameters (and their grads) and buffers to <paramref name="dtype"/> (<c>module.to(dtype)</c>).
    /// Parameters stay the same objects, as in PyTorch, so optimizers built before the call still hold them; buffers are replaced.
    /// </summary>
    public Module To(DType dtype)
    {
        if (!dtype.IsFloatingPoint())
            throw new ArgumentException($"nn.Module.to only accepts floating point or complex dtypes, but got desired dtype={dtype.TorchName()}");
        foreach (var child in Children()) child.To(dtype);
        using (GradMode.Set(false))
        {
            foreach (var (_, p) in OwnParameters())
            {
                if (p is null || !p.DType.IsFloatingPoint() || p.DType == dtype) continue;
                p.SetData(p.Detach().To(dtype));
                if (p._grad is { } grad) grad.SetData(grad.Detach().To(dtype));
            }
            foreach (var (name, b, _) in OwnBuffers().ToArray())
                if (b is not null && b.DType.IsFloatingPoint() && b.DType != dtype) _buffers[name] = b.To(dtype);
        }
        return this;
    }

    /// <summary>Converts floating-point parameters and buffers to float64 (<c>module.double()</c>).</summary>
    public Module Double() => To(DType.Float64);

    /// <summary>Converts floating-point parameters and buffers to float32 (<c>module.float()</c>).</summary>
    public Module Float() => To(DType.Float32);

    /// <summary>Sets <c>RequiresGrad</c> on every parameter, e.g. false to freeze a module (<c>module.requires_grad_(requires_grad)</c>).</summary>
    public Module RequiresGrad_(bool requiresGrad = true)
    {
        foreach (var p in Parameters()) p.RequiresGrad_(requiresGrad);
        return this;
    }

    /// <summary>Removes a child module entry (for containers that delete or renumber entries).</summary>
    private protected void RemoveModuleEntry(string name)
    {
        SyncFields();
        _modules.Remove(name);
    }
}
