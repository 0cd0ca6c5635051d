using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Nabla.Optim.Fused;

namespace Nabla.Optim;

/// <summary>Adadelta (<c>torch.optim.Adadelta</c>).</summary>
/// <remarks>State per parameter: <c>step</c> (an integer, as PyTorch 1.13 keeps it), <c>square_avg</c>, <c>acc_delta</c>.</remarks>
public sealed class Adadelta : Optimizer
{
    /// <summary>Adadelta over one group.</summary>
    public Adadelta(IEnumerable<Tensor> parameters, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false)
        : this(OneGroup(parameters), lr, rho, eps, weightDecay, maximize) { }

    /// <summary>Adadelta over parameter groups; each group's unset options take these values.</summary>
    public Adadelta(IEnumerable<ParamGroup> groups, double lr = 1.0, double rho = 0.9, double eps = 1e-6, double weightDecay = 0, bool maximize = false)
        : base(groups, MakeDefaults(lr, rho, eps, weightDecay, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double rho, double eps, double weightDecay, bool maximize)
    {
        OptimizerArgs.NonNegative(lr, "learning rate");
        if (!(rho >= 0 && rho <= 1)) throw new ArgumentException($"Invalid rho value: {OptimizerArgs.Format(rho)}");
        OptimizerArgs.NonNegative(eps, "epsilon value");
        OptimizerArgs.NonNegative(weightDecay, "weight_decay value");
        return new() { ["lr"] = lr, ["rho"] = rho, ["eps"] = eps, ["weight_decay"] = weightDecay, ["maximize"] = maximize, ["foreach"] = null };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        if (state.Count == 0)
        {
            state["step"] = 0L;
            state["square_avg"] = Torch.ZerosLike(param);
            state["acc_delta"] = Torch.ZerosLike(param);
        }
        state["step"] = Convert.ToInt64(state["step"], System.Globalization.CultureInfo.InvariantCulture) + 1;
        var squareAvg = (Tensor)state["square_avg"]!;
        var accDelta = (Tensor)state["acc_delta"]!;
        var o = new Options(group);
        if (!FusedStep.TryRun(param, grad, squareAvg, accDelta, null, new FusedRule<float>(o), new FusedRule<double>(o)))
            UpdateWithTensorOps(o, param, grad, squareAvg, accDelta);
    }

    private readonly struct Options(ParamGroup group)
    {
        public readonly double Lr = group.Lr, Rho = group.GetDouble("rho"), Eps = group.GetDouble("eps"), WeightDecay = group.GetDouble("weight_decay");
        public readonly bool Maximize = group.GetBool("maximize");
    }

    // PyTorch 1.13's _single_tensor_adadelta, op by op: the reference the fused rule reproduces.
    private static void UpdateWithTensorOps(in Options o, Tensor param, Tensor grad, Tensor squareAvg, Tensor accDelta)
    {
        if (o.Maximize) grad = -grad;
        if (o.WeightDecay != 0) grad = grad.Add(param, o.WeightDecay);
        squareAvg.Mul_(o.Rho).Addcmul_(grad, grad, 1 - o.Rho);
        var std = (squareAvg + o.Eps).Sqrt();
        var delta = (accDelta + o.Eps).Sqrt().Div_(std).Mul_(grad);
        accDelta.Mul_(o.Rho).Addcmul_(delta, delta, 1 - o.Rho);
        param.Add_(delta, -o.Lr);
    }

    private readonly struct FusedRule<T>(in Options o) : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _rho = Lanes.Of<T>(o.Rho), _oneMinusRho = Lanes.Of<T>(1 - o.Rho), _eps = Lanes.Of<T>(o.Eps);
        private readonly Vector256<T> _weightDecay = Lanes.Of<T>(o.WeightDecay), _negativeLr = Lanes.Of<T>(-o.Lr);
        private readonly bool _maximize = o.Maximize, _weightDecays = o.WeightDecay != 0;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector256<T> param, Vector256<T> grad, ref Vector256<T> squareAvg, ref Vector256<T> accDelta, ref Vector256<T> unused)
        {
            if (_maximize) grad = Lanes.Negate(grad);
            if (_weightDecays) grad += param * _weightDecay;
            squareAvg = squareAvg * _rho + grad * _oneMinusRho * grad;
            var delta = Vector256.Sqrt(accDelta + _eps) / Vector256.Sqrt(squareAvg + _eps) * grad;
            accDelta = accDelta * _rho + delta * _oneMinusRho * delta;
            param += delta * _negativeLr;
        }
    }
}
