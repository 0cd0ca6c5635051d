namespace Nabla.Autograd;

/// <summary>
/// The inputs of <c>torch.autograd.grad</c> or <c>backward(inputs=...)</c>: which nodes must run to reach them, and
/// the gradient each one receives. For <c>grad</c> nothing accumulates; for <c>backward(inputs)</c> only the named
/// tensors accumulate into their <c>.grad</c>.
/// </summary>
internal sealed class CaptureSet
{
    private readonly Tensor[] _inputs;
    private readonly Edge[] _edges;
    private readonly bool _accumulate;
    private readonly HashSet<Node> _stops = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Node> _runs = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<Node> _needed = new(ReferenceEqualityComparer.Instance);

    public CaptureSet(Tensor[] inputs, bool accumulate) : this(inputs.Select(Graph.EdgeOf).ToArray(), inputs, accumulate) { }

    /// <summary>Captures the gradients arriving at <paramref name="edges"/> (a checkpoint's boundary), accumulating nothing.</summary>
    public CaptureSet(Edge[] edges) : this(edges, [], false) { }

    private CaptureSet(Edge[] edges, Tensor[] inputs, bool accumulate)
    {
        _inputs = inputs;
        _accumulate = accumulate;
        _edges = edges;
        Results = new Tensor?[edges.Length];
        for (int i = 0; i < edges.Length; i++)
        {
            if (_edges[i].Node is not { } node) continue;
            // backward(inputs) runs a named leaf's AccumulateGrad; every other input is captured where its gradient arrives.
            if (accumulate && node is AccumulateGrad) _runs.Add(node);
            else _stops.Add(node);
        }
    }

    /// <summary>The gradient captured for each input (null where none arrived).</summary>
    public Tensor?[] Results { get; }

    public bool IsNeeded(Node node) => _needed.Contains(node);

    /// <summary>Marks the nodes reachable from <paramref name="root"/> that lead to an input (PyTorch's exec_info).</summary>
    public void MarkNeeded(Node root)
    {
        var done = new Dictionary<Node, bool>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<(Node Node, bool Expanded)>();
        stack.Push((root, false));
        while (stack.TryPop(out var item))
        {
            var node = item.Node;
            if (!item.Expanded)
            {
                if (done.ContainsKey(node)) continue;
                done[node] = false;
                stack.Push((node, true));
                foreach (var e in node.NextEdges)
                    if (e.Node is not null && !done.ContainsKey(e.Node)) stack.Push((e.Node, false));
                continue;
            }
            // A graph is acyclic: every successor has been finished by the time its predecessor is.
            bool needed = _runs.Contains(node);
            foreach (var e in node.NextEdges)
                if (e.Node is not null && (_stops.Contains(e.Node) || done[e.Node])) needed = true;
            done[node] = needed;
            if (needed) _needed.Add(node);
        }
    }

    /// <summary>Takes the gradients of the inputs that are outputs of <paramref name="node"/>.</summary>
    public void Capture(Node node, Tensor?[] gradOutputs)
    {
        if (!_stops.Contains(node)) return;
        for (int i = 0; i < _edges.Length; i++)
        {
            if (!ReferenceEquals(_edges[i].Node, node) || gradOutputs[_edges[i].InputNr] is not { } g) continue;
            // Handed to user code: the engine must never recycle it.
            g._userVisible = true;
            Results[i] = g;
            if (_accumulate) AccumulateGrad.Accumulate(_inputs[i], g);
        }
    }
}

/// <summary>The root of a backward pass from several outputs at once: hands each output its gradient.</summary>
internal sealed class GraphRoot : Node
{
    private readonly Tensor[] _grads;

    public GraphRoot(Edge[] outputs, Tensor[] grads)
    {
        NextEdges = outputs;
        _grads = grads;
    }

    public override string Name => "GraphRoot";

    internal override Tensor?[] Apply(Tensor?[] gradOutputs) => _grads;
}
