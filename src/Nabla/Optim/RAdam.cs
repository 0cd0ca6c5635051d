using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Nabla.Optim.Fused;

namespace Nabla.Optim;

/// <summary>Rectified Adam (<c>torch.optim.RAdam</c>): plain momentum SGD until the variance estimate is tractable (rho_t &gt; 5), then Adam with a rectification term.</summary>
/// <remarks>State per parameter: <c>step</c> (float32 0-d tensor), <c>exp_avg</c>, <c>exp_avg_sq</c>.</remarks>
public sealed class RAdam : Optimizer
{
    /// <summary>RAdam over one group; <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public RAdam(IEnumerable<Tensor> parameters, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8, double weightDecay = 0)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay) { }

    /// <summary>RAdam over parameter groups; each group's unset options take these values.</summary>
    public RAdam(IEnumerable<ParamGroup> groups, double lr = 1e-3, (double, double)? betas = null, double eps = 1e-8, double weightDecay = 0)
        : base(groups, MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay)
    {
        OptimizerArgs.AdamFamily(lr, betas, eps, weightDecay);
        return new() { ["lr"] = lr, ["betas"] = betas, ["eps"] = eps, ["weight_decay"] = weightDecay, ["foreach"] = null };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        if (state.Count == 0)
        {
            state["step"] = Torch.Tensor(0.0);
            state["exp_avg"] = Torch.ZerosLike(param);
            state["exp_avg_sq"] = Torch.ZerosLike(param);
        }
        var expAvg = (Tensor)state["exp_avg"]!;
        var expAvgSq = (Tensor)state["exp_avg_sq"]!;
        var o = new Options(group, OptimizerState.Increment(OptimizerState.Tensor(state, "step")));
        if (!FusedStep.TryRun(param, grad, expAvg, expAvgSq, null, new FusedRule<float>(o), new FusedRule<double>(o)))
            UpdateWithTensorOps(o, param, grad, expAvg, expAvgSq);
    }

    // The group's options, this step's bias corrections and the rectification term, in double as PyTorch computes them.
    private readonly struct Options
    {
        public readonly double Beta1, Beta2, Lr, Eps, WeightDecay, BiasCorrection1, BiasCorrection2Sqrt, Rectification;
        public readonly bool Rectified;

        public Options(ParamGroup group, double step)
        {
            (Beta1, Beta2) = group.GetPair("betas");
            (Lr, Eps, WeightDecay) = (group.Lr, group.GetDouble("eps"), group.GetDouble("weight_decay"));
            BiasCorrection1 = 1 - Math.Pow(Beta1, step);
            double biasCorrection2 = 1 - Math.Pow(Beta2, step);
            BiasCorrection2Sqrt = Math.Sqrt(biasCorrection2);
            double rhoInf = 2 / (1 - Beta2) - 1;
            double rhoT = rhoInf - 2 * step * Math.Pow(Beta2, step) / biasCorrection2;
            Rectified = rhoT > 5.0;
            Rectification = Rectified ? Math.Sqrt((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
        }
    }

    // PyTorch 1.13's _single_tensor_radam, op by op: the reference the fused rule reproduces.
    private static void UpdateWithTensorOps(in Options o, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq)
    {
        if (o.WeightDecay != 0) grad = grad.Add(param, o.WeightDecay);
        expAvg.Mul_(o.Beta1).Add_(grad, 1 - o.Beta1);
        expAvgSq.Mul_(o.Beta2).Addcmul_(grad, grad, 1 - o.Beta2);
        var biasCorrectedExpAvg = expAvg / o.BiasCorrection1;
        if (o.Rectified)
        {
            // Python's number / tensor is tensor.reciprocal() * number.
            var adaptiveLr = 1.0 / expAvgSq.Sqrt().Add_(o.Eps) * o.BiasCorrection2Sqrt;
            param.Add_(biasCorrectedExpAvg * o.Lr * adaptiveLr * o.Rectification, -1.0);
        }
        else param.Add_(biasCorrectedExpAvg * o.Lr, -1.0);
    }

    private readonly struct FusedRule<T>(in Options o) : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _beta1 = Lanes.Of<T>(o.Beta1), _oneMinusBeta1 = Lanes.Of<T>(1 - o.Beta1);
        private readonly Vector256<T> _beta2 = Lanes.Of<T>(o.Beta2), _oneMinusBeta2 = Lanes.Of<T>(1 - o.Beta2);
        private readonly Vector256<T> _biasCorrection1 = Lanes.Of<T>(o.BiasCorrection1), _biasCorrection2Sqrt = Lanes.Of<T>(o.BiasCorrection2Sqrt);
        private readonly Vector256<T> _lr = Lanes.Of<T>(o.Lr), _eps = Lanes.Of<T>(o.Eps), _weightDecay = Lanes.Of<T>(o.WeightDecay);
        private readonly Vector256<T> _rectification = Lanes.Of<T>(o.Rectification), _minusOne = Lanes.Of<T>(-1);
        private readonly bool _weightDecays = o.WeightDecay != 0, _rectified = o.Rectified;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector256<T> param, Vector256<T> grad, ref Vector256<T> expAvg, ref Vector256<T> expAvgSq, ref Vector256<T> unused)
        {
            if (_weightDecays) grad += param * _weightDecay;
            expAvg = expAvg * _beta1 + grad * _oneMinusBeta1;
            expAvgSq = expAvgSq * _beta2 + grad * _oneMinusBeta2 * grad;
            var update = expAvg / _biasCorrection1 * _lr;
            if (_rectified)
                update = update * (Vector256<T>.One / (Vector256.Sqrt(expAvgSq) + _eps) * _biasCorrection2Sqrt) * _rectification;
            param += update * _minusOne;
        }
    }
}
