using Nabla.Autograd;

namespace Nabla.NN;

/// <summary>
/// One call of a module with full backward hooks (PyTorch's <c>BackwardHook</c>): identity nodes named
/// BackwardHookFunctionBackward around the inputs and the output catch the output gradient (running the pre-hooks on it)
/// and then the input gradients (running the hooks on both).
/// </summary>
internal sealed class BackwardHookCall(Module module, FullBackwardPreHook[] preHooks, FullBackwardHook[] hooks)
{
    private const string NodeName = "BackwardHookFunctionBackward";
    private Tensor?[] _gradOutput = [];
    private bool _inputsNeedGrad;

    public Tensor[] WrapInputs(Tensor[] inputs)
    {
        var wrapped = inputs.ToArray();
        var needing = Enumerable.Range(0, inputs.Length).Where(i => inputs[i].RequiresGrad).ToArray();
        _inputsNeedGrad = needing.Length > 0;
        if (!_inputsNeedGrad) return wrapped;
        foreach (int i in needing) wrapped[i] = inputs[i].Detach();
        Graph.RecordMulti(NodeName, needing.Select(i => wrapped[i]).ToArray(), needing.Select(i => inputs[i]).ToArray(), grads =>
        {
            var gradInput = new Tensor?[inputs.Length];
            for (int k = 0; k < needing.Length; k++) gradInput[needing[k]] = grads[k];
            gradInput = RunHooks(gradInput);
            return needing.Select(i => gradInput[i]).ToArray();
        });
        return wrapped;
    }

    public Tensor WrapOutput(Tensor output)
    {
        if (!output.RequiresGrad) return output;
        var wrapped = output.Detach();
        Graph.RecordMulti(NodeName, [wrapped], [output], grads =>
        {
            var gradOutput = grads.ToArray();
            Visible(gradOutput);
            foreach (var pre in preHooks)
                if (pre(module, gradOutput) is { } replaced) gradOutput = Checked(replaced, gradOutput, "pre-hook", "grad_output");
            _gradOutput = gradOutput;
            // With no input that requires grad, PyTorch calls the hooks here, with all-None input gradients.
            if (!_inputsNeedGrad) RunHooks([null]);
            return gradOutput;
        });
        return wrapped;
    }

    private Tensor?[] RunHooks(Tensor?[] gradInput)
    {
        Visible(gradInput);
        foreach (var hook in hooks)
            if (hook(module, gradInput, _gradOutput) is { } replaced) gradInput = Checked(replaced, gradInput, "hook", "grad_input");
        return gradInput;
    }

    private static Tensor?[] Checked(Tensor?[] replaced, Tensor?[] original, string kind, string what)
    {
        if (replaced.Length != original.Length)
            throw new InvalidOperationException($"Backward {kind} returned an invalid number of {what}, got {replaced.Length}, but expected {original.Length}");
        Visible(replaced);
        return replaced;
    }

    // Hooks are user code that may keep what it sees: the engine must never recycle those tensors.
    private static void Visible(Tensor?[] grads)
    {
        foreach (var g in grads) if (g is not null) g._userVisible = true;
    }
}
