using Nabla.Autograd;

namespace Nabla.Optim;

/// <summary>
/// Base of all optimizers (<c>torch.optim.Optimizer</c>): parameter groups, per-parameter state, <c>Step</c>, <c>ZeroGrad</c>,
/// and <c>StateDict</c>/<c>LoadStateDict</c> in PyTorch's structure. A subclass supplies its defaults and <see cref="Update"/>.
/// </summary>
/// <remarks>
/// Updates follow PyTorch 1.13's single-tensor (<c>foreach=False</c>) rules operation for operation, so float32 results match.
/// Contiguous float32/float64 parameters are updated in one pass per parameter with no temporary tensors, bit-identical to those rules.
/// </remarks>
public abstract class Optimizer
{
    private readonly Dictionary<string, object?> _defaults;

    /// <summary>Creates the optimizer over groups, filling each group's unset options from <paramref name="defaults"/>.</summary>
    protected Optimizer(IEnumerable<ParamGroup> groups, Dictionary<string, object?> defaults)
    {
        _defaults = defaults;
        _builtIn = GetType().Assembly == typeof(Optimizer).Assembly;
        foreach (var g in groups) AddParamGroup(g);
        if (ParamGroups.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
    }

    /// <summary>The default options, by PyTorch's names (<c>optimizer.defaults</c>).</summary>
    public IReadOnlyDictionary<string, object?> Defaults => _defaults;

    /// <summary>The parameter groups (<c>optimizer.param_groups</c>).</summary>
    public List<ParamGroup> ParamGroups { get; } = [];

    /// <summary>Per-parameter state such as <c>momentum_buffer</c> or <c>exp_avg</c> (<c>optimizer.state</c>), in the order it was created.</summary>
    public Dictionary<Tensor, Dictionary<string, object?>> State { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Adds a group, taking unset options from the defaults (<c>add_param_group</c>).</summary>
    public void AddParamGroup(ParamGroup group)
    {
        if (group.Params.Count == 0) throw new ArgumentException("optimizer got an empty parameter list");
        foreach (var p in group.Params)
        {
            if (!p.IsLeaf && !p.RetainsGrad) throw new ArgumentException("can't optimize a non-leaf Tensor");
            if (ParamGroups.Any(g => g.Params.Any(q => ReferenceEquals(q, p))))
                throw new ArgumentException("some parameters appear in more than one parameter group");
        }
        foreach (var (k, v) in _defaults) group.SetDefault(k, v);
        ParamGroups.Add(group);
        OnGroupAdded(group);
    }

    /// <summary>Called after a group joins (Adagrad creates its state here).</summary>
    protected virtual void OnGroupAdded(ParamGroup group) { }

    /// <summary>Wraps a flat parameter list as one group.</summary>
    protected static IEnumerable<ParamGroup> OneGroup(IEnumerable<Tensor> parameters) => [new ParamGroup(parameters)];

    /// <summary>Performs one update (<c>optimizer.step()</c>).</summary>
    public void Step()
    {
        Memory.BufferPool.SafePoint(stepBoundary: true);
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

    /// <summary>The update itself, run without recording gradients: <see cref="Update"/> for every parameter that has a gradient, group by group.</summary>
    protected virtual void StepCore()
    {
        foreach (var group in ParamGroups)
            foreach (var p in group.Params)
                if (p._grad is { } grad)
                {
                    // An optimizer written outside the library is user code: it may keep the gradient it is given.
                    if (!_builtIn) grad._userVisible = true;
                    Update(group, p, grad, StateOf(p));
                }
    }

    private readonly bool _builtIn;

    /// <summary>Updates one parameter in place from its gradient, the group's options and its state.</summary>
    protected abstract void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state);

    /// <summary>The state of <paramref name="p"/>, created empty on first use.</summary>
    protected Dictionary<string, object?> StateOf(Tensor p)
    {
        if (!State.TryGetValue(p, out var s)) State[p] = s = [];
        return s;
    }

    /// <summary>
    /// Clears gradients of all parameters: to null by default, as PyTorch 2.x (<c>zero_grad(set_to_none=True)</c>); with
    /// <paramref name="setToNone"/> false, each gradient tensor is detached from any graph and zeroed in place, keeping the same object.
    /// </summary>
    public void ZeroGrad(bool setToNone = true)
    {
        Memory.BufferPool.SafePoint(stepBoundary: true);
        foreach (var g in ParamGroups)
            foreach (var p in g.Params) p.ClearGrad(setToNone);
    }

    /// <summary>
    /// The state in PyTorch's structure (<c>optimizer.state_dict()</c>): parameters become their index across the groups.
    /// The state tensors are shared with the optimizer, as in PyTorch; clone them to keep a snapshot.
    /// </summary>
    public OptimizerStateDict StateDict()
    {
        var sd = new OptimizerStateDict();
        var index = new Dictionary<Tensor, long>(ReferenceEqualityComparer.Instance);
        long start = 0;
        foreach (var group in ParamGroups)
        {
            var packed = new Dictionary<string, object?>();
            foreach (var (k, v) in group.Options) packed[k] = v;
            var ids = new List<long>();
            for (int i = 0; i < group.Params.Count; i++)
            {
                var p = group.Params[i];
                if (!index.TryGetValue(p, out long id)) index[p] = id = start + i;
                ids.Add(id);
            }
            packed["params"] = ids;
            start += ids.Count;
            sd.ParamGroups.Add(packed);
        }
        foreach (var (p, s) in State)
            if (index.TryGetValue(p, out long id)) sd.State[id] = new Dictionary<string, object?>(s);
        return sd;
    }

    /// <summary>
    /// Restores a state from <see cref="StateDict"/> (<c>optimizer.load_state_dict</c>): the groups' options are replaced by the saved
    /// ones (unset keys take the defaults) and the state tensors are copied, floating ones cast to their parameter's dtype (except
    /// <c>step</c>). The group count and each group's size must match.
    /// </summary>
    public void LoadStateDict(OptimizerStateDict stateDict)
    {
        var saved = stateDict.ParamGroups;
        if (saved.Count != ParamGroups.Count)
            throw new ArgumentException("loaded state dict has a different number of parameter groups");
        var savedIds = saved.Select(SavedParamIds).ToList();
        for (int g = 0; g < saved.Count; g++)
            if (savedIds[g].Count != ParamGroups[g].Params.Count)
                throw new ArgumentException("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
        var byId = new Dictionary<long, Tensor>();
        for (int g = 0; g < saved.Count; g++)
            for (int i = 0; i < savedIds[g].Count; i++) byId[savedIds[g][i]] = ParamGroups[g].Params[i];
        foreach (var id in stateDict.State.Keys)
            if (!byId.ContainsKey(id))
                throw new ArgumentException($"loaded state dict has state for parameter {id}, which none of its parameter groups lists");

        State.Clear();
        using (GradMode.Set(false))
            foreach (var (id, s) in stateDict.State)
            {
                var p = byId[id];
                State[p] = s.ToDictionary(kv => kv.Key, kv => CopyStateValue(p, kv.Key, kv.Value));
            }
        for (int g = 0; g < saved.Count; g++)
        {
            ParamGroups[g].ReplaceOptions(saved[g]);
            foreach (var (k, v) in _defaults) ParamGroups[g].SetDefault(k, v);
        }
    }

    private static List<long> SavedParamIds(Dictionary<string, object?> group)
    {
        if (!group.TryGetValue("params", out var ids) || ids is not System.Collections.IEnumerable list)
            throw new ArgumentException("loaded state dict has a parameter group without a 'params' list");
        var result = new List<long>();
        foreach (var id in list) result.Add(Convert.ToInt64(id, System.Globalization.CultureInfo.InvariantCulture));
        return result;
    }

    // A deep copy; floating tensors follow the parameter's dtype, except 'step' (pytorch/pytorch#74424).
    private static object? CopyStateValue(Tensor param, string key, object? value)
    {
        if (value is not Tensor t) return value;
        var copy = t.Detach().Clone();
        return key != "step" && param.DType.IsFloatingPoint() && copy.DType != param.DType ? copy.To(param.DType) : copy;
    }
}
