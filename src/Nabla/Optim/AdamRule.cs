using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Nabla.Optim.Fused;

namespace Nabla.Optim;

// The one update shared by Adam and AdamW (PyTorch 1.13's _single_tensor_adam / _single_tensor_adamw):
// they differ only in where weight decay enters, so one piece of code serves both.
internal static class AdamRule
{
    public static void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state, bool decoupledWeightDecay)
    {
        if (state.Count == 0)
        {
            state["step"] = Torch.Tensor(0.0);
            state["exp_avg"] = Torch.ZerosLike(param);
            state["exp_avg_sq"] = Torch.ZerosLike(param);
            if (group.GetBool("amsgrad")) state["max_exp_avg_sq"] = Torch.ZerosLike(param);
        }
        var expAvg = (Tensor)state["exp_avg"]!;
        var expAvgSq = (Tensor)state["exp_avg_sq"]!;
        var o = new Options(group, OptimizerState.Increment(OptimizerState.Tensor(state, "step")), decoupledWeightDecay);
        var maxExpAvgSq = o.Amsgrad ? (Tensor)state["max_exp_avg_sq"]! : null;
        if (!FusedStep.TryRun(param, grad, expAvg, expAvgSq, maxExpAvgSq, new FusedRule<float>(o), new FusedRule<double>(o)))
            UpdateWithTensorOps(o, param, grad, expAvg, expAvgSq, maxExpAvgSq);
    }

    // The group's options and this step's bias corrections, in double as PyTorch computes them.
    private readonly struct Options
    {
        public readonly double Beta1, Beta2, Lr, WeightDecay, Eps, StepSize, BiasCorrection2Sqrt;
        public readonly bool Amsgrad, Maximize, Decoupled;

        public Options(ParamGroup group, double step, bool decoupled)
        {
            (Beta1, Beta2) = group.GetPair("betas");
            (Lr, WeightDecay, Eps) = (group.Lr, group.GetDouble("weight_decay"), group.GetDouble("eps"));
            (Amsgrad, Maximize, Decoupled) = (group.GetBool("amsgrad"), group.GetBool("maximize"), decoupled);
            StepSize = Lr / (1 - Math.Pow(Beta1, step));
            BiasCorrection2Sqrt = Math.Sqrt(1 - Math.Pow(Beta2, step));
        }
    }

    // The reference, op by op; the fused rule below reproduces it.
    private static void UpdateWithTensorOps(in Options o, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor? maxExpAvgSq)
    {
        if (o.Maximize) grad = -grad;
        if (o.Decoupled) param.Mul_(1 - o.Lr * o.WeightDecay);
        else if (o.WeightDecay != 0) grad = grad.Add(param, o.WeightDecay);
        expAvg.Mul_(o.Beta1).Add_(grad, 1 - o.Beta1);
        expAvgSq.Mul_(o.Beta2).Addcmul_(grad, grad, 1 - o.Beta2);
        var second = expAvgSq;
        if (maxExpAvgSq is not null)
        {
            maxExpAvgSq.Copy_(maxExpAvgSq.Maximum(expAvgSq));
            second = maxExpAvgSq;
        }
        var denom = (second.Sqrt() / o.BiasCorrection2Sqrt).Add_(o.Eps);
        param.Addcdiv_(expAvg, denom, -o.StepSize);
    }

    private readonly struct FusedRule<T>(in Options o) : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _decay = Lanes.Of<T>(1 - o.Lr * o.WeightDecay), _weightDecay = Lanes.Of<T>(o.WeightDecay);
        private readonly Vector256<T> _beta1 = Lanes.Of<T>(o.Beta1), _oneMinusBeta1 = Lanes.Of<T>(1 - o.Beta1);
        private readonly Vector256<T> _beta2 = Lanes.Of<T>(o.Beta2), _oneMinusBeta2 = Lanes.Of<T>(1 - o.Beta2);
        private readonly Vector256<T> _biasCorrection2Sqrt = Lanes.Of<T>(o.BiasCorrection2Sqrt), _eps = Lanes.Of<T>(o.Eps);
        private readonly Vector256<T> _negativeStepSize = Lanes.Of<T>(-o.StepSize);
        private readonly bool _amsgrad = o.Amsgrad, _maximize = o.Maximize, _decoupled = o.Decoupled, _coupledDecay = !o.Decoupled && o.WeightDecay != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector256<T> param, Vector256<T> grad, ref Vector256<T> expAvg, ref Vector256<T> expAvgSq, ref Vector256<T> maxExpAvgSq)
        {
            if (_maximize) grad = Lanes.Negate(grad);
            if (_decoupled) param *= _decay;
            else if (_coupledDecay) grad += param * _weightDecay;
            expAvg = expAvg * _beta1 + grad * _oneMinusBeta1;
            expAvgSq = expAvgSq * _beta2 + grad * _oneMinusBeta2 * grad;
            var second = expAvgSq;
            if (_amsgrad) second = maxExpAvgSq = Lanes.Maximum(maxExpAvgSq, expAvgSq);
            param += expAvg * _negativeStepSize / (Vector256.Sqrt(second) / _biasCorrection2Sqrt + _eps);
        }
    }
}
