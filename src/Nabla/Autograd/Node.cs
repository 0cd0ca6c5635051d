namespace Nabla.Autograd;

/// <summary>
/// A node of the backward graph (<c>torch.autograd.graph.Node</c>, what <c>tensor.grad_fn</c> returns).
/// Its <see cref="Name"/> is PyTorch's (<c>MulBackward0</c>) because users print it.
/// </summary>
public abstract class Node
{
    private static long s_sequence;

    internal readonly long Sequence = Interlocked.Increment(ref s_sequence);

    /// <summary>The sequence number the next node will have at least: nodes made after this call compare greater or equal.</summary>
    internal static long NextSequence => Interlocked.Read(ref s_sequence) + 1;
    internal Edge[] NextEdges = [];
    // Hooks and retained gradients are rare: one field for both keeps every node as small as before.
    internal NodeHooks? Hooks;

    /// <summary>PyTorch's class name of the node, e.g. <c>AddBackward0</c>.</summary>
    public abstract string Name { get; }

    /// <summary>The nodes that receive this node's input gradients (<c>grad_fn.next_functions</c>); null where an input needs none.</summary>
    public IReadOnlyList<Node?> NextFunctions => NextEdges.Select(e => e.Node).ToArray();

    internal virtual int OutputCount => 1;

    /// <summary>Gradients for each input edge, given the gradients of each output.</summary>
    internal abstract Tensor?[] Apply(Tensor?[] gradOutputs);

    internal virtual void Release() { }

    /// <summary>Runs the hooks registered on this node's outputs, in registration order, on their gradients (a hook may replace one).</summary>
    internal static void RunTensorHooks(List<TensorHook> hooks, Tensor?[] gradOutputs)
    {
        foreach (var hook in hooks.ToArray())
        {
            if (gradOutputs[hook.OutputNr] is not { } g) continue;
            // User code sees (and may keep) the gradient and what it returns: neither may be recycled.
            g._userVisible = true;
            if (hook.Function(g) is not { } replaced) continue;
            if (!Shapes.SameShape(replaced._shape, g._shape))
                throw new InvalidOperationException("hook 'hook' has changed the size of value");
            replaced._userVisible = true;
            gradOutputs[hook.OutputNr] = replaced;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"<{Name} object>";
}

/// <summary>What a node carries only when asked: tensor hooks on its outputs and the outputs that retain their gradient.</summary>
internal sealed class NodeHooks
{
    public List<(Tensor Tensor, int OutputNr)>? RetainedOutputs;
    public List<TensorHook>? TensorHooks;
}

/// <summary>A hook on the gradient of one output of a node (a tensor's <c>register_hook</c>).</summary>
internal sealed record TensorHook(int OutputNr, Func<Tensor, Tensor?> Function);

/// <summary>Where an input's gradient goes: a node and which of its outputs the input was.</summary>
internal readonly record struct Edge(Node? Node, int InputNr);

/// <summary>An op's backward written as a closure over other ops, beside its forward.</summary>
internal sealed class FunctionNode : Node
{
    private readonly string _name;
    private readonly int _outputs;
    private Func<Tensor?[], Tensor?[]>? _backward;
    private readonly (Tensor Tensor, int Version)[] _saved;

    public FunctionNode(string name, int outputs, Func<Tensor?[], Tensor?[]> backward, Tensor[] saved)
    {
        _name = name;
        _outputs = outputs;
        _backward = backward;
        _saved = new (Tensor, int)[saved.Length];
        for (int i = 0; i < saved.Length; i++) _saved[i] = (saved[i], saved[i]._storage.Version);
    }

    public override string Name => _name;

    internal const string BackwardTwiceMessage =
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
        "Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). " +
        "Specify retain_graph=True (retainGraph: true) if you need to backward through the graph a second time.";

    internal override int OutputCount => _outputs;

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        if (_backward is null) throw new InvalidOperationException(BackwardTwiceMessage);
        foreach (var (t, version) in _saved)
        {
            if (t._storage.Version != version)
                throw new InvalidOperationException(
                    $"one of the variables needed for gradient computation has been modified by an inplace operation: " +
                    $"[{t.DType.TorchName()} {Shapes.Format(t._shape)}], which is saved by {_name}, is at version {t._storage.Version}; " +
                    $"expected version {version} instead.");
        }
        return _backward(gradOutputs);
    }

    // As in PyTorch, only saved tensors are freed: a node that saved none can run again without retainGraph.
    internal override void Release()
    {
        if (_saved.Length > 0) _backward = null;
    }
}

/// <summary>The sink of a leaf tensor's gradient (<c>AccumulateGrad</c>): sets or adds to <c>tensor.grad</c>.</summary>
public sealed class AccumulateGrad : Node
{
    internal AccumulateGrad(Tensor variable) => Variable = variable;

    /// <summary>The leaf tensor whose <see cref="Tensor.Grad"/> this node fills (<c>node.variable</c>).</summary>
    public Tensor Variable { get; }

    /// <inheritdoc/>
    public override string Name => "AccumulateGrad";

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var grad = gradOutputs[0];
        if (grad is null) return [];
        Accumulate(Variable, grad);
        return [];
    }

    /// <summary>
    /// Adds <paramref name="grad"/> into the leaf's gradient. With <paramref name="steal"/> (the engine holds the only
    /// reference to a dense gradient it made) the leaf takes the tensor itself as its first .grad instead of a copy.
    /// </summary>
    internal void Accumulate(Tensor grad, bool steal)
    {
        if (steal && Variable._grad is null && !GradMode.IsEnabled
            && grad.DType == Variable.DType && Shapes.SameShape(grad._shape, Variable._shape))
        {
            // The views that backward closures made of this storage died with them: the gradient is its sole tensor now.
            grad._storage.Tensors = 1;
            Variable._grad = grad;
            return;
        }
        Accumulate(Variable, grad);
    }

    internal static void Accumulate(Tensor variable, Tensor grad)
    {
        // The incoming gradient may be shared (a + b hands the same tensor to both leaves, or it is the caller's
        // gradient), and later accumulation is in place: the first grad of a leaf is its own copy.
        if (variable._grad is null)
            variable._grad = GradMode.IsEnabled ? grad : grad.Detach().Clone();
        else if (GradMode.IsEnabled)
            variable._grad = variable._grad + grad;
        else
            variable._grad.Add_(grad);
    }
}
