using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Nabla.Optim.Fused;

namespace Nabla.Optim;

/// <summary>Adam with Nesterov momentum and momentum decay (<c>torch.optim.NAdam</c>).</summary>
/// <remarks>State per parameter: <c>step</c> and <c>mu_product</c> (float32 0-d tensors), <c>exp_avg</c>, <c>exp_avg_sq</c>.</remarks>
public sealed class NAdam : Optimizer
{
    /// <summary>NAdam over one group; <paramref name="betas"/> defaults to (0.9, 0.999).</summary>
    public NAdam(IEnumerable<Tensor> parameters, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, double momentumDecay = 4e-3)
        : this(OneGroup(parameters), lr, betas, eps, weightDecay, momentumDecay) { }

    /// <summary>NAdam over parameter groups; each group's unset options take these values.</summary>
    public NAdam(IEnumerable<ParamGroup> groups, double lr = 2e-3, (double, double)? betas = null, double eps = 1e-8,
        double weightDecay = 0, double momentumDecay = 4e-3)
        : base(groups, MakeDefaults(lr, betas ?? (0.9, 0.999), eps, weightDecay, momentumDecay)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, (double, double) betas, double eps, double weightDecay, double momentumDecay)
    {
        OptimizerArgs.AdamFamily(lr, betas, eps, weightDecay);
        OptimizerArgs.NonNegative(momentumDecay, "momentum_decay value");
        return new()
        {
            ["lr"] = lr,
            ["betas"] = betas,
            ["eps"] = eps,
            ["weight_decay"] = weightDecay,
            ["momentum_decay"] = momentumDecay,
            ["foreach"] = null,
        };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        if (state.Count == 0)
        {
            state["step"] = Torch.Tensor(0.0);
            state["mu_product"] = Torch.Tensor(1.0);
            state["exp_avg"] = Torch.ZerosLike(param);
            state["exp_avg_sq"] = Torch.ZerosLike(param);
        }
        var expAvg = (Tensor)state["exp_avg"]!;
        var expAvgSq = (Tensor)state["exp_avg_sq"]!;
        var o = new Options(group, OptimizerState.Increment(OptimizerState.Tensor(state, "step")), OptimizerState.Tensor(state, "mu_product"));
        if (!FusedStep.TryRun(param, grad, expAvg, expAvgSq, null, new FusedRule<float>(o), new FusedRule<double>(o)))
            UpdateWithTensorOps(o, param, grad, expAvg, expAvgSq);
    }

    // The group's options and this step's momentum schedule; advances mu_product, in its own dtype as PyTorch's 0-d tensor.
    private readonly struct Options
    {
        public readonly double Beta1, Beta2, Eps, WeightDecay, BiasCorrection2, GradStep, AverageStep;

        public Options(ParamGroup group, double step, Tensor muProduct)
        {
            (Beta1, Beta2) = group.GetPair("betas");
            (Eps, WeightDecay) = (group.GetDouble("eps"), group.GetDouble("weight_decay"));
            double lr = group.Lr, momentumDecay = group.GetDouble("momentum_decay");
            BiasCorrection2 = 1 - Math.Pow(Beta2, step);
            double mu = Beta1 * (1.0 - 0.5 * Math.Pow(0.96, step * momentumDecay));
            double muNext = Beta1 * (1.0 - 0.5 * Math.Pow(0.96, (step + 1) * momentumDecay));
            double product = OptimizerState.Multiply(muProduct, mu);
            // mu_product * mu * mu_next is a 0-d tensor op: rounded after each product in mu_product's dtype, then read as float32.
            float productNext = muProduct.DType == DType.Float32 ? (float)product * (float)mu * (float)muNext : (float)(product * mu * muNext);
            GradStep = -lr * (1.0 - mu) / (1.0 - (float)product);
            AverageStep = -lr * muNext / (1.0 - productNext);
        }
    }

    // PyTorch 1.13's _single_tensor_nadam, op by op: the reference the fused rule reproduces.
    private static void UpdateWithTensorOps(in Options o, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq)
    {
        if (o.WeightDecay != 0) grad = grad.Add(param, o.WeightDecay);
        expAvg.Mul_(o.Beta1).Add_(grad, 1 - o.Beta1);
        expAvgSq.Mul_(o.Beta2).Addcmul_(grad, grad, 1 - o.Beta2);
        var denom = (expAvgSq / o.BiasCorrection2).Sqrt().Add_(o.Eps);
        param.Addcdiv_(grad, denom, o.GradStep);
        param.Addcdiv_(expAvg, denom, o.AverageStep);
    }

    private readonly struct FusedRule<T>(in Options o) : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _beta1 = Lanes.Of<T>(o.Beta1), _oneMinusBeta1 = Lanes.Of<T>(1 - o.Beta1);
        private readonly Vector256<T> _beta2 = Lanes.Of<T>(o.Beta2), _oneMinusBeta2 = Lanes.Of<T>(1 - o.Beta2);
        private readonly Vector256<T> _biasCorrection2 = Lanes.Of<T>(o.BiasCorrection2), _eps = Lanes.Of<T>(o.Eps), _weightDecay = Lanes.Of<T>(o.WeightDecay);
        private readonly Vector256<T> _gradStep = Lanes.Of<T>(o.GradStep), _averageStep = Lanes.Of<T>(o.AverageStep);
        private readonly bool _weightDecays = o.WeightDecay != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector256<T> param, Vector256<T> grad, ref Vector256<T> expAvg, ref Vector256<T> expAvgSq, ref Vector256<T> unused)
        {
            if (_weightDecays) grad += param * _weightDecay;
            expAvg = expAvg * _beta1 + grad * _oneMinusBeta1;
            expAvgSq = expAvgSq * _beta2 + grad * _oneMinusBeta2 * grad;
            var denom = Vector256.Sqrt(expAvgSq / _biasCorrection2) + _eps;
            param += grad * _gradStep / denom;
            param += expAvg * _averageStep / denom;
        }
    }
}
