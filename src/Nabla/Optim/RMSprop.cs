namespace Nabla.Optim;

/// <summary>RMSprop, optionally centered and with momentum (<c>torch.optim.RMSprop</c>).</summary>
/// <remarks>State per parameter: <c>step</c> (an integer, as PyTorch 1.13 keeps it), <c>square_avg</c>, <c>momentum_buffer</c> with momentum, <c>grad_avg</c> when centered.</remarks>
public sealed class RMSprop : Optimizer
{
    /// <summary>RMSprop over one group.</summary>
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false, bool maximize = false)
        : this(OneGroup(parameters), lr, alpha, eps, weightDecay, momentum, centered, maximize) { }

    /// <summary>RMSprop over parameter groups; each group's unset options take these values.</summary>
    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false, bool maximize = false)
        : base(groups, MakeDefaults(lr, alpha, eps, weightDecay, momentum, centered, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double alpha, double eps, double weightDecay, double momentum, bool centered, bool maximize)
    {
        OptimizerArgs.NonNegative(lr, "learning rate");
        OptimizerArgs.NonNegative(eps, "epsilon value");
        OptimizerArgs.NonNegative(momentum, "momentum value");
        OptimizerArgs.NonNegative(weightDecay, "weight_decay value");
        OptimizerArgs.NonNegative(alpha, "alpha value");
        return new()
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["alpha"] = alpha,
            ["eps"] = eps,
            ["centered"] = centered,
            ["weight_decay"] = weightDecay,
            ["foreach"] = null,
            ["maximize"] = maximize,
            ["differentiable"] = false,
        };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        double alpha = group.GetDouble("alpha"), eps = group.GetDouble("eps"), weightDecay = group.GetDouble("weight_decay");
        double momentum = group.GetDouble("momentum");
        bool centered = group.GetBool("centered");
        if (state.Count == 0)
        {
            state["step"] = 0L;
            state["square_avg"] = Torch.ZerosLike(param);
            if (momentum > 0) state["momentum_buffer"] = Torch.ZerosLike(param);
            if (centered) state["grad_avg"] = Torch.ZerosLike(param);
        }
        state["step"] = Convert.ToInt64(state["step"], System.Globalization.CultureInfo.InvariantCulture) + 1;

        if (group.GetBool("maximize")) grad = -grad;
        if (weightDecay != 0) grad = grad.Add(param, weightDecay);
        var squareAvg = (Tensor)state["square_avg"]!;
        squareAvg.Mul_(alpha).Addcmul_(grad, grad, 1 - alpha);
        Tensor avg;
        if (centered)
        {
            var gradAvg = (Tensor)state["grad_avg"]!;
            gradAvg.Mul_(alpha).Add_(grad, 1 - alpha);
            avg = squareAvg.Clone().Addcmul_(gradAvg, gradAvg, -1).Sqrt();
        }
        else avg = squareAvg.Sqrt();
        avg.Add_(eps);
        if (momentum > 0)
        {
            var buf = (Tensor)state["momentum_buffer"]!;
            buf.Mul_(momentum).Addcdiv_(grad, avg);
            param.Add_(buf, -group.Lr);
        }
        else param.Addcdiv_(grad, avg, -group.Lr);
    }
}
