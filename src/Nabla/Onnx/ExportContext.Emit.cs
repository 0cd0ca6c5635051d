using Nabla.Onnx.Proto;
using Nabla.Tracing;
using AttributeType = Nabla.Onnx.Proto.AttributeProto.Types.AttributeType;

namespace Nabla.Onnx;

/// <summary>Emits the ONNX nodes for one traced op (an entry of <see cref="Lowerings.Table"/>).</summary>
internal delegate void Lowering(ExportContext cx, TracedOp op);

// Node emission, constants, attributes, and sizes that may follow a dynamic axis.
internal sealed partial class ExportContext
{
    private readonly Dictionary<string, string> _int64Constants = [];
    private readonly Dictionary<(long Bits, DType DType), string> _scalars = [];
    private readonly Dictionary<(int Input, long Axis), string> _inputDims = [];
    private readonly Dictionary<int, string> _inputShapes = [];

    /// <summary>Appends a node that writes <paramref name="outputs"/>.</summary>
    public void Emit(string opType, string[] inputs, string[] outputs, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = $"node_{opType}_{_nodeCount++}" };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        Nodes.Add(node);
    }

    /// <summary>Appends a node that writes <paramref name="output"/>.</summary>
    public void Emit(string opType, string[] inputs, string output, params AttributeProto[] attributes)
        => Emit(opType, inputs, [output], attributes);

    /// <summary>Appends a node with one output under a fresh name (<c>linear_matmul</c>, ...) and returns that name.</summary>
    public string Node(string opType, string[] inputs, params AttributeProto[] attributes)
    {
        string name = Unique($"{BaseName(_op?.Kind ?? "graph")}_{opType.ToLowerInvariant()}");
        Emit(opType, inputs, [name], attributes);
        return name;
    }

    /// <summary>A 1-D int64 constant (shape, axes, starts): one <c>Constant</c> node per distinct value list.</summary>
    public string Int64s(params long[] values)
    {
        string key = string.Join(",", values);
        if (_int64Constants.TryGetValue(key, out var name)) return name;
        name = NextValueName();
        Emit("Constant", [], [name], TensorAttribute("value", OnnxTensorProtos.Int64s(values, "")));
        return _int64Constants[key] = name;
    }

    /// <summary>A 0-d constant of <paramref name="dtype"/>, converted as PyTorch converts a Python number (integers truncate); one <c>Constant</c> node per distinct value.</summary>
    public string Scalar(double value, DType dtype)
    {
        var key = (BitConverter.DoubleToInt64Bits(value), dtype);
        if (_scalars.TryGetValue(key, out var name)) return name;
        return _scalars[key] = TensorConstant(dtype.IsFloatingPoint() ? Tensor.WrapScalar(value) : Tensor.WrapScalar((long)value), dtype);
    }

    /// <summary>A constant made by a lowering (ones for a missing scale, an index range): a <c>Constant</c> node when 0-d, else an initializer.</summary>
    public string TensorConstant(Tensor value, DType dtype)
    {
        _bound[value] = new Bound("", 0, true);
        return Constant(value, dtype, -1);
    }

    /// <summary>A reduction over <paramref name="axes"/> (all when null or empty): axes are an input from opset 18 (13 for ReduceSum), an attribute before.</summary>
    public void Reduce(string opType, string input, long[]? axes, bool keepdims, string output)
    {
        var inputs = new List<string> { input };
        var attributes = new List<AttributeProto> { Int("keepdims", keepdims ? 1 : 0) };
        if (axes is { Length: > 0 })
        {
            if (Opset >= (opType == "ReduceSum" ? 13 : 18)) inputs.Add(Int64s(axes));
            else attributes.Add(Ints("axes", axes));
        }
        Emit(opType, [.. inputs], output, [.. attributes]);
    }

    /// <summary><see cref="Reduce"/> into a fresh name, which it returns.</summary>
    public string Reduced(string opType, string input, long[]? axes, bool keepdims)
    {
        string name = Unique($"{BaseName(_op?.Kind ?? "graph")}_{opType.ToLowerInvariant()}");
        Reduce(opType, input, axes, keepdims, name);
        return name;
    }

    /// <summary>
    /// The number of elements of input <paramref name="i"/> of <paramref name="op"/> over <paramref name="dims"/>, less
    /// <paramref name="less"/>, as a 0-d value of <paramref name="dtype"/>: a constant, or read from the input's shape
    /// when it changes with a dynamic axis.
    /// </summary>
    public string Count(TracedOp op, int i, long[] dims, DType dtype, double less = 0)
    {
        static long Product(Tensor t, long[] dims) => dims.Aggregate(1L, (p, d) => p * t._shape[d]);
        long n = Product(op.Inputs[i], dims);
        if (Other(op) is not { } other || Product(other.Inputs[i], dims) == n) return Scalar(n - less, dtype);
        var sizes = Node("Gather", [Node("Shape", [In(op, i)]), Int64s(dims)], Int("axis", 0));
        var count = Node("Cast", [Reduced("ReduceProd", sizes, null, false)], Int("to", (long)dtype.ToOnnx()));
        return less == 0 ? count : Node("Sub", [count, Scalar(less, dtype)]);
    }

    /// <summary>Unsqueeze with axes as an input (opset 13 and later, the only opsets exported).</summary>
    public string Unsqueeze(string input, params long[] axes) => Node("Unsqueeze", [input, Int64s(axes)]);

    /// <summary>Squeeze with axes as an input (opset 13 and later).</summary>
    public string Squeeze(string input, params long[] axes) => Node("Squeeze", [input, Int64s(axes)]);

    // ---- attributes ----

    public static AttributeProto Int(string name, long value) => new() { Name = name, Type = AttributeType.Int, I = value };

    public static AttributeProto Float(string name, float value) => new() { Name = name, Type = AttributeType.Float, F = value };

    public static AttributeProto Text(string name, string value) => new() { Name = name, Type = AttributeType.String, S = Google.Protobuf.ByteString.CopyFromUtf8(value) };

    public static AttributeProto Ints(string name, long[] values)
    {
        var a = new AttributeProto { Name = name, Type = AttributeType.Ints };
        a.Ints.AddRange(values);
        return a;
    }

    public static AttributeProto TensorAttribute(string name, TensorProto value) => new() { Name = name, Type = AttributeType.Tensor, T = value };

    /// <summary>
    /// Attribute <paramref name="name"/> of <paramref name="op"/>; refused when it differs in the resized run, since the
    /// graph would bake in a number that holds for one size only.
    /// </summary>
    public T Attr<T>(TracedOp op, string name)
    {
        if (!op.Attributes.TryGetValue(name, out var value) || value is not T typed)
            throw Unsupported(op, $"its trace lacks the attribute '{name}' of type {typeof(T).Name}");
        if (Other(op)?.Attributes.GetValueOrDefault(name) is { } other && !SameAttribute(value, other))
            throw Unsupported(op, $"its attribute '{name}' changes with a dynamic axis ({Show(value)} at the traced size, {Show(other)} one larger)");
        return typed;
    }

    /// <summary>Attribute <paramref name="name"/> if the trace has it, else <paramref name="fallback"/>.</summary>
    public T Attr<T>(TracedOp op, string name, T fallback) => op.Attributes.ContainsKey(name) ? Attr<T>(op, name) : fallback;

    /// <summary>The same op in the run with dynamic axes one larger; null without dynamic axes.</summary>
    public TracedOp? Other(TracedOp op) => ReferenceEquals(op, _op) ? _otherOp : null;

    private static bool SameAttribute(object a, object b) => (a, b) switch
    {
        (long[] x, long[] y) => x.AsSpan().SequenceEqual(y),
        _ => Equals(a, b),
    };

    private static string Show(object value) => value is long[] a ? Shapes.Format(a) : Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? "";

    // ---- sizes that may follow a dynamic axis ----

    /// <summary>
    /// A size vector (Reshape's shape, Expand's shape) as a graph value. Entries equal in both runs are constants; an
    /// entry that changes is read from the graph input axis it equals (<c>Shape</c>, <c>Gather</c>); with
    /// <paramref name="allowInfer"/>, one entry that matches no input axis becomes -1.
    /// </summary>
    public string Sizes(TracedOp op, long[] sizes, long[]? otherSizes, bool allowInfer)
    {
        if (otherSizes is null || sizes.AsSpan().SequenceEqual(otherSizes)) return Int64s(sizes);
        if (otherSizes.Length != sizes.Length) throw Unsupported(op, "its number of dimensions changes with a dynamic axis");
        var varying = Enumerable.Range(0, sizes.Length).Where(k => sizes[k] != otherSizes[k]).ToArray();
        if (allowInfer && varying.Length == 1)
        {
            var v = (long[])sizes.Clone();
            v[varying[0]] = -1;
            return Int64s(v);
        }
        var parts = new List<string>();
        var run = new List<long>();
        bool inferred = false;
        for (int k = 0; k < sizes.Length; k++)
        {
            if (sizes[k] == otherSizes[k]) { run.Add(sizes[k]); continue; }
            if (InputDim(sizes[k], otherSizes[k]) is { } dim)
            {
                if (run.Count > 0) parts.Add(Int64s([.. run]));
                run.Clear();
                parts.Add(dim);
            }
            else if (allowInfer && !inferred)
            {
                run.Add(-1);
                inferred = true;
            }
            else
                throw Unsupported(op, $"its size {k} is {sizes[k]} at the traced size and {otherSizes[k]} when a dynamic axis is one larger, which is no input's axis");
        }
        if (run.Count > 0) parts.Add(Int64s([.. run]));
        return parts.Count == 1 ? parts[0] : Node("Concat", [.. parts], Int("axis", 0));
    }

    /// <summary>
    /// A start, end or index along dimension <paramref name="dim"/> of input 0: the number when both runs agree; counted
    /// from the end (negative) when it keeps its distance from a dynamic end; <see cref="long.MaxValue"/> at the end itself.
    /// </summary>
    public long Position(TracedOp op, string attribute, int dim)
    {
        long p = (long)op.Attributes[attribute];
        if (Other(op) is not { } other) return p;
        long q = (long)other.Attributes[attribute];
        if (p == q) return p;
        long n = op.Inputs[0]._shape[dim], m = other.Inputs[0]._shape[dim];
        if (p - n == q - m) return p == n ? long.MaxValue : p - n;
        throw Unsupported(op, $"its {attribute} is {p} at the traced size and {q} when a dynamic axis is one larger, neither fixed nor a fixed distance from the end");
    }

    /// <summary>A 1-element int64 vector holding the size of the graph input axis that is <paramref name="size"/> here and <paramref name="otherSize"/> in the resized run.</summary>
    private string? InputDim(long size, long otherSize)
    {
        var inputs = _trace.Inputs;
        var others = _trace.OtherInputs!;
        for (int i = 0; i < inputs.Length; i++)
            for (int a = 0; a < inputs[i].Dim; a++)
            {
                if (inputs[i]._shape[a] != size || others[i]._shape[a] != otherSize) continue;
                if (_inputDims.TryGetValue((i, a), out var name)) return name;
                if (!_inputShapes.TryGetValue(i, out var shape))
                    _inputShapes[i] = shape = Node("Shape", [_bound[inputs[i]].Name]);
                return _inputDims[(i, a)] = Node("Gather", [shape, Int64s(a)], Int("axis", 0));
            }
        return null;
    }
}
