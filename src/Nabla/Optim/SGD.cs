using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Nabla.Optim.Fused;

namespace Nabla.Optim;

/// <summary>Stochastic gradient descent with momentum, dampening, weight decay and Nesterov (<c>torch.optim.SGD</c>).</summary>
/// <remarks>State per parameter: <c>momentum_buffer</c> (null while momentum is 0, as PyTorch 1.13 stores <c>None</c>).</remarks>
public sealed class SGD : Optimizer
{
    /// <summary>SGD over one group of parameters.</summary>
    public SGD(IEnumerable<Tensor> parameters, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : this(OneGroup(parameters), lr, momentum, dampening, weightDecay, nesterov, maximize) { }

    /// <summary>SGD over parameter groups; each group's unset options take these values.</summary>
    public SGD(IEnumerable<ParamGroup> groups, double lr = 1e-3, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false, bool maximize = false)
        : base(groups, MakeDefaults(lr, momentum, dampening, weightDecay, nesterov, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool maximize)
    {
        OptimizerArgs.NonNegative(lr, "learning rate");
        OptimizerArgs.NonNegative(momentum, "momentum value");
        OptimizerArgs.NonNegative(weightDecay, "weight_decay value");
        if (nesterov && (momentum <= 0 || dampening != 0)) throw new ArgumentException("Nesterov momentum requires a momentum and zero dampening");
        return new()
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["dampening"] = dampening,
            ["weight_decay"] = weightDecay,
            ["nesterov"] = nesterov,
            ["maximize"] = maximize,
            ["foreach"] = null,
            ["differentiable"] = false,
        };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        var buf = state.GetValueOrDefault("momentum_buffer") as Tensor;
        var o = new Options(group, firstMomentum: buf is null);
        bool hasMomentum = o.Momentum != 0;
        if (FusedStep.Supports(param, grad))
        {
            // The first step's buffer is d itself (PyTorch clones it): the fused pass writes d into a new buffer.
            if (hasMomentum) buf ??= Torch.ZerosLike(param);
            if (FusedStep.TryRun(param, grad, hasMomentum ? buf : null, null, null, new FusedRule<float>(o), new FusedRule<double>(o)))
            {
                if (hasMomentum) state["momentum_buffer"] = buf;
                else state.TryAdd("momentum_buffer", null);
                return;
            }
        }
        UpdateWithTensorOps(o, param, grad, state);
    }

    private readonly struct Options(ParamGroup group, bool firstMomentum)
    {
        public readonly double Lr = group.Lr, Momentum = group.GetDouble("momentum"), Dampening = group.GetDouble("dampening");
        public readonly double WeightDecay = group.GetDouble("weight_decay");
        public readonly bool Nesterov = group.GetBool("nesterov"), Maximize = group.GetBool("maximize"), FirstMomentum = firstMomentum;
    }

    // PyTorch 1.13's _single_tensor_sgd, op by op: the reference the fused rule reproduces.
    private static void UpdateWithTensorOps(in Options o, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        var d = o.Maximize ? -grad : grad;
        if (o.WeightDecay != 0) d = d.Add(param, o.WeightDecay);
        if (o.Momentum != 0)
        {
            if (state.GetValueOrDefault("momentum_buffer") is not Tensor buf)
                state["momentum_buffer"] = buf = d.Clone().Detach();
            else buf.Mul_(o.Momentum).Add_(d, 1 - o.Dampening);
            d = o.Nesterov ? d.Add(buf, o.Momentum) : buf;
        }
        else state.TryAdd("momentum_buffer", null);
        param.Add_(d, -o.Lr);
    }

    private readonly struct FusedRule<T>(in Options o) : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _weightDecay = Lanes.Of<T>(o.WeightDecay), _momentum = Lanes.Of<T>(o.Momentum);
        private readonly Vector256<T> _oneMinusDampening = Lanes.Of<T>(1 - o.Dampening), _negativeLr = Lanes.Of<T>(-o.Lr);
        private readonly bool _maximize = o.Maximize, _weightDecays = o.WeightDecay != 0, _hasMomentum = o.Momentum != 0;
        private readonly bool _firstMomentum = o.FirstMomentum, _nesterov = o.Nesterov;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector256<T> param, Vector256<T> grad, ref Vector256<T> buf, ref Vector256<T> unused1, ref Vector256<T> unused2)
        {
            var d = _maximize ? Lanes.Negate(grad) : grad;
            if (_weightDecays) d += param * _weightDecay;
            if (_hasMomentum)
            {
                buf = _firstMomentum ? d : buf * _momentum + d * _oneMinusDampening;
                d = _nesterov ? d + buf * _momentum : buf;
            }
            param += d * _negativeLr;
        }
    }
}
