namespace Nabla.Optim;

/// <summary>Stochastic gradient descent with momentum, dampening, weight decay and Nesterov (<c>torch.optim.SGD</c>).</summary>
/// <remarks>State per parameter: <c>momentum_buffer</c> (null while momentum is 0, as PyTorch 1.13 stores <c>None</c>).</remarks>
public sealed class SGD : Optimizer
{
    /// <summary>SGD over one group of parameters.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this(OneGroup(parameters), lr, momentum, dampening, weightDecay, nesterov, maximize) { }

    /// <summary>SGD over parameter groups; each group's unset options take these values.</summary>
    public SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups, MakeDefaults(lr, momentum, dampening, weightDecay, nesterov, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        OptimizerArgs.NonNegative(lr, "learning rate");
        OptimizerArgs.NonNegative(momentum, "momentum value");
        OptimizerArgs.NonNegative(weightDecay, "weight_decay value");
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        return new()
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["dampening"] = dampening,
            ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov,
            ["maximize"] = maximize,
            ["foreach"] = null,
            ["differentiable"] = false,
        };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        double momentum = group.GetDouble("momentum"), weightDecay = group.GetDouble("weight_decay");
        var d = group.GetBool("maximize") ? -grad : grad;
        if (weightDecay != 0) d = d.Add(param, weightDecay);
        if (momentum != 0)
        {
            if (state.GetValueOrDefault("momentum_buffer") is not Tensor buf)
                state["momentum_buffer"] = buf = d.Clone().Detach();
            else buf.Mul_(momentum).Add_(d, 1 - group.GetDouble("dampening"));
            d = group.GetBool("nesterov") ? d.Add(buf, momentum) : buf;
        }
        else state.TryAdd("momentum_buffer", null);
        param.Add_(d, -group.Lr);
    }
}
