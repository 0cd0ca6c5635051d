namespace Nabla.Autograd;

/// <summary>Records backward nodes for ops: the one place where an op's result is attached to the graph.</summary>
internal static class Graph
{
    public static bool Needs(Tensor a) => a.RequiresGrad && GradMode.IsEnabled;

    public static bool Needs(Tensor a, Tensor b) => (a.RequiresGrad || b.RequiresGrad) && GradMode.IsEnabled;

    public static bool Needs(ReadOnlySpan<Tensor> inputs)
    {
        if (!GradMode.IsEnabled) return false;
        foreach (var t in inputs) if (t.RequiresGrad) return true;
        return false;
    }

    /// <summary>Attaches <paramref name="output"/> to a new node whose backward maps its gradient to each input's.</summary>
    public static void Record(string name, Tensor output, Tensor[] inputs, Func<Tensor, Tensor?[]> backward, params Tensor[] saved)
        => RecordMulti(name, [output], inputs, g => backward(g[0]!), saved);

    /// <summary>As <see cref="Record"/> for ops with several differentiable outputs; absent output grads are null.</summary>
    public static void RecordMulti(string name, Tensor[] outputs, Tensor[] inputs, Func<Tensor?[], Tensor?[]> backward, params Tensor[] saved)
    {
        var node = MakeNode(name, outputs.Length, inputs, backward, saved);
        for (int i = 0; i < outputs.Length; i++)
        {
            outputs[i].GradFn = node;
            outputs[i]._outputNr = i;
            outputs[i].SetRequiresGradUnchecked(true);
        }
    }

    /// <summary>A node over the inputs' current histories, not yet attached to an output (an in-place op attaches it by rebasing).</summary>
    public static FunctionNode MakeNode(string name, Tensor[] inputs, Func<Tensor, Tensor?[]> backward, params Tensor[] saved)
        => MakeNode(name, 1, inputs, g => backward(g[0]!), saved);

    private static FunctionNode MakeNode(string name, int outputs, Tensor[] inputs, Func<Tensor?[], Tensor?[]> backward, Tensor[] saved)
    {
        var node = new FunctionNode(name, outputs, backward, saved);
        var edges = new Edge[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) edges[i] = EdgeOf(inputs[i]);
        node.NextEdges = edges;
        return node;
    }

    public static Edge EdgeOf(Tensor t)
    {
        if (!t.RequiresGrad) return new Edge(null, 0);
        if (t.GradFn is not null) return new Edge(t.GradFn, t._outputNr);
        return new Edge(t._gradAccumulator ??= new AccumulateGrad(t), 0);
    }
}
