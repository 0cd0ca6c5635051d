namespace Nabla.Tracing;

/// <summary>One op seen while tracing a forward pass: its kind, tensors and attributes (what the ONNX exporter lowers).</summary>
internal sealed record TracedOp(string Kind, Tensor[] Inputs, Tensor[] Outputs, IReadOnlyDictionary<string, object> Attributes);

/// <summary>The ops recorded on one thread between <see cref="Trace.Begin"/> and disposal.</summary>
internal sealed class TraceSession : IDisposable
{
    private readonly TraceSession? _previous;
    public readonly List<TracedOp> Ops = [];

    internal TraceSession(TraceSession? previous) => _previous = previous;

    public void Dispose() => Trace.End(_previous);
}

/// <summary>
/// Per-thread recorder that ops call when an export is tracing. A composite op records itself and
/// suspends recording while it runs the ops it is built from.
/// </summary>
internal static class Trace
{
    [ThreadStatic] private static TraceSession? t_session;
    [ThreadStatic] private static int t_suspended;

    private static readonly IReadOnlyDictionary<string, object> s_noAttributes = new Dictionary<string, object>();

    public static bool Active => t_session is not null && t_suspended == 0;

    public static TraceSession Begin() => t_session = new TraceSession(t_session);

    internal static void End(TraceSession? previous) => t_session = previous;

    public static void Record(string kind, Tensor[] inputs, Tensor output, IReadOnlyDictionary<string, object>? attributes = null)
        => Record(kind, inputs, [output], attributes);

    public static void Record(string kind, Tensor[] inputs, Tensor[] outputs, IReadOnlyDictionary<string, object>? attributes = null)
    {
        if (!Active) return;
        t_session!.Ops.Add(new TracedOp(kind, inputs, outputs, attributes ?? s_noAttributes));
    }

    public static Suspension Suspend() => new();

    /// <summary>Stops recording until disposed (for the inner ops of a composite op).</summary>
    public readonly struct Suspension : IDisposable
    {
        public Suspension() => t_suspended++;
        public void Dispose() => t_suspended--;
    }
}
