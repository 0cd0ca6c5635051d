namespace Nabla.Autograd;

/// <summary>Per-thread switch for recording the graph (<c>torch.is_grad_enabled()</c>).</summary>
public static class GradMode
{
    [ThreadStatic] private static bool t_disabled;

    /// <summary>Whether ops on this thread record backward nodes.</summary>
    public static bool IsEnabled => !t_disabled;

    internal static Scope Set(bool enabled)
    {
        var scope = new Scope(!t_disabled);
        t_disabled = !enabled;
        return scope;
    }

    /// <summary>Restores the previous grad mode when disposed.</summary>
    public sealed class Scope : IDisposable
    {
        private readonly bool _previous;
        internal Scope(bool previous) => _previous = previous;

        /// <summary>Restores the grad mode that was in force when the scope began.</summary>
        public void Dispose() => t_disabled = !_previous;
    }
}
