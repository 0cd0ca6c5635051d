namespace Nabla.Autograd;

/// <summary>
/// Checks second derivatives against finite differences (<c>torch.autograd.gradgradcheck</c>): the map from
/// (inputs, output gradients) to the input gradients, computed by backward with <c>createGraph</c>, is itself checked
/// with <see cref="GradCheck"/>. It fails where a backward is not differentiable or its derivative is wrong. Use float64.
/// </summary>
public static class GradGradCheck
{
    /// <summary>Checks a function of several tensors with one output; see <see cref="Check(Func{Tensor[], Tensor[]}, Tensor[], Tensor[], double, double, double, bool)"/>.</summary>
    public static bool Check(Func<Tensor[], Tensor> function, Tensor[] inputs, Tensor[]? gradOutputs = null, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
        => Check(x => [function(x)], inputs, gradOutputs, eps, atol, rtol, raiseException);

    /// <summary>
    /// Checks a function with several outputs (<c>torch.autograd.gradgradcheck(fn, inputs, grad_outputs, eps, atol, rtol, raise_exception)</c>).
    /// Without <paramref name="gradOutputs"/>, random ones (seeded, so the check is repeatable) are used for each
    /// floating output that requires grad. Returns true when all second derivatives match; otherwise throws
    /// <see cref="GradCheckException"/>, or returns false when <paramref name="raiseException"/> is false.
    /// </summary>
    public static bool Check(Func<Tensor[], Tensor[]> function, Tensor[] inputs, Tensor[]? gradOutputs = null, double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        int n = inputs.Length;
        if (gradOutputs is null)
        {
            var generator = new Generator().ManualSeed(0);
            Tensor[] outputs;
            using (GradMode.Set(true)) outputs = function(inputs.Select(x => x.RequiresGrad ? x.Detach().Clone().RequiresGrad_() : x).ToArray());
            gradOutputs = Differentiable(outputs).Select(o => Torch.Randn(o._shape, o.DType, generator: generator)).ToArray();
        }
        var all = inputs.Concat(gradOutputs.Select(g => g.Detach().Clone().RequiresGrad_())).ToArray();
        return GradCheck.Check(args => FirstGradients(function, args[..n], args[n..]), all, eps, atol, rtol, raiseException);
    }

    // The gradients of the differentiable outputs with respect to the inputs that require grad, as graph tensors.
    private static Tensor[] FirstGradients(Func<Tensor[], Tensor[]> function, Tensor[] inputs, Tensor[] gradOutputs)
    {
        using var grad = GradMode.Set(true);
        var outputs = Differentiable(function(inputs));
        var wrt = inputs.Where(x => x.RequiresGrad).ToArray();
        if (outputs.Length == 0) return [];
        return Autograd.Grad(outputs, wrt, gradOutputs[..outputs.Length], createGraph: true, allowUnused: true)
            .Where(g => g is not null).Select(g => g!).ToArray();
    }

    private static Tensor[] Differentiable(Tensor[] outputs) => outputs.Where(o => o.DType.IsFloatingPoint() && o.RequiresGrad).ToArray();
}
