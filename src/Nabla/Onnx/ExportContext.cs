using Nabla.NN;
using Nabla.Onnx.Proto;
using Nabla.Tracing;

namespace Nabla.Onnx;

/// <summary>A tensor of module state, named by its fully qualified name; <c>Order</c> is where it stands among initializers.</summary>
internal sealed record StateTensor(string Name, int Order);

/// <summary>
/// The graph under construction, as lowerings see it: each traced tensor's graph value (graph inputs, module state
/// as initializers by fully qualified name, op outputs, constants), fresh names, and node emission. One context per
/// export; lowerings run in trace order, so the nodes come out topologically ordered.
/// </summary>
internal sealed partial class ExportContext
{
    private sealed record Bound(string Name, int Version, bool IsConstant);

    private readonly ExportTrace _trace;
    private readonly Dictionary<Tensor, StateTensor> _state;
    private readonly Dictionary<Storage, List<Tensor>> _stateByStorage = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Module, string> _modulePaths;
    private readonly string _rootName;
    private readonly bool _exportParams;

    private readonly Dictionary<Tensor, Bound> _bound = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Storage, List<Tensor>> _viewsOf = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Storage> _readStorages = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<Tensor, string> _pendingOutputs = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<(Tensor, DType), string> _constants = [];
    private readonly Dictionary<(string, DType), string> _casts = [];
    private readonly HashSet<string> _names = [];
    private readonly Dictionary<string, int> _nextSuffix = [];
    private int _nodeCount, _valueCount, _tensorConstantCount;

    // The op being lowered and its counterpart in the resized run (null without dynamic axes).
    private TracedOp? _op;
    private TracedOp? _otherOp;

    public ExportContext(ExportTrace trace, Module module, int opset, string[] inputNames, string[] outputNames, bool exportParams)
    {
        _trace = trace;
        Opset = opset;
        _exportParams = exportParams;
        _rootName = module.GetType().Name;
        _modulePaths = new(ReferenceEqualityComparer.Instance);
        foreach (var (name, m) in module.NamedModules()) _modulePaths[m] = name;
        _state = new(ReferenceEqualityComparer.Instance);
        int order = 0;
        foreach (var (name, p) in module.NamedParameters()) _state.TryAdd(p, new StateTensor(name, order++));
        foreach (var (name, b) in module.NamedBuffers()) _state.TryAdd(b, new StateTensor(name, order++));
        foreach (var (name, t) in module.NamedTensorFields()) _state.TryAdd(t, new StateTensor(name, order++));
        foreach (var t in _state.Keys)
        {
            if (!_stateByStorage.TryGetValue(t._storage, out var list)) _stateByStorage[t._storage] = list = [];
            list.Add(t);
        }

        foreach (var n in inputNames.Concat(outputNames)) _names.Add(n);
        foreach (var s in _state.Values) _names.Add(s.Name);
        for (int i = 0; i < trace.Inputs.Length; i++) Bind(trace.Inputs[i], inputNames[i], trace.InputVersions[i], constant: false);
        for (int i = 0; i < trace.Outputs.Length; i++) _pendingOutputs.TryAdd(trace.Outputs[i], outputNames[i]);
        foreach (var op in trace.Ops)
            foreach (var t in op.Inputs) _readStorages.Add(t._storage);
    }

    /// <summary>The ONNX opset the graph targets (13 to 18).</summary>
    public int Opset { get; }

    /// <summary>The graph's nodes, in emission order.</summary>
    public List<NodeProto> Nodes { get; } = [];

    /// <summary>Module state the forward read, with its data as read (or null when state is exported as graph inputs).</summary>
    public List<(StateTensor State, Tensor Value, TensorProto? Data)> UsedState { get; } = [];

    /// <summary>Tensors created inside forward and kept as initializers, in the order first read.</summary>
    public List<TensorProto> ConstantInitializers { get; } = [];

    // ---- lowering one op ----

    /// <summary>Lowers every traced op through <paramref name="table"/>, then binds the graph outputs.</summary>
    public void LowerAll(IReadOnlyDictionary<string, Lowering> table, string[] outputNames)
    {
        for (int i = 0; i < _trace.Ops.Count; i++)
        {
            _op = _trace.Ops[i];
            _otherOp = _trace.OtherOps?[i];
            if (_op.Inputs.All(IsConstant))
            {
                // Constant folding (PyTorch's do_constant_folding): an op on constants only gives constants.
                foreach (var t in _op.Outputs) _bound.TryAdd(t, new Bound("", 0, true));
                continue;
            }
            if (!table.TryGetValue(_op.Kind, out var lower))
                throw Unsupported(_op, $"it has no ONNX lowering (add an entry for \"{_op.Kind}\" to Nabla.Onnx.Lowerings)");
            lower(this, _op);
        }
        _op = _otherOp = null;
        for (int i = 0; i < _trace.Outputs.Length; i++)
        {
            var t = _trace.Outputs[i];
            string name = Value(t, t.Version, null, -1);
            if (name != outputNames[i]) Emit("Identity", [name], [outputNames[i]]);
        }
    }

    /// <summary>An export error for <paramref name="op"/> that names its kind and the module it ran in.</summary>
    public OnnxExportException Unsupported(TracedOp op, string reason)
        => new($"Cannot export op '{op.Kind}' {Where(op)} at opset {Opset}: {reason}.");

    /// <summary>"in module 'encoder.fc1' (Linear)", or "in the root module (Net)".</summary>
    private string Where(TracedOp op)
    {
        for (var scope = op.Scope; scope is not null; scope = scope.Parent)
            if (_modulePaths.TryGetValue(scope.Module, out var path))
                return path.Length == 0 ? $"in the root module ({_rootName})" : $"in module '{path}' ({scope.Module.GetType().Name})";
        return $"outside any module call of {_rootName}";
    }

    // ---- inputs and outputs of the current op ----

    /// <summary>The graph value of input <paramref name="i"/> of <paramref name="op"/>, in its own dtype.</summary>
    public string In(TracedOp op, int i) => Value(op.Inputs[i], op.InputVersions[i], null, i);

    /// <summary>
    /// The graph value of input <paramref name="i"/> in <paramref name="dtype"/>: a constant is written in that dtype (so
    /// <c>x * 2.0</c> on float32 multiplies by a float32 2), any other value is passed through a Cast node.
    /// </summary>
    public string In(TracedOp op, int i, DType dtype)
    {
        var t = op.Inputs[i];
        string name = Value(t, op.InputVersions[i], dtype, i);
        if (IsConstantName(t) || t.DType == dtype) return name;
        if (_casts.TryGetValue((name, dtype), out var cast)) return cast;
        cast = Unique($"{name}_{Lower(dtype)}");
        Emit("Cast", [name], cast, Int("to", (long)dtype.ToOnnx()));
        return _casts[(name, dtype)] = cast;
    }

    /// <summary>The name for output <paramref name="i"/> of <paramref name="op"/>: the user's output name for a graph output, else the op's kind made unique (<c>mul</c>, <c>mul_1</c>).</summary>
    public string Out(TracedOp op, int i = 0)
    {
        var t = op.Outputs[i];
        if (!_pendingOutputs.Remove(t, out var name)) name = Unique(BaseName(op.Kind));
        Bind(t, name, op.OutputVersions[i], constant: false);
        return name;
    }

    /// <summary>Whether anything reads output <paramref name="i"/> of <paramref name="op"/> (later ops, or the graph outputs).</summary>
    public bool IsUsed(TracedOp op, int i)
    {
        var t = op.Outputs[i];
        return _readStorages.Contains(t._storage) || _pendingOutputs.ContainsKey(t);
    }

    private bool IsConstantName(Tensor t) => _bound.TryGetValue(t, out var b) && b.IsConstant;

    private void Bind(Tensor t, string name, int version, bool constant)
    {
        _bound[t] = new Bound(name, version, constant);
        if (constant) return;
        if (!_viewsOf.TryGetValue(t._storage, out var list)) _viewsOf[t._storage] = list = [];
        list.Add(t);
    }

    /// <summary>Resolves a tensor to its graph value: bound before, module state, the same view of a bound value, or a new constant.</summary>
    private string Value(Tensor t, int version, DType? dtype, int inputIndex)
    {
        if (_bound.TryGetValue(t, out var b))
        {
            if (b.IsConstant) return Constant(t, dtype ?? t.DType, inputIndex);
            if (b.Version != version) throw ChangedInPlace(b.Name);
            return b.Name;
        }
        if (_state.TryGetValue(t, out var state)) return BindState(t, state, version);
        if (_viewsOf.TryGetValue(t._storage, out var views))
        {
            foreach (var v in views)
                if (SameView(v, t)) return Value(v, version, dtype, inputIndex);
            throw Untraced($"a view of '{_bound[views[0]].Name}' that no traced op produced (shape {Shapes.Format(t._shape)})");
        }
        if (_stateByStorage.TryGetValue(t._storage, out var states))
        {
            foreach (var s in states)
                if (SameView(s, t)) return BindState(s, _state[s], version);
            throw Untraced($"a view of module state '{_state[states[0]].Name}' that no traced op produced (shape {Shapes.Format(t._shape)})");
        }
        _bound[t] = new Bound("", 0, true);
        return Constant(t, dtype ?? t.DType, inputIndex);
    }

    /// <summary>Whether a tensor is a constant of the graph: created inside forward, not module state, not a view of a graph value.</summary>
    private bool IsConstant(Tensor t)
    {
        if (_bound.TryGetValue(t, out var b)) return b.IsConstant;
        return !_state.ContainsKey(t) && !_viewsOf.ContainsKey(t._storage) && !_stateByStorage.ContainsKey(t._storage);
    }

    private static bool SameView(Tensor a, Tensor b)
        => a._offset == b._offset && Shapes.SameShape(a._shape, b._shape) && a._strides.AsSpan().SequenceEqual(b._strides);

    private string BindState(Tensor t, StateTensor state, int version)
    {
        Bind(t, state.Name, version, constant: false);
        UsedState.Add((state, t, _exportParams ? OnnxTensorProtos.FromTensor(t, state.Name) : null));
        return state.Name;
    }

    private OnnxExportException ChangedInPlace(string name) => _op is null
        ? new OnnxExportException($"The forward pass changed graph output '{name}' in place after computing it; return a new tensor instead.")
        : Unsupported(_op, $"its input '{name}' was changed in place after an earlier op read it; use the out-of-place op in forward");

    private OnnxExportException Untraced(string what) => _op is null
        ? new OnnxExportException($"A graph output is {what}; it cannot be exported.")
        : Unsupported(_op, $"it reads {what}");

    /// <summary>
    /// A tensor created inside forward (a wrapped scalar, <c>Torch.Tensor(...)</c>), in <paramref name="dtype"/>: a
    /// <c>Constant</c> node for a scalar, else an initializer named <c>_tensor_constant0</c>, <c>_tensor_constant1</c>, ...
    /// </summary>
    private string Constant(Tensor t, DType dtype, int inputIndex)
    {
        if (_constants.TryGetValue((t, dtype), out var name)) return name;
        if (_otherOp is not null && inputIndex >= 0) CheckSameInBothRuns(t, _otherOp.Inputs[inputIndex]);
        var value = t.DType == dtype ? t : t.CastRaw(dtype);
        if (t.Dim == 0)
        {
            name = NextValueName();
            Emit("Constant", [], [name], TensorAttribute("value", OnnxTensorProtos.FromTensor(value, "")));
        }
        else
        {
            name = Unique($"_tensor_constant{_tensorConstantCount++}");
            ConstantInitializers.Add(OnnxTensorProtos.FromTensor(value, name));
        }
        return _constants[(t, dtype)] = name;
    }

    private void CheckSameInBothRuns(Tensor t, Tensor other)
    {
        string? problem = !Shapes.SameShape(t._shape, other._shape)
            ? $"its shape is {Shapes.Format(t._shape)} at the traced size and {Shapes.Format(other._shape)} when a dynamic axis is one larger"
            : !SameValues(t, other) ? "its values change when a dynamic axis is one larger (or it is random)" : null;
        if (problem is not null)
            throw Unsupported(_op!, $"it reads a tensor created inside forward, which the graph stores as a constant, but {problem}; compute it from the inputs with traced ops");
    }

    private static bool SameValues(Tensor a, Tensor b) => a.DType switch
    {
        DType.Float32 => a.Span<float>().SequenceEqual(b.Span<float>()),
        DType.Float64 => a.Span<double>().SequenceEqual(b.Span<double>()),
        DType.Int64 => a.Span<long>().SequenceEqual(b.Span<long>()),
        DType.Int32 => a.Span<int>().SequenceEqual(b.Span<int>()),
        _ => a.Span<bool>().SequenceEqual(b.Span<bool>()),
    };

    // ---- names ----

    /// <summary><paramref name="baseName"/> if free, else <c>baseName_1</c>, <c>baseName_2</c>, ... (FX's naming).</summary>
    public string Unique(string baseName)
    {
        if (_names.Add(baseName)) return baseName;
        int k = _nextSuffix.GetValueOrDefault(baseName, 1);
        while (!_names.Add($"{baseName}_{k}")) k++;
        _nextSuffix[baseName] = k + 1;
        return $"{baseName}_{k}";
    }

    private string NextValueName()
    {
        string name;
        do name = $"val_{_valueCount++}"; while (!_names.Add(name));
        return name;
    }

    private static string BaseName(string kind)
    {
        var chars = kind.Select(c => char.IsAsciiLetterOrDigit(c) ? c : '_').ToArray();
        return chars.Length == 0 ? "value" : new string(chars);
    }

    private static string Lower(DType dtype) => dtype.ToString().ToLowerInvariant();
}
