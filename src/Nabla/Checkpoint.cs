using Nabla.Autograd;

namespace Nabla;

/// <summary>
/// Activation checkpointing (<c>torch.utils.checkpoint.checkpoint(fn, x, use_reentrant=False)</c>): the block's
/// intermediate tensors are not kept; backward runs the block again, with the random generator put back where it was,
/// so dropout inside draws the same mask, and differentiates the recomputation. Gradients equal the plain ones.
/// </summary>
public static class Checkpoint
{
    /// <summary>Runs <paramref name="function"/> on <paramref name="input"/>, keeping only what backward needs to run it again.</summary>
    public static Tensor Run(Func<Tensor, Tensor> function, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(input);
        if (!GradMode.IsEnabled) return function(input);
        var rng = Generator.Default.GetState();
        long start = Node.NextSequence;
        var output = function(input);
        if (!output.RequiresGrad) return output;
        // The graph just recorded is walked once for the edges it leaves the block by (parameters, the input's history), then dropped.
        var boundary = Boundary(output, start);
        var result = output.Detach();
        var node = new CheckpointNode(function, input, rng, boundary, start);
        node.NextEdges = boundary;
        result.GradFn = node;
        result.SetRequiresGradUnchecked(true);
        return result;
    }

    // Edges from nodes made inside the block to nodes made before it, and to leaves.
    internal static Edge[] Boundary(Tensor output, long start)
    {
        var edges = new List<Edge>();
        var seen = new HashSet<Node>(ReferenceEqualityComparer.Instance);
        var stack = new Stack<Node>();
        stack.Push(output.GradFn!);
        while (stack.TryPop(out var node))
        {
            if (!seen.Add(node)) continue;
            foreach (var e in node.NextEdges)
            {
                if (e.Node is null) continue;
                if (e.Node is AccumulateGrad || e.Node.Sequence < start)
                {
                    if (!edges.Contains(e)) edges.Add(e);
                }
                else stack.Push(e.Node);
            }
        }
        return [.. edges];
    }

    private sealed class CheckpointNode(Func<Tensor, Tensor> function, Tensor input, GeneratorState rng, Edge[] boundary, long start) : Node
    {
        public override string Name => "CheckpointFunctionBackward";

        internal override Tensor?[] Apply(Tensor?[] gradOutputs)
        {
            var current = Generator.Default.GetState();
            Generator.Default.SetState(rng);
            bool createGraph = GradMode.IsEnabled;
            Tensor output;
            try
            {
                using (GradMode.Set(true)) output = function(input);
            }
            finally
            {
                Generator.Default.SetState(current);
            }
            var captures = new CaptureSet(boundary);
            var root = Graph.EdgeOf(output);
            if (root.Node is not null && root.Node.Sequence >= start)
                Engine.Run(root, gradOutputs[0]!, retainGraph: createGraph, createGraph, captures);
            return captures.Results;
        }
    }
}
