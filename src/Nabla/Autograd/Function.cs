using Nabla.Onnx;
using Nabla.Tracing;

namespace Nabla.Autograd;

/// <summary>
/// A custom differentiable op (<c>torch.autograd.Function</c>): override <see cref="Forward"/> and <see cref="Backward"/>
/// (or <see cref="ForwardMany"/> and <see cref="BackwardMany"/> for several outputs) and call <see cref="Apply{T}"/>. Forward
/// runs without recording; the outputs get one node named after the class (<c>ExpBackward</c> for <c>Exp</c>). Backward
/// runs with grad mode as the pass sets it, so a backward written with tensor ops supports <c>createGraph</c>. For ONNX
/// export, override <see cref="Symbolic"/> with the same computation written with traced ops; without it export is refused.
/// </summary>
public abstract class Function
{
    /// <summary>The forward computation of a one-output function, given the context and the inputs.</summary>
    protected virtual Tensor Forward(FunctionContext ctx, Tensor[] inputs)
        => throw new NotImplementedException("You must implement the forward function for custom autograd.Function.");

    /// <summary>The gradient of each input (null where none) given the output's gradient.</summary>
    protected virtual Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput)
        => throw new NotImplementedException("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.");

    /// <summary>The forward computation of a function with several outputs; by default the one output of <see cref="Forward"/>.</summary>
    protected virtual Tensor[] ForwardMany(FunctionContext ctx, Tensor[] inputs) => [Forward(ctx, inputs)];

    /// <summary>The gradient of each input given each output's gradient (zeros for outputs that got none); by default <see cref="Backward"/>.</summary>
    protected virtual Tensor?[] BackwardMany(FunctionContext ctx, Tensor[] gradOutputs) => Backward(ctx, gradOutputs[0]);

    /// <summary>
    /// The ONNX lowering (<c>symbolic</c>): the same outputs as forward, computed with Nabla ops that the exporter traces.
    /// Null (the default) means the function has no lowering, and exporting a model that calls it is refused.
    /// </summary>
    protected virtual Tensor[]? Symbolic(Tensor[] inputs) => null;

    /// <summary>The backward node's name: the class name followed by <c>Backward</c>, as PyTorch names it.</summary>
    protected virtual string NodeName => GetType().Name + "Backward";

    /// <summary>Applies a new <typeparamref name="T"/> to the inputs (<c>T.apply(*inputs)</c>) and returns its one output.</summary>
    public static Tensor Apply<T>(params Tensor[] inputs) where T : Function, new() => Apply(new T(), inputs);

    /// <summary>Applies <paramref name="function"/> (an instance may carry non-tensor arguments) and returns its one output.</summary>
    public static Tensor Apply(Function function, params Tensor[] inputs)
    {
        var outputs = ApplyMany(function, inputs);
        if (outputs.Length != 1) throw new InvalidOperationException($"{function.GetType().Name} returned {outputs.Length} outputs; use ApplyMany");
        return outputs[0];
    }

    /// <summary>Applies a new <typeparamref name="T"/> and returns all its outputs.</summary>
    public static Tensor[] ApplyMany<T>(params Tensor[] inputs) where T : Function, new() => ApplyMany(new T(), inputs);

    /// <summary>Applies <paramref name="function"/> and returns all its outputs.</summary>
    public static Tensor[] ApplyMany(Function function, params Tensor[] inputs)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        bool record = GradMode.IsEnabled;
        var ctx = new FunctionContext(inputs.Select(t => record && t.RequiresGrad).ToArray()) { Name = function.NodeName };
        Tensor[] outputs;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            outputs = function.ForwardMany(ctx, inputs);
        if (Trace.Active) outputs = function.Traced(inputs, outputs);
        for (int i = 0; i < outputs.Length; i++)
        {
            // An input returned unchanged is a new tensor object, so the input keeps its own history (PyTorch makes a view).
            if (inputs.Any(x => ReferenceEquals(x, outputs[i])) && !ctx.Dirty.Contains(outputs[i])) outputs[i] = outputs[i].Detach();
        }
        foreach (var dirty in ctx.Dirty)
            if (record && dirty.IsLeaf && dirty.RequiresGrad)
                throw new InvalidOperationException("a leaf Variable that requires grad has been used in an in-place operation.");
        ctx.SealSaved();
        if (!Graph.Needs(inputs)) return outputs;

        var node = new CustomFunctionNode(function, ctx, outputs.Select(o => (o._shape, o.DType)).ToArray());
        node.NextEdges = inputs.Select(Graph.EdgeOf).ToArray();
        for (int i = 0; i < outputs.Length; i++)
        {
            var o = outputs[i];
            if (ctx.NonDifferentiable.Contains(o) || !o.DType.IsFloatingPoint())
            {
                if (ctx.Dirty.Contains(o)) { o.GradFn = null; o.SetRequiresGradUnchecked(false); }
                continue;
            }
            if (ctx.Dirty.Contains(o) && o.IsView)
            {
                // A view written in place: its base's history becomes CopySlices over this node, as for built-in ops.
                if (outputs.Length != 1) throw new InvalidOperationException(DirtyViewWithSeveralOutputs);
                o.RebaseHistory(node);
                continue;
            }
            o.GradFn = node;
            o._outputNr = i;
            o.SetRequiresGradUnchecked(true);
        }
        return outputs;
    }

    private const string DirtyViewWithSeveralOutputs =
        "If your Function modifies inplace an input that is a view of another Tensor, your Function cannot return more than one Tensor. " +
        "This is not supported by the current autograd engine. You should either make sure the input is not a view (using .clone() for example) " +
        "or make your Function only return one Tensor (potentially splitting it into two Functions: one doing the inplace that returns a single Tensor " +
        "and a second one that does the other operations). You can ask on the forum https://discuss.pytorch.org/ if you need help to do this change.";

    // While tracing for export: the outputs of the traced lowering stand for forward's.
    private Tensor[] Traced(Tensor[] inputs, Tensor[] outputs)
    {
        Tensor[]? lowered;
        using (GradMode.Set(false)) lowered = Symbolic(inputs);
        if (lowered is null)
            throw new OnnxExportException(
                $"Cannot export custom Function '{GetType().Name}': it defines no ONNX lowering. Override Function.Symbolic to compute its outputs with traceable ops.");
        if (lowered.Length != outputs.Length)
            throw new OnnxExportException($"{GetType().Name}.Symbolic returned {lowered.Length} outputs; forward returned {outputs.Length}.");
        return lowered;
    }

    internal Tensor?[] RunBackward(FunctionContext ctx, Tensor[] gradOutputs) => BackwardMany(ctx, gradOutputs);
}

/// <summary>The backward node of a custom <see cref="Function"/> call.</summary>
internal sealed class CustomFunctionNode(Function function, FunctionContext ctx, (long[] Shape, DType DType)[] outputs) : Node
{
    public override string Name => ctx.Name;

    internal override int OutputCount => outputs.Length;

    internal override Tensor?[] Apply(Tensor?[] gradOutputs)
    {
        var grads = new Tensor[gradOutputs.Length];
        for (int i = 0; i < grads.Length; i++)
        {
            // User code sees and may keep these: the engine must never recycle them.
            grads[i] = gradOutputs[i] ?? Torch.Zeros(outputs[i].Shape, outputs[i].DType);
            grads[i]._userVisible = true;
        }
        var result = function.RunBackward(ctx, grads);
        if (result.Length != NextEdges.Length)
            throw new InvalidOperationException($"function {Name} returned an incorrect number of gradients (expected {NextEdges.Length}, got {result.Length})");
        foreach (var g in result) if (g is not null) g._userVisible = true;
        return result;
    }

    internal override void Release() => ctx.Free();
}
