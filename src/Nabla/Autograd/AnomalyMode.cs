namespace Nabla.Autograd;

/// <summary>Anomaly detection (<c>torch.autograd.detect_anomaly</c>): a backward node that returns NaN stops the pass, naming the node.</summary>
internal static class AnomalyMode
{
    private static int s_depth;

    public static bool IsEnabled => Volatile.Read(ref s_depth) > 0;

    public static IDisposable Enter()
    {
        Interlocked.Increment(ref s_depth);
        return new Scope();
    }

    public static void Check(Node node, Tensor?[] gradInputs)
    {
        using var noGrad = GradMode.Set(false);
        for (int i = 0; i < gradInputs.Length; i++)
        {
            if (gradInputs[i] is not { } g || !g.DType.IsFloatingPoint()) continue;
            foreach (double v in g.ToArray<double>())
                if (double.IsNaN(v))
                    throw new InvalidOperationException($"Function '{node.Name}' returned nan values in its {i}th output.");
        }
    }

    private sealed class Scope : IDisposable
    {
        private bool _disposed;

        public void Dispose()
        {
            if (_disposed) return;
            _disposed = true;
            Interlocked.Decrement(ref s_depth);
        }
    }
}
