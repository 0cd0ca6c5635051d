namespace Nabla.Autograd;

/// <summary>Runs the backward pass: nodes in dependency order, most recently created first among the ready ones (as PyTorch).</summary>
internal static class Engine
{
    public static void Backward(Tensor root, Tensor grad, bool retainGraph, bool createGraph)
    {
        var rootEdge = Graph.EdgeOf(root);
        if (rootEdge.Node is null)
            throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn");

        var dependencies = CountDependencies(rootEdge.Node);
        var buffers = new Dictionary<Node, Tensor?[]>();
        var ready = new PriorityQueue<Node, long>();
        Add(buffers, rootEdge, grad);
        ready.Enqueue(rootEdge.Node, -rootEdge.Node.Sequence);

        using var mode = GradMode.Set(createGraph);
        while (ready.TryDequeue(out var node, out _))
        {
            if (!buffers.Remove(node, out var gradOutputs))
            {
                // Reached by no gradient: release its successors all the same.
                foreach (var edge in node.NextEdges)
                    if (edge.Node is not null && --dependencies[edge.Node] == 0) ready.Enqueue(edge.Node, -edge.Node.Sequence);
                continue;
            }
            if (node.RetainedOutputs is not null)
                foreach (var (t, nr) in node.RetainedOutputs)
                    if (gradOutputs[nr] is { } g) t.Grad = t.Grad is null ? g.Detach().Clone() : t.Grad + g;

            var gradInputs = node.Apply(gradOutputs);
            if (!retainGraph) node.Release();
            for (int i = 0; i < node.NextEdges.Length; i++)
            {
                var edge = node.NextEdges[i];
                if (edge.Node is null) continue;
                if (i < gradInputs.Length && gradInputs[i] is { } gi) Add(buffers, edge, gi);
                if (--dependencies[edge.Node] == 0)
                    ready.Enqueue(edge.Node, -edge.Node.Sequence);
            }
        }
    }

    private static void Add(Dictionary<Node, Tensor?[]> buffers, Edge edge, Tensor grad)
    {
        if (!buffers.TryGetValue(edge.Node!, out var slots))
            buffers[edge.Node!] = slots = new Tensor?[edge.Node!.OutputCount];
        slots[edge.InputNr] = slots[edge.InputNr] is { } existing ? existing + grad : grad;
    }

    private static Dictionary<Node, int> CountDependencies(Node root)
    {
        var deps = new Dictionary<Node, int> { [root] = 0 };
        var stack = new Stack<Node>();
        stack.Push(root);
        while (stack.TryPop(out var node))
        {
            foreach (var edge in node.NextEdges)
            {
                if (edge.Node is null) continue;
                if (deps.TryGetValue(edge.Node, out int n)) deps[edge.Node] = n + 1;
                else
                {
                    deps[edge.Node] = 1;
                    stack.Push(edge.Node);
                }
            }
        }
        return deps;
    }
}
