namespace Nabla.Autograd;

/// <summary>Per-thread inference mode (<c>torch.is_inference_mode_enabled()</c>): on, it also turns graph recording off.</summary>
internal static class InferenceModeState
{
    [ThreadStatic] private static bool t_enabled;

    public static bool IsEnabled => t_enabled;

    /// <summary>Sets inference mode on this thread (and, when on, grad mode off) until the scope is disposed.</summary>
    public static IDisposable Set(bool enabled)
    {
        var previous = t_enabled;
        var grad = enabled ? GradMode.Set(false) : null;
        t_enabled = enabled;
        return new Scope(previous, grad);
    }

    private sealed class Scope(bool previous, IDisposable? grad) : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            t_enabled = previous;
            grad?.Dispose();
        }
    }
}
