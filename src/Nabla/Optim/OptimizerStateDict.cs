namespace Nabla.Optim;

/// <summary>
/// An optimizer's state as <c>optimizer.state_dict()</c> returns it: <see cref="State"/> keyed by parameter index
/// (counting through the groups in order) and <see cref="ParamGroups"/> with each group's options and <c>params</c> indices.
/// </summary>
/// <remarks>
/// Values are what PyTorch holds: tensors (<c>exp_avg</c>, the float32 0-d <c>step</c> of Adam-like optimizers), doubles,
/// longs (RMSprop's and Adadelta's integer <c>step</c>), bools, <c>(double, double)</c> tuples (<c>betas</c>), <c>List&lt;long&gt;</c>
/// (<c>params</c>) and null (<c>None</c>). As in PyTorch, <see cref="Optimizer.StateDict"/> shares the live state tensors;
/// <see cref="Optimizer.LoadStateDict"/> copies them.
/// </remarks>
public sealed partial class OptimizerStateDict
{
    /// <summary>Per-parameter state (<c>state_dict["state"]</c>), keyed by parameter index.</summary>
    public Dictionary<long, Dictionary<string, object?>> State { get; } = [];

    /// <summary>The groups (<c>state_dict["param_groups"]</c>): options by PyTorch's names plus <c>"params"</c>, the parameter indices.</summary>
    public List<Dictionary<string, object?>> ParamGroups { get; } = [];
}
