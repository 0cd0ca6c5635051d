namespace Nabla.Optim;

/// <summary>Rectified Adam (<c>torch.optim.RAdam</c>): plain momentum SGD until the variance estimate is tractable (rho_t &gt; 5), then Adam with a rectification term.</summary>
/// <remarks>State per parameter: <c>step</c> (float32 0-d tensor), <c>exp_avg</c>, <c>exp_avg_sq</c>.</remarks>
public sealed class RAdam : Optimizer
{
    /// <summary>RAdam over one group; <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public RAdam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8, double weightDecay = 0)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay) { }

    /// <summary>RAdam over parameter groups; each group's unset options take these values.</summary>
    public RAdam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8, double weightDecay = 0)
        : base(groups, MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay)
    {
        OptimizerArgs.AdamFamily(lr, betas, eps, weightDecay);
        return new() { ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["foreach"] = null };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double lr = group.Lr, weightDecay = group.GetDouble("weight_decay"), eps = group.GetDouble("eps");
        if (state.Count == 0)
        {
            state["step"] = Torch.Tensor(0.0);
            state["exp_avg"] = Torch.ZerosLike(param);
            state["exp_avg_sq"] = Torch.ZerosLike(param);
        }
        var stepT = OptimizerState.Tensor(state, "step");
        var expAvg = (Tensor)state["exp_avg"]!;
        var expAvgSq = (Tensor)state["exp_avg_sq"]!;

        stepT.Add_(1.0);
        double step = stepT.Item<float>();
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        if (weightDecay != 0) grad = grad.Add(param, weightDecay);
        expAvg.Mul_(beta1).Add_(grad, 1 - beta1);
        expAvgSq.Mul_(beta2).Addcmul_(grad, grad, 1 - beta2);
        var biasCorrectedExpAvg = expAvg / biasCorrection1;
        double rhoInf = 2 / (1 - beta2) - 1;
        double rhoT = rhoInf - 2 * step * Math.Pow(beta2, step) / biasCorrection2;
        if (rhoT > 5.0)
        {
            double rect = Math.Sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
            // Python's number / tensor is tensor.reciprocal() * number.
            var adaptiveLr = 1.0 / expAvgSq.Sqrt().Add_(eps) * Math.Sqrt(biasCorrection2);
            param.Add_(biasCorrectedExpAvg * lr * adaptiveLr * rect, -1.0);
        }
        else param.Add_(biasCorrectedExpAvg * lr, -1.0);
    }
}
