using Nabla.Autograd;

namespace Nabla;

// torch.inference_mode: no graph is recorded while the scope is open.
public static partial class Torch
{
    [ThreadStatic] private static int t_inferenceDepth;

    /// <summary>
    /// Turns off graph recording on this thread until disposed (<c>with torch.inference_mode():</c>), like
    /// <see cref="NoGrad"/>; <c>enabled: false</c> makes the scope do nothing. Tensors made inside are ordinary tensors
    /// (PyTorch's inference tensors additionally refuse to be saved for a later backward; Nabla does not mark them).
    /// </summary>
    public static IDisposable InferenceMode(bool enabled = true)
    {
        if (!enabled) return GradMode.Set(GradMode.IsEnabled);
        t_inferenceDepth++;
        return new InferenceScope(GradMode.Set(false));
    }

    /// <summary>Whether an <see cref="InferenceMode"/> scope is open on this thread (<c>torch.is_inference_mode_enabled()</c>).</summary>
    public static bool IsInferenceModeEnabled() => t_inferenceDepth > 0;

    private sealed class InferenceScope(IDisposable grad) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            t_inferenceDepth--;
            grad.Dispose();
        }
    }
}
