using System.Globalization;
using Nabla.Autograd;

namespace Nabla.NN;

/// <summary>Helpers of <c>torch.nn.utils</c>; this part clips gradients in place.</summary>
public static partial class Utils
{
    /// <summary>
    /// Scales all gradients together so that their combined norm (as if concatenated into one vector) is at most
    /// <paramref name="maxNorm"/>, and returns that total norm as a 0-d tensor (<c>torch.nn.utils.clip_grad_norm_</c>).
    /// </summary>
    /// <param name="parameters">Tensors whose <c>Grad</c> is clipped; those without a gradient are skipped.</param>
    /// <param name="maxNorm">The largest allowed total norm.</param>
    /// <param name="normType">The p of the p-norm; <see cref="double.PositiveInfinity"/> for the largest absolute value.</param>
    /// <param name="errorIfNonfinite">Throw instead of scaling when the total norm is NaN or infinite.</param>
    /// <remarks>
    /// As in PyTorch, the gradients are multiplied by <c>min(maxNorm / (total + 1e-6), 1)</c> even when no clipping is needed, and
    /// with no gradients at all the result is <c>tensor(0.)</c>.
    /// </remarks>
    public static Tensor ClipGradNorm_(IEnumerable<Tensor> parameters, double maxNorm, double normType = 2.0, bool errorIfNonfinite = false)
    {
        // Gradients are read in place: a detached view is made only where a tensor op needs one (it would keep ZeroGrad from recycling them).
        var grads = parameters.Select(p => p._grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return Torch.Tensor(0.0);
        using var noGrad = GradMode.Set(false);
        Tensor total;
        if (double.IsPositiveInfinity(normType))
        {
            var norms = grads.Select(g => GradientKernels.TryNorm(g, normType, out var n) ? n : g.Abs().Max()).ToList();
            total = norms.Count == 1 ? norms[0] : Torch.Stack(norms).Max();
        }
        else total = VectorNorm(Torch.Stack(grads.Select(g => GradientKernels.TryNorm(g, normType, out var n) ? n : VectorNorm(g, normType)).ToList()), normType);
        if (errorIfNonfinite && !double.IsFinite(total.Item<double>()))
            throw new InvalidOperationException($"The total norm of order {PythonFloatRepr.Format(normType)} for gradients from `parameters` is non-finite, so it "
                + "cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `errorIfNonfinite: false`");
        // Python's max_norm / tensor is tensor.reciprocal() * max_norm.
        var coef = (1.0 / (total + 1e-6) * maxNorm).Clamp(max: 1.0);
        double c = coef.Item<double>();
        foreach (var g in grads)
            if (!GradientKernels.TryScale(g, c)) g.Detach().Mul_(coef);
        return total;
    }

    /// <summary>Same as <see cref="ClipGradNorm_(IEnumerable{Tensor}, double, double, bool)"/> for one tensor.</summary>
    public static Tensor ClipGradNorm_(Tensor parameter, double maxNorm, double normType = 2.0, bool errorIfNonfinite = false)
        => ClipGradNorm_([parameter], maxNorm, normType, errorIfNonfinite);

    /// <summary>Clamps every gradient element to [-clipValue, clipValue] in place (<c>torch.nn.utils.clip_grad_value_</c>).</summary>
    public static void ClipGradValue_(IEnumerable<Tensor> parameters, double clipValue)
    {
        using var noGrad = GradMode.Set(false);
        foreach (var p in parameters)
            if (p._grad is { } g && !GradientKernels.TryClamp(g, -clipValue, clipValue)) g.Detach().Clamp_(-clipValue, clipValue);
    }

    /// <summary>Same as <see cref="ClipGradValue_(IEnumerable{Tensor}, double)"/> for one tensor.</summary>
    public static void ClipGradValue_(Tensor parameter, double clipValue) => ClipGradValue_([parameter], clipValue);

    // torch.norm(x, p) over all elements: count of non-zeros (p = 0), max/min |x| (±inf), else (Σ|x|^p)^(1/p).
    private static Tensor VectorNorm(Tensor x, double p) => p switch
    {
        0 => x.Ne(0.0).To(x.DType).Sum(),
        double.PositiveInfinity => x.Abs().Max(),
        double.NegativeInfinity => x.Abs().Min(),
        1 => x.Abs().Sum(),
        2 => (x * x).Sum().Sqrt(),
        _ => x.Abs().Pow(p).Sum().Pow(1 / p),
    };
}
