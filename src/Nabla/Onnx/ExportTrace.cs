using Nabla.NN;
using Nabla.Tracing;

namespace Nabla.Onnx;

/// <summary>
/// The forward pass as the exporter sees it: the ops one traced run recorded, and, when some axes are dynamic, the
/// ops of a second run with every dynamic axis one larger. Comparing the two runs tells which sizes and positions
/// follow a dynamic axis; the graph is built from the first.
/// </summary>
internal sealed class ExportTrace
{
    public required List<TracedOp> Ops { get; init; }
    public required Tensor[] Inputs { get; init; }
    public required int[] InputVersions { get; init; }
    public required Tensor[] Outputs { get; init; }

    /// <summary>The ops of the resized run, aligned one to one with <see cref="Ops"/>; null without dynamic axes.</summary>
    public List<TracedOp>? OtherOps { get; init; }

    /// <summary>The inputs of the resized run; null without dynamic axes.</summary>
    public Tensor[]? OtherInputs { get; init; }

    /// <summary>The outputs of the resized run; null without dynamic axes.</summary>
    public Tensor[]? OtherOutputs { get; init; }

    /// <summary>Runs <paramref name="forward"/> once under a trace and no-grad, with <paramref name="module"/> in eval mode as torch.onnx.export does by default.</summary>
    public static (List<TracedOp> Ops, int[] InputVersions, Tensor[] Outputs) Run(Module module, Func<Tensor[], Tensor[]> forward, Tensor[] inputs)
    {
        var modes = module.Modules().Select(m => (m, m.Training)).ToArray();
        module.Eval();
        try
        {
            using (Torch.NoGrad())
            using (var session = Trace.Begin())
            {
                var versions = Array.ConvertAll(inputs, t => t.Version);
                Tensor[] outputs;
                try
                {
                    outputs = forward(inputs);
                }
                catch (Exception e) when (e is not OnnxExportException)
                {
                    var shapes = string.Join(", ", inputs.Select(t => Shapes.Format(t._shape)));
                    throw new OnnxExportException(
                        $"The forward pass of {module.GetType().Name} failed while tracing it with {inputs.Length} input(s) of shape {shapes}: {e.Message}", e);
                }
                if (outputs is null || outputs.Length == 0 || outputs.Any(o => o is null))
                    throw new OnnxExportException($"The forward pass of {module.GetType().Name} returned no output tensor to export.");
                return (session.Ops, versions, outputs);
            }
        }
        finally
        {
            // Pre-order: a parent's Train resets its children, which are then set back in turn.
            foreach (var (m, training) in modes) m.Train(training);
        }
    }

    /// <summary>The inputs with each dynamic axis one larger (the axis' first slice appended), for the second run.</summary>
    public static Tensor[] Resized(Tensor[] inputs, IReadOnlyList<IReadOnlyDictionary<int, string>> dynamicAxes, string[] names)
    {
        var resized = new Tensor[inputs.Length];
        using (Torch.NoGrad())
            for (int i = 0; i < inputs.Length; i++)
            {
                var t = inputs[i];
                foreach (var axis in dynamicAxes[i].Keys.Order())
                {
                    if (t._shape[axis] == 0)
                        throw new OnnxExportException($"Input '{names[i]}' has size 0 on dynamic axis {axis}; trace with at least one element along it.");
                    t = Torch.Cat([t, t.Narrow(axis, 0, 1)], axis);
                }
                resized[i] = t;
            }
        return resized;
    }

    /// <summary>Checks that the resized run recorded the same ops; the graph is meaningless for other sizes otherwise.</summary>
    public static void CheckAligned(List<TracedOp> ops, List<TracedOp> other, string moduleName)
    {
        for (int i = 0; i < Math.Min(ops.Count, other.Count); i++)
        {
            var (a, b) = (ops[i], other[i]);
            if (a.Kind != b.Kind || a.Inputs.Length != b.Inputs.Length || a.Outputs.Length != b.Outputs.Length)
                throw new OnnxExportException(
                    $"The forward pass of {moduleName} runs different ops when a dynamic axis changes size (op {i} is '{a.Kind}' at the traced size and '{b.Kind}' one larger); it cannot be exported with those axes dynamic.");
        }
        if (ops.Count != other.Count)
            throw new OnnxExportException(
                $"The forward pass of {moduleName} runs {ops.Count} ops at the traced size and {other.Count} when a dynamic axis is one larger; it cannot be exported with those axes dynamic.");
    }
}
