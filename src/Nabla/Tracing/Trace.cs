namespace Nabla.Tracing;

/// <summary>One op seen while tracing a forward pass: its kind, tensors and attributes (what the ONNX exporter lowers).</summary>
internal sealed record TracedOp(string Kind, Tensor[] Inputs, Tensor[] Outputs, IReadOnlyDictionary<string, object> Attributes)
{
    /// <summary>The modules being called (innermost first) when the op ran; null outside any <see cref="NN.Module.Call"/>.</summary>
    public ModuleScope? Scope { get; init; }

    /// <summary>Storage versions of the inputs when the op ran: the exporter refuses a value changed in place after it was read.</summary>
    public int[] InputVersions { get; init; } = [];

    /// <summary>Storage versions of the outputs right after the op ran.</summary>
    public int[] OutputVersions { get; init; } = [];
}

/// <summary>One module call on the trace's module stack, linked to the call it is nested in.</summary>
internal sealed record ModuleScope(NN.Module Module, ModuleScope? Parent);

/// <summary>The ops recorded on one thread between <see cref="Trace.Begin"/> and disposal.</summary>
internal sealed class TraceSession : IDisposable
{
    private readonly TraceSession? _previous;
    private int _ended;
    public readonly List<TracedOp> Ops = [];

    internal TraceSession(TraceSession? previous) => _previous = previous;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _ended, 1) == 0) Trace.End(_previous);
    }
}

/// <summary>
/// Per-thread recorder that ops call when an export is tracing. A composite op records itself and
/// suspends recording while it runs the ops it is built from.
/// </summary>
internal static class Trace
{
    [ThreadStatic] private static TraceSession? t_session;
    [ThreadStatic] private static int t_suspended;
    [ThreadStatic] private static ModuleScope? t_scope;

    private static readonly IReadOnlyDictionary<string, object> s_noAttributes = new Dictionary<string, object>();

    // Sessions open on any thread. Every op asks whether it is traced; while no export runs anywhere, that costs no
    // thread-local read.
    private static int s_open;

    public static bool Active => Volatile.Read(ref s_open) != 0 && t_session is not null && t_suspended == 0;

    public static TraceSession Begin()
    {
        Interlocked.Increment(ref s_open);
        return t_session = new TraceSession(t_session);
    }

    internal static void End(TraceSession? previous)
    {
        t_session = previous;
        Interlocked.Decrement(ref s_open);
    }

    public static void Record(string kind, Tensor[] inputs, Tensor output, IReadOnlyDictionary<string, object>? attributes = null)
        => Record(kind, inputs, [output], attributes);

    public static void Record(string kind, Tensor[] inputs, Tensor[] outputs, IReadOnlyDictionary<string, object>? attributes = null)
    {
        if (!Active) return;
        t_session!.Ops.Add(new TracedOp(kind, inputs, outputs, attributes ?? s_noAttributes)
        {
            Scope = t_scope,
            InputVersions = Array.ConvertAll(inputs, t => t.Version),
            OutputVersions = Array.ConvertAll(outputs, t => t.Version),
        });
    }

    /// <summary>Pushes <paramref name="module"/> on the module stack while a trace is open (what export errors name); a no-op otherwise.</summary>
    public static ModuleCall EnterModule(NN.Module module)
    {
        if (t_session is null) return default;
        var previous = t_scope;
        t_scope = new ModuleScope(module, previous);
        return new ModuleCall(previous, true);
    }

    /// <summary>Pops the module pushed by <see cref="EnterModule"/> when disposed.</summary>
    public readonly struct ModuleCall(ModuleScope? previous, bool pushed) : IDisposable
    {
        public void Dispose()
        {
            if (pushed) t_scope = previous;
        }
    }

    public static Suspension Suspend() => new();

    /// <summary>Stops recording until disposed (for the inner ops of a composite op).</summary>
    public readonly struct Suspension : IDisposable
    {
        public Suspension() => t_suspended++;
        public void Dispose() => t_suspended--;
    }
}
