namespace Nabla.Optim;

/// <summary>Stochastic gradient descent with momentum, dampening, weight decay and Nesterov (<c>torch.optim.SGD</c>).</summary>
public sealed class SGD : Optimizer
{
    /// <summary>SGD over one group of parameters.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this(OneGroup(parameters), lr, momentum, dampening, weightDecay, nesterov, maximize) { }

    /// <summary>SGD over parameter groups; each group's unset options take these values.</summary>
    public SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups, Defaults(lr, momentum, dampening, weightDecay, nesterov, maximize)) { }

    private static Dictionary<string, object> Defaults(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        if (lr < 0) throw new ArgumentException($"Invalid learning rate: {lr}");
        if (momentum < 0) throw new ArgumentException($"Invalid momentum value: {momentum}");
        if (weightDecay < 0) throw new ArgumentException($"Invalid weight_decay value: {weightDecay}");
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        return new()
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["dampening"] = dampening,
            ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov,
            ["maximize"] = maximize,
        };
    }

    /// <inheritdoc/>
    protected override void StepCore()
    {
        foreach (var group in ParamGroups)
        {
            double lr = group.Lr, momentum = group.GetDouble("momentum"), dampening = group.GetDouble("dampening");
            double weightDecay = group.GetDouble("weight_decay");
            bool nesterov = group.GetBool("nesterov"), maximize = group.GetBool("maximize");
            foreach (var p in group.Params)
            {
                if (p.Grad is null) continue;
                var d = maximize ? -p.Grad : p.Grad;
                if (weightDecay != 0) d = d.Add(p, weightDecay);
                if (momentum != 0)
                {
                    var state = StateOf(p);
                    if (!state.TryGetValue("momentum_buffer", out var b))
                        state["momentum_buffer"] = b = d.Clone().Detach();
                    else ((Tensor)b).Mul_(momentum).Add_(d, 1 - dampening);
                    var buf = (Tensor)b;
                    d = nesterov ? d.Add(buf, momentum) : buf;
                }
                p.Add_(d, -lr);
            }
        }
    }
}
