namespace Nabla.Optim;

/// <summary>Adamax, Adam with the infinity norm (<c>torch.optim.Adamax</c>).</summary>
/// <remarks>State per parameter: <c>step</c> (float32 0-d tensor), <c>exp_avg</c>, <c>exp_inf</c>.</remarks>
public sealed class Adamax : Optimizer
{
    /// <summary>Adamax over one group; <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public Adamax(IEnumerable<Tensor> parameters, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool maximize = false)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay, maximize) { }

    /// <summary>Adamax over parameter groups; each group's unset options take these values.</summary>
    public Adamax(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool maximize = false)
        : base(groups, MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay, bool maximize)
    {
        OptimizerArgs.AdamFamily(lr, betas, eps, weightDecay);
        return new() { ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["foreach"] = null, ["maximize"] = maximize };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double eps = group.GetDouble("eps"), weightDecay = group.GetDouble("weight_decay");
        if (state.Count == 0)
        {
            state["step"] = Torch.Tensor(0.0);
            state["exp_avg"] = Torch.ZerosLike(param);
            state["exp_inf"] = Torch.ZerosLike(param);
        }
        var stepT = OptimizerState.Tensor(state, "step");
        var expAvg = (Tensor)state["exp_avg"]!;
        var expInf = (Tensor)state["exp_inf"]!;

        if (group.GetBool("maximize")) grad = -grad;
        stepT.Add_(1.0);
        double step = stepT.Item<float>();
        if (weightDecay != 0) grad = grad.Add(param, weightDecay);
        expAvg.Mul_(beta1).Add_(grad, 1 - beta1);
        // PyTorch takes amax over cat([exp_inf * beta2, |grad| + eps]): an elementwise maximum that propagates NaN.
        expInf.Mul_(beta2);
        expInf.Copy_(expInf.Maximum(grad.Abs().Add_(eps)));
        double clr = group.Lr / (1 - Math.Pow(beta1, step));
        param.Addcdiv_(expAvg, expInf, -clr);
    }
}
