namespace Nabla.Autograd;

/// <summary>
/// The <c>torch.autograd</c> functions: <see cref="Grad"/>, <see cref="DetectAnomaly"/> and <c>Functional</c>.
/// With <c>using Nabla.Autograd;</c> user code writes <c>Autograd.Grad(...)</c> as Python writes <c>torch.autograd.grad(...)</c>.
/// </summary>
public static partial class Autograd
{
    /// <summary>
    /// Gradients of <paramref name="outputs"/> with respect to <paramref name="inputs"/>, returned rather than accumulated
    /// into <c>.Grad</c> (<c>torch.autograd.grad(outputs, inputs, grad_outputs, retain_graph, create_graph, allow_unused)</c>).
    /// A non-scalar output needs its gradient in <paramref name="gradOutputs"/>; <paramref name="retainGraph"/> defaults to
    /// <paramref name="createGraph"/>; with <paramref name="createGraph"/> the gradients are themselves differentiable. An input
    /// the outputs do not depend on is an error unless <paramref name="allowUnused"/>, which returns null for it.
    /// </summary>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor?[]? gradOutputs = null, bool? retainGraph = null, bool createGraph = false, bool allowUnused = false)
    {
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.Length == 0) throw new ArgumentException("grad requires non-empty inputs.");
        foreach (var input in inputs)
            if (!input.RequiresGrad) throw new InvalidOperationException("One of the differentiated Tensors does not require grad");
        var captures = new CaptureSet(inputs, accumulate: false);
        Run(outputs, gradOutputs, retainGraph ?? createGraph, createGraph, captures);
        var results = captures.Results;
        if (!allowUnused)
            foreach (var r in results)
                if (r is null)
                    throw new InvalidOperationException("One of the differentiated Tensors appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.");
        return results;
    }

    /// <summary>Backward from several outputs at once (<c>torch.autograd.backward(tensors, grad_tensors, retain_graph, create_graph, inputs)</c>).</summary>
    public static void Backward(Tensor[] tensors, Tensor?[]? gradTensors = null, bool? retainGraph = null, bool createGraph = false, Tensor[]? inputs = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        CaptureSet? captures = null;
        if (inputs is not null)
        {
            if (inputs.Length == 0) throw new ArgumentException("'inputs' argument to backward() cannot be empty.");
            captures = new CaptureSet(inputs, accumulate: true);
        }
        Run(tensors, gradTensors, retainGraph ?? createGraph, createGraph, captures);
    }

    /// <summary>
    /// Turns on anomaly detection until disposed (<c>with torch.autograd.detect_anomaly():</c>): a backward node that
    /// returns NaN throws <c>Function 'DivBackward0' returned nan values in its 0th output.</c>
    /// </summary>
    public static IDisposable DetectAnomaly() => AnomalyMode.Enter();

    internal static void Run(Tensor[] outputs, Tensor?[]? gradOutputs, bool retainGraph, bool createGraph, CaptureSet? captures)
    {
        if (gradOutputs is not null && gradOutputs.Length != outputs.Length)
            throw new ArgumentException($"grad can be implicitly created only for scalar outputs; got {gradOutputs.Length} gradients for {outputs.Length} outputs");
        var edges = new Edge[outputs.Length];
        var grads = new Tensor[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            var output = outputs[i];
            edges[i] = Graph.EdgeOf(output);
            if (edges[i].Node is null)
                throw new InvalidOperationException($"element {i} of tensors does not require grad and does not have a grad_fn");
            grads[i] = GradientFor(output, gradOutputs?[i], i);
        }
        if (outputs.Length == 1) Engine.Run(edges[0], grads[0], retainGraph, createGraph, captures);
        else Engine.Run(new Edge(new GraphRoot(edges, grads), 0), grads[0], retainGraph, createGraph, captures);
    }

    /// <summary>The gradient an output starts from: the one given, or ones for a one-element output.</summary>
    internal static Tensor GradientFor(Tensor output, Tensor? gradient, int index)
    {
        if (gradient is null)
        {
            if (output._numel != 1) throw new InvalidOperationException($"grad can be implicitly created only for scalar outputs (got shape {Shapes.Format(output._shape)})");
            return Torch.Ones(output._shape, output.DType);
        }
        if (!Shapes.SameShape(gradient._shape, output._shape))
            throw new ArgumentException($"Mismatch in shape: grad_output[{index}] has a shape of {gradient.Size()} and output[{index}] has a shape of {output.Size()}.");
        return gradient.DType == output.DType ? gradient : gradient.To(output.DType);
    }
}
