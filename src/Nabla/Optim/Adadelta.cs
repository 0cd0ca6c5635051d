namespace Nabla.Optim;

/// <summary>Adadelta (<c>torch.optim.Adadelta</c>).</summary>
/// <remarks>State per parameter: <c>step</c> (an integer, as PyTorch 1.13 keeps it), <c>square_avg</c>, <c>acc_delta</c>.</remarks>
public sealed class Adadelta : Optimizer
{
    /// <summary>Adadelta over one group.</summary>
    public Adadelta(IEnumerable<Tensor> parameters, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false)
        : this(OneGroup(parameters), lr, rho, eps, weightDecay, maximize) { }

    /// <summary>Adadelta over parameter groups; each group's unset options take these values.</summary>
    public Adadelta(IEnumerable<ParamGroup> groups, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false)
        : base(groups, MakeDefaults(lr, rho, eps, weightDecay, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double rho, double eps, double weightDecay, bool maximize)
    {
        OptimizerArgs.NonNegative(lr, "learning rate");
        if (!(rho >= 0 && rho <= 1)) throw new ArgumentException($"Invalid rho value: {OptimizerArgs.Format(rho)}");
        OptimizerArgs.NonNegative(eps, "epsilon value");
        OptimizerArgs.NonNegative(weightDecay, "weight_decay value");
        return new() { ["lr"] = lr, ["rho"] = rho, ["eps"] = eps, ["weight_decay"] = weightDecay, ["maximize"] = maximize, ["foreach"] = null };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        double rho = group.GetDouble("rho"), eps = group.GetDouble("eps"), weightDecay = group.GetDouble("weight_decay");
        if (state.Count == 0)
        {
            state["step"] = 0L;
            state["square_avg"] = Torch.ZerosLike(param);
            state["acc_delta"] = Torch.ZerosLike(param);
        }
        state["step"] = Convert.ToInt64(state["step"], System.Globalization.CultureInfo.InvariantCulture) + 1;
        var squareAvg = (Tensor)state["square_avg"]!;
        var accDelta = (Tensor)state["acc_delta"]!;

        if (group.GetBool("maximize")) grad = -grad;
        if (weightDecay != 0) grad = grad.Add(param, weightDecay);
        squareAvg.Mul_(rho).Addcmul_(grad, grad, 1 - rho);
        var std = (squareAvg + eps).Sqrt();
        var delta = (accDelta + eps).Sqrt().Div_(std).Mul_(grad);
        accDelta.Mul_(rho).Addcmul_(delta, delta, 1 - rho);
        param.Add_(delta, -group.Lr);
    }
}
