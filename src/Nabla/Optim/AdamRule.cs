namespace Nabla.Optim;

// The one update shared by Adam and AdamW (PyTorch 1.13's _single_tensor_adam / _single_tensor_adamw):
// they differ only in where weight decay enters, so one piece of code serves both.
internal static class AdamRule
{
    public static void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state, bool decoupledWeightDecay)
    {
        var (beta1, beta2) = group.GetPair("betas");
        double lr = group.Lr, weightDecay = group.GetDouble("weight_decay"), eps = group.GetDouble("eps");
        bool amsgrad = group.GetBool("amsgrad");
        if (state.Count == 0)
        {
            state["step"] = Torch.Tensor(0.0);
            state["exp_avg"] = Torch.ZerosLike(param);
            state["exp_avg_sq"] = Torch.ZerosLike(param);
            if (amsgrad) state["max_exp_avg_sq"] = Torch.ZerosLike(param);
        }
        var stepT = OptimizerState.Tensor(state, "step");
        var expAvg = (Tensor)state["exp_avg"]!;
        var expAvgSq = (Tensor)state["exp_avg_sq"]!;

        if (group.GetBool("maximize")) grad = -grad;
        stepT.Add_(1.0);
        if (decoupledWeightDecay) param.Mul_(1 - lr * weightDecay);
        else if (weightDecay != 0) grad = grad.Add(param, weightDecay);
        expAvg.Mul_(beta1).Add_(grad, 1 - beta1);
        expAvgSq.Mul_(beta2).Addcmul_(grad, grad, 1 - beta2);

        double step = stepT.Item<float>();
        double biasCorrection1 = 1 - Math.Pow(beta1, step);
        double biasCorrection2 = 1 - Math.Pow(beta2, step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.Sqrt(biasCorrection2);
        var second = expAvgSq;
        if (amsgrad)
        {
            var maxSq = (Tensor)state["max_exp_avg_sq"]!;
            maxSq.Copy_(maxSq.Maximum(expAvgSq));
            second = maxSq;
        }
        var denom = (second.Sqrt() / biasCorrection2Sqrt).Add_(eps);
        param.Addcdiv_(expAvg, denom, -stepSize);
    }
}
