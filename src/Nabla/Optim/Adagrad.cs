namespace Nabla.Optim;

/// <summary>Adagrad with learning-rate decay (<c>torch.optim.Adagrad</c>).</summary>
/// <remarks>State per parameter, created for every parameter when its group is added: <c>step</c> (float32 0-d tensor) and <c>sum</c>
/// (filled with <c>initial_accumulator_value</c>).</remarks>
public sealed class Adagrad : Optimizer
{
    /// <summary>Adagrad over one group.</summary>
    public Adagrad(IEnumerable<Tensor> parameters, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : this(OneGroup(parameters), lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize) { }

    /// <summary>Adagrad over parameter groups; each group's unset options take these values.</summary>
    public Adagrad(IEnumerable<ParamGroup> groups, double lr = 1e-2, double lrDecay = 0, double weightDecay = 0,
        double initialAccumulatorValue = 0, double eps = 1e-10, bool maximize = false)
        : base(groups, MakeDefaults(lr, lrDecay, weightDecay, initialAccumulatorValue, eps, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double lrDecay, double weightDecay, double initialAccumulatorValue, double eps, bool maximize)
    {
        OptimizerArgs.NonNegative(lr, "learning rate");
        OptimizerArgs.NonNegative(lrDecay, "lr_decay value");
        OptimizerArgs.NonNegative(weightDecay, "weight_decay value");
        OptimizerArgs.NonNegative(initialAccumulatorValue, "initial_accumulator_value value");
        OptimizerArgs.NonNegative(eps, "epsilon value");
        return new()
        {
            ["lr"] = lr,
            ["lr_decay"] = lrDecay,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["initial_accumulator_value"] = initialAccumulatorValue,
            ["foreach"] = null,
            ["maximize"] = maximize,
        };
    }

    /// <inheritdoc/>
    protected override void OnGroupAdded(ParamGroup group)
    {
        foreach (var p in group.Params) InitState(group, StateOf(p), p);
    }

    private static void InitState(ParamGroup group, Dictionary<string, object?> state, Tensor p)
    {
        state["step"] = Torch.Tensor(0.0);
        state["sum"] = Torch.FullLike(p, group.GetDouble("initial_accumulator_value"));
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        if (state.Count == 0) InitState(group, state, param);
        double lr = group.Lr, weightDecay = group.GetDouble("weight_decay"), lrDecay = group.GetDouble("lr_decay"), eps = group.GetDouble("eps");
        var stepT = OptimizerState.Tensor(state, "step");
        var sum = (Tensor)state["sum"]!;
        stepT.Add_(1.0);
        double step = stepT.Item<float>();
        if (group.GetBool("maximize")) grad = -grad;
        if (weightDecay != 0) grad = grad.Add(param, weightDecay);
        double clr = lr / (1 + (step - 1) * lrDecay);
        sum.Addcmul_(grad, grad, 1);
        var std = sum.Sqrt().Add_(eps);
        param.Addcdiv_(grad, std, -clr);
    }
}
