using Nabla.Autograd;

namespace Nabla;

// torch.inference_mode: no graph is recorded while the scope is open.
public static partial class Torch
{
    /// <summary>
    /// Inference mode on this thread until the scope is disposed (<c>with torch.inference_mode():</c>): no op records a graph, as
    /// under <see cref="NoGrad"/>; other threads are unaffected. <paramref name="mode"/> false turns it off inside an enclosing
    /// scope without changing grad mode, as <c>torch.inference_mode(False)</c> does. Tensors made inside are ordinary tensors
    /// (PyTorch marks them as inference tensors and refuses to record them in a graph later; Nabla does not).
    /// </summary>
    public static IDisposable InferenceMode(bool mode = true) => InferenceModeState.Set(mode);

    /// <summary>Whether inference mode is on for this thread (<c>torch.is_inference_mode_enabled()</c>).</summary>
    public static bool IsInferenceModeEnabled() => InferenceModeState.IsEnabled;
}
