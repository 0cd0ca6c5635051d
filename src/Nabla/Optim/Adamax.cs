using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Nabla.Optim.Fused;

namespace Nabla.Optim;

/// <summary>Adamax, Adam with the infinity norm (<c>torch.optim.Adamax</c>).</summary>
/// <remarks>State per parameter: <c>step</c> (float32 0-d tensor), <c>exp_avg</c>, <c>exp_inf</c>.</remarks>
public sealed class Adamax : Optimizer
{
    /// <summary>Adamax over one group; <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public Adamax(IEnumerable<Tensor> parameters, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool maximize = false)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay, maximize) { }

    /// <summary>Adamax over parameter groups; each group's unset options take these values.</summary>
    public Adamax(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, bool maximize = false)
        : base(groups, MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay, bool maximize)
    {
        OptimizerArgs.AdamFamily(lr, betas, eps, weightDecay);
        return new() { ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["foreach"] = null, ["maximize"] = maximize };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        if (state.Count == 0)
        {
            state["step"] = Torch.Tensor(0.0);
            state["exp_avg"] = Torch.ZerosLike(param);
            state["exp_inf"] = Torch.ZerosLike(param);
        }
        var expAvg = (Tensor)state["exp_avg"]!;
        var expInf = (Tensor)state["exp_inf"]!;
        var o = new Options(group, OptimizerState.Increment(OptimizerState.Tensor(state, "step")));
        if (!FusedStep.TryRun(param, grad, expAvg, expInf, null, new FusedRule<float>(o), new FusedRule<double>(o)))
            UpdateWithTensorOps(o, param, grad, expAvg, expInf);
    }

    // The group's options and this step's bias-corrected learning rate, in double as PyTorch computes it.
    private readonly struct Options
    {
        public readonly double Beta1, Beta2, Eps, WeightDecay, CorrectedLr;
        public readonly bool Maximize;

        public Options(ParamGroup group, double step)
        {
            (Beta1, Beta2) = group.GetPair("betas");
            (Eps, WeightDecay, Maximize) = (group.GetDouble("eps"), group.GetDouble("weight_decay"), group.GetBool("maximize"));
            CorrectedLr = group.Lr / (1 - Math.Pow(Beta1, step));
        }
    }

    // PyTorch 1.13's _single_tensor_adamax, op by op: the reference the fused rule reproduces.
    private static void UpdateWithTensorOps(in Options o, Tensor param, Tensor grad, Tensor expAvg, Tensor expInf)
    {
        if (o.Maximize) grad = -grad;
        if (o.WeightDecay != 0) grad = grad.Add(param, o.WeightDecay);
        expAvg.Mul_(o.Beta1).Add_(grad, 1 - o.Beta1);
        // PyTorch takes amax over cat([exp_inf * beta2, |grad| + eps]): an elementwise maximum that propagates NaN.
        expInf.Mul_(o.Beta2);
        expInf.Copy_(expInf.Maximum(grad.Abs().Add_(o.Eps)));
        param.Addcdiv_(expAvg, expInf, -o.CorrectedLr);
    }

    private readonly struct FusedRule<T>(in Options o) : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _beta1 = Lanes.Of<T>(o.Beta1), _oneMinusBeta1 = Lanes.Of<T>(1 - o.Beta1), _beta2 = Lanes.Of<T>(o.Beta2);
        private readonly Vector256<T> _eps = Lanes.Of<T>(o.Eps), _weightDecay = Lanes.Of<T>(o.WeightDecay), _negativeLr = Lanes.Of<T>(-o.CorrectedLr);
        private readonly bool _maximize = o.Maximize, _weightDecays = o.WeightDecay != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector256<T> param, Vector256<T> grad, ref Vector256<T> expAvg, ref Vector256<T> expInf, ref Vector256<T> unused)
        {
            if (_maximize) grad = Lanes.Negate(grad);
            if (_weightDecays) grad += param * _weightDecay;
            expAvg = expAvg * _beta1 + grad * _oneMinusBeta1;
            expInf = Lanes.Maximum(expInf * _beta2, Vector256.Abs(grad) + _eps);
            param += expAvg * _negativeLr / expInf;
        }
    }
}
