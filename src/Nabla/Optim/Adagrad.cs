using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Nabla.Optim.Fused;

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
        var sum = (Tensor)state["sum"]!;
        var o = new Options(group, OptimizerState.Increment(OptimizerState.Tensor(state, "step")));
        if (!FusedStep.TryRun(param, grad, sum, null, null, new FusedRule<float>(o), new FusedRule<double>(o)))
            UpdateWithTensorOps(o, param, grad, sum);
    }

    // The group's options and this step's decayed learning rate, in double as PyTorch computes it.
    private readonly struct Options(ParamGroup group, double step)
    {
        public readonly double WeightDecay = group.GetDouble("weight_decay"), Eps = group.GetDouble("eps");
        public readonly double DecayedLr = group.Lr / (1 + (step - 1) * group.GetDouble("lr_decay"));
        public readonly bool Maximize = group.GetBool("maximize");
    }

    // PyTorch 1.13's _single_tensor_adagrad, op by op: the reference the fused rule reproduces.
    private static void UpdateWithTensorOps(in Options o, Tensor param, Tensor grad, Tensor sum)
    {
        if (o.Maximize) grad = -grad;
        if (o.WeightDecay != 0) grad = grad.Add(param, o.WeightDecay);
        sum.Addcmul_(grad, grad, 1);
        var std = sum.Sqrt().Add_(o.Eps);
        param.Addcdiv_(grad, std, -o.DecayedLr);
    }

    private readonly struct FusedRule<T>(in Options o) : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _weightDecay = Lanes.Of<T>(o.WeightDecay), _eps = Lanes.Of<T>(o.Eps), _negativeLr = Lanes.Of<T>(-o.DecayedLr);
        private readonly bool _maximize = o.Maximize, _weightDecays = o.WeightDecay != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector256<T> param, Vector256<T> grad, ref Vector256<T> sum, ref Vector256<T> unused1, ref Vector256<T> unused2)
        {
            if (_maximize) grad = Lanes.Negate(grad);
            if (_weightDecays) grad += param * _weightDecay;
            sum += grad * grad;  // addcmul_ with value 1: the product by 1 is exact
            param += grad * _negativeLr / (Vector256.Sqrt(sum) + _eps);
        }
    }
}
