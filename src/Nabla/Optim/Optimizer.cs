using Nabla.Autograd;

namespace Nabla.Optim;

/// <summary>Base of all optimizers (<c>torch.optim.Optimizer</c>): parameter groups, per-parameter state, <c>Step</c> and <c>ZeroGrad</c>.</summary>
public abstract class Optimizer
{
    private readonly Dictionary<string, object> _defaults;

    /// <summary>Creates the optimizer over groups, filling each group's unset options from <paramref name="defaults"/>.</summary>
    protected Optimizer(IEnumerable<ParamGroup> groups, Dictionary<string, object> defaults)
    {
        _defaults = defaults;
        foreach (var g in groups) AddParamGroup(g);
        if (ParamGroups.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
    }

    /// <summary>The parameter groups (<c>optimizer.param_groups</c>).</summary>
    public List<ParamGroup> ParamGroups { get; } = [];

    /// <summary>Per-parameter state such as <c>momentum_buffer</c> (<c>optimizer.state</c>).</summary>
    public Dictionary<Tensor, Dictionary<string, object>> State { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Adds a group, taking unset options from the defaults (<c>add_param_group</c>).</summary>
    public void AddParamGroup(ParamGroup group)
    {
        if (group.Params.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
        foreach (var p in group.Params)
        {
            if (!p.IsLeaf) throw new ArgumentException("can't optimize a non-leaf Tensor");
            if (ParamGroups.Any(g => g.Params.Any(q => ReferenceEquals(q, p))))
                throw new ArgumentException("some parameters appear in more than one parameter group");
        }
        foreach (var (k, v) in _defaults) group.SetDefault(k, v);
        ParamGroups.Add(group);
    }

    /// <summary>Wraps a flat parameter list as one group.</summary>
    protected static IEnumerable<ParamGroup> OneGroup(IEnumerable<Tensor> parameters) => [new ParamGroup(parameters)];

    /// <summary>Performs one update (<c>optimizer.step()</c>).</summary>
    public void Step()
    {
        using (GradMode.Set(false)) StepCore();
    }

    /// <summary>Re-evaluates the loss with <paramref name="closure"/> (under grad mode), then updates; returns the loss (<c>step(closure)</c>).</summary>
    public Tensor Step(Func<Tensor> closure)
    {
        Tensor loss;
        using (GradMode.Set(true)) loss = closure();
        Step();
        return loss;
    }

    /// <summary>The update itself; runs without recording gradients.</summary>
    protected abstract void StepCore();

    /// <summary>The state of <paramref name="p"/>, created empty on first use.</summary>
    protected Dictionary<string, object> StateOf(Tensor p)
    {
        if (!State.TryGetValue(p, out var s)) State[p] = s = [];
        return s;
    }

    /// <summary>Clears gradients of all parameters: to null by default, as PyTorch 2.x (<c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad(bool setToNone = true)
    {
        foreach (var g in ParamGroups)
            foreach (var p in g.Params)
            {
                if (p.Grad is null) continue;
                if (setToNone) p.Grad = null;
                else using (GradMode.Set(false)) p.Grad = p.Grad.Detach().Zero_();
            }
    }
}
