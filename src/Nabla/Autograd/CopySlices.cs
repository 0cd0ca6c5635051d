namespace Nabla.Autograd;

/// <summary>
/// The history of a base after an in-place op wrote through one of its views (PyTorch's <c>CopySlices</c>): the gradient
/// outside the view goes to the base's earlier history unchanged; inside it, through the in-place op's own node.
/// </summary>
internal sealed class CopySlices : Node
{
    private readonly Geometry _base;
    private readonly Geometry _view;
    private Node? _fn;

    /// <summary>Rebases <paramref name="baseEdge"/> (the base's history so far) over <paramref name="fn"/>, the node of an op that wrote the view in place.</summary>
    public CopySlices(Geometry baseGeometry, Geometry view, Node fn, Edge baseEdge)
    {
        _base = baseGeometry;
        _view = view;
        _fn = fn;
        // The op's edges, except its first (the view's old value): the base's history takes its place.
        var edges = new Edge[Math.Max(fn.NextEdges.Length, 1)];
        edges[0] = baseEdge;
        for (int i = 1; i < fn.NextEdges.Length; i++) edges[i] = fn.NextEdges[i];
        NextEdges = edges;
    }

    public override string Name => "CopySlices";

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var grads = new Tensor?[NextEdges.Length];
        if (gradOutputs[0] is not { } g) return grads;
        var fn = _fn ?? throw new InvalidOperationException(FunctionNode.BackwardTwiceMessage);
        var res = fn.Apply([Tensor.AsStridedGather(g, _base, _view)]);
        if (NextEdges[0].Node is not null) grads[0] = Tensor.ReplaceInView(g, res.Length > 0 ? res[0] : null, _base, _view);
        for (int i = 1; i < grads.Length && i < res.Length; i++) grads[i] = res[i];
        return grads;
    }

    // As PyTorch's CopySlices, it lets go of the op's node after a backward without retainGraph, saved tensors or not.
    internal override void Release()
    {
        _fn?.Release();
        _fn = null;
    }
}
