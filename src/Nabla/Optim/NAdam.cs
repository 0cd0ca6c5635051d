namespace Nabla.Optim;

/// <summary>Adam with Nesterov momentum and momentum decay (<c>torch.optim.NAdam</c>).</summary>
/// <remarks>State per parameter: <c>step</c> and <c>mu_product</c> (float32 0-d tensors), <c>exp_avg</c>, <c>exp_avg_sq</c>.</remarks>
public sealed class NAdam : Optimizer
{
    /// <summary>NAdam over one group; <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public NAdam(IEnumerable<Tensor> parameters, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, double momentumDecay = 4e-3)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay, momentumDecay) { }

    /// <summary>NAdam over parameter groups; each group's unset options take these values.</summary>
    public NAdam(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, double momentumDecay = 4e-3)
        : base(groups, MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, momentumDecay)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay, double momentumDecay)
    {
        OptimizerArgs.AdamFamily(lr, betas, eps, weightDecay);
        OptimizerArgs.NonNegative(momentumDecay, "momentum_decay value");
        return new()
        {
            ["lr"] = lr,
            ["betas"] = betas,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["momentum_decay"] = momentumDecay,
            ["foreach"] = null,
        };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double lr = group.Lr, weightDecay = group.GetDouble("weight_decay"), momentumDecay = group.GetDouble("momentum_decay"), eps = group.GetDouble("eps");
        if (state.Count == 0)
        {
            state["step"] = Torch.Tensor(0.0);
            state["mu_product"] = Torch.Tensor(1.0);
            state["exp_avg"] = Torch.ZerosLike(param);
            state["exp_avg_sq"] = Torch.ZerosLike(param);
        }
        var stepT = OptimizerState.Tensor(state, "step");
        var muProduct = OptimizerState.Tensor(state, "mu_product");
        var expAvg = (Tensor)state["exp_avg"]!;
        var expAvgSq = (Tensor)state["exp_avg_sq"]!;

        stepT.Add_(1.0);
        double step = stepT.Item<float>();
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        if (weightDecay != 0) grad = grad.Add(param, weightDecay);
        double mu = beta1 * (1.0 - 0.5 * Math.Pow(0.96, step * momentumDecay));
        double muNext = beta1 * (1.0 - 0.5 * Math.Pow(0.96, (step + 1) * momentumDecay));
        muProduct.Mul_(mu);
        var muProductNext = muProduct * mu * muNext;
        expAvg.Mul_(beta1).Add_(grad, 1 - beta1);
        expAvgSq.Mul_(beta2).Addcmul_(grad, grad, 1 - beta2);
        var denom = (expAvgSq / biasCorrection2).Sqrt().Add_(eps);
        param.Addcdiv_(grad, denom, -lr * (1.0 - mu) / (1.0 - muProduct.Item<float>()));
        param.Addcdiv_(expAvg, denom, -lr * muNext / (1.0 - muProductNext.Item<float>()));
    }
}
