using Nabla.Memory;

namespace Nabla.Autograd;

/// <summary>Runs the backward pass: nodes in dependency order, most recently created first among the ready ones (as PyTorch).</summary>
internal static class Engine
{
    [ThreadStatic] private static int t_pass;
    private static int s_passes;

    /// <summary>The backward pass running on this thread (0: none); storages record it when allocated.</summary>
    public static int CurrentPass => t_pass;

    public static void Backward(Tensor root, Tensor grad, bool retainGraph, bool createGraph)
    {
        var rootEdge = Graph.EdgeOf(root);
        if (rootEdge.Node is null)
            throw new InvalidOperationException("element 0 of tensors does not require grad and does not have a grad_fn");
        Run(rootEdge, grad, retainGraph, createGraph, null);
    }

    /// <summary>
    /// Runs from <paramref name="rootEdge"/> (a real node, or a <see cref="GraphRoot"/> for several outputs). With
    /// <paramref name="captures"/>, only the nodes that lead to a captured edge run, and each captured edge's gradient
    /// (after the tensor's hooks) is returned in the capture's slot: <c>torch.autograd.grad</c> and <c>backward(inputs=...)</c>.
    /// </summary>
    public static void Run(Edge rootEdge, Tensor grad, bool retainGraph, bool createGraph, CaptureSet? captures)
    {
        // Not a step boundary: the whole forward graph is alive here.
        BufferPool.SafePoint(stepBoundary: false);

        // The work tables of one pass are reused by the next on this thread (a nested pass makes its own).
        var scratch = t_scratch ?? new Scratch();
        t_scratch = null;
        var (dependencies, buffers, ready) = (scratch.Dependencies, scratch.Buffers, scratch.Ready);
        CountDependencies(rootEdge.Node!, dependencies, scratch.Stack);
        captures?.MarkNeeded(rootEdge.Node!);
        int outerPass = t_pass;
        t_pass = Interlocked.Increment(ref s_passes);
        // With createGraph, gradients are graph tensors that user code may keep: nothing is recycled.
        var holds = createGraph ? null : scratch.Holds.Begin(t_pass);
        bool anomaly = AnomalyMode.IsEnabled;
        try
        {
            Add(buffers, rootEdge, grad, holds);
            ready.Enqueue(rootEdge.Node!, -rootEdge.Node!.Sequence);

            using var mode = GradMode.Set(createGraph);
            while (ready.TryDequeue(out var node, out _))
            {
                if (!buffers.Remove(node, out var gradOutputs))
                {
                    // Reached by no gradient: release its successors all the same.
                    ReleaseSuccessors(node, dependencies, ready);
                    continue;
                }
                if (node.Hooks is { } hooks)
                {
                    // Retained gradients are taken after every hook, as PyTorch 2.x does.
                    if (hooks.TensorHooks is { } tensorHooks) Node.RunTensorHooks(tensorHooks, gradOutputs);
                    if (hooks.RetainedOutputs is { } retained)
                        foreach (var (t, nr) in retained)
                            if (gradOutputs[nr] is { } g) t.Grad = t.Grad is null ? g.Detach().Clone() : t.Grad + g;
                }
                if (captures is not null)
                {
                    captures.Capture(node, gradOutputs);
                    if (!captures.IsNeeded(node))
                    {
                        ReleaseSuccessors(node, dependencies, ready);
                        continue;
                    }
                }

                Tensor?[] gradInputs;
                if (node is AccumulateGrad sink && holds is not null && gradOutputs[0] is { } leafGrad)
                {
                    sink.Accumulate(leafGrad, steal: holds.IsSoleHolder(leafGrad));
                    if (ReferenceEquals(sink.Variable._grad, leafGrad)) holds.Forget(leafGrad);
                    gradInputs = [];
                }
                else gradInputs = node.Apply(gradOutputs);
                if (anomaly) AnomalyMode.Check(node, gradInputs);
                if (!retainGraph) node.Release();
                for (int i = 0; i < gradInputs.Length; i++)
                {
                    if (gradInputs[i] is not { } gi) continue;
                    var edge = i < node.NextEdges.Length ? node.NextEdges[i] : default;
                    if (edge.Node is null) holds?.RecycleIfUnheld(gi);
                    else Add(buffers, edge, gi, holds);
                }
                ReleaseSuccessors(node, dependencies, ready);
                if (holds is not null)
                    foreach (var g in gradOutputs) if (g is not null) holds.Drop(g);
            }
        }
        finally
        {
            t_pass = outerPass;
            scratch.Clear();
            t_scratch = scratch;
        }
    }

    private static void ReleaseSuccessors(Node node, Dictionary<Node, int> dependencies, PriorityQueue<Node, long> ready)
    {
        foreach (var edge in node.NextEdges)
            if (edge.Node is not null && --dependencies[edge.Node] == 0) ready.Enqueue(edge.Node, -edge.Node.Sequence);
    }

    [ThreadStatic] private static Scratch? t_scratch;

    private sealed class Scratch
    {
        public readonly Dictionary<Node, int> Dependencies = new(ReferenceEqualityComparer.Instance);
        public readonly Dictionary<Node, Tensor?[]> Buffers = new(ReferenceEqualityComparer.Instance);
        public readonly PriorityQueue<Node, long> Ready = new();
        public readonly Stack<Node> Stack = new();
        public readonly GradientHolds Holds = new();

        public void Clear()
        {
            Dependencies.Clear();
            Buffers.Clear();
            Ready.Clear();
            Stack.Clear();
            Holds.Clear();
        }
    }

    private static void Add(Dictionary<Node, Tensor?[]> buffers, Edge edge, Tensor grad, GradientHolds? holds)
    {
        if (!buffers.TryGetValue(edge.Node!, out var slots))
            buffers[edge.Node!] = slots = new Tensor?[edge.Node!.OutputCount];
        var existing = slots[edge.InputNr];
        if (existing is null)
        {
            slots[edge.InputNr] = grad;
            holds?.Hold(grad);
        }
        else if (holds is not null && holds.CanAccumulateInPlace(existing, grad))
        {
            existing.Add_(grad);
            holds.RecycleIfUnheld(grad);
        }
        else
        {
            var sum = existing + grad;
            slots[edge.InputNr] = sum;
            if (holds is null) return;
            holds.Hold(sum);
            holds.Drop(existing);
            holds.RecycleIfUnheld(grad);
        }
    }

    private static void CountDependencies(Node root, Dictionary<Node, int> deps, Stack<Node> stack)
    {
        deps[root] = 0;
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
    }
}
