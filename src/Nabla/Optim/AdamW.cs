namespace Nabla.Optim;

/// <summary>Adam with decoupled weight decay: the parameter shrinks by <c>1 - lr * weight_decay</c> each step (<c>torch.optim.AdamW</c>).</summary>
/// <remarks>State per parameter as <see cref="Adam"/>. The default weight decay is 0.01.</remarks>
public sealed class AdamW : Optimizer
{
    /// <summary>AdamW over one group; <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public AdamW(IEnumerable<Tensor> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay, amsgrad, maximize) { }

    /// <summary>AdamW over parameter groups; each group's unset options take these values.</summary>
    public AdamW(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 1e-2, bool amsgrad = false, bool maximize = false)
        : base(groups, MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, amsgrad, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay, bool amsgrad, bool maximize)
    {
        OptimizerArgs.AdamFamily(lr, betas, eps, weightDecay);
        return new()
        {
            ["lr"] = lr,
            ["betas"] = betas,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["amsgrad"] = amsgrad,
            ["foreach"] = null,
            ["maximize"] = maximize,
            ["capturable"] = false,
        };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
        => AdamRule.Update(group, param, grad, state, decoupledWeightDecay: true);
}
