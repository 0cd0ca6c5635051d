using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using Nabla.Optim.Fused;

namespace Nabla.Optim;

/// <summary>RMSprop, optionally centered and with momentum (<c>torch.optim.RMSprop</c>).</summary>
/// <remarks>State per parameter: <c>step</c> (an integer, as PyTorch 1.13 keeps it), <c>square_avg</c>, <c>momentum_buffer</c> with momentum, <c>grad_avg</c> when centered.</remarks>
public sealed class RMSprop : Optimizer
{
    /// <summary>RMSprop over one group.</summary>
    public RMSprop(IEnumerable<Tensor> parameters, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false, bool maximize = false)
        : this(OneGroup(parameters), lr, alpha, eps, weightDecay, momentum, centered, maximize) { }

    /// <summary>RMSprop over parameter groups; each group's unset options take these values.</summary>
    public RMSprop(IEnumerable<ParamGroup> groups, double lr = 1e-2, double alpha = 0.99, double eps = 1e-8, double weightDecay = 0,
        double momentum = 0, bool centered = false, bool maximize = false)
        : base(groups, MakeDefaults(lr, alpha, eps, weightDecay, momentum, centered, maximize)) { }

    private static Dictionary<string, object?> MakeDefaults(double lr, double alpha, double eps, double weightDecay, double momentum, bool centered, bool maximize)
    {
        OptimizerArgs.NonNegative(lr, "learning rate");
        OptimizerArgs.NonNegative(eps, "epsilon value");
        OptimizerArgs.NonNegative(momentum, "momentum value");
        OptimizerArgs.NonNegative(weightDecay, "weight_decay value");
        OptimizerArgs.NonNegative(alpha, "alpha value");
        return new()
        {
            ["lr"] = lr,
            ["momentum"] = momentum,
            ["alpha"] = alpha,
            ["eps"] = eps,
            ["centered"] = centered,
            ["weight_decay"] = weightDecay,
            ["foreach"] = null,
            ["maximize"] = maximize,
            ["differentiable"] = false,
        };
    }

    /// <inheritdoc/>
    protected override void Update(ParamGroup group, Tensor param, Tensor grad, Dictionary<string, object?> state)
    {
        var o = new Options(group);
        if (state.Count == 0)
        {
            state["step"] = 0L;
            state["square_avg"] = Torch.ZerosLike(param);
            if (o.Momentum > 0) state["momentum_buffer"] = Torch.ZerosLike(param);
            if (o.Centered) state["grad_avg"] = Torch.ZerosLike(param);
        }
        state["step"] = Convert.ToInt64(state["step"], System.Globalization.CultureInfo.InvariantCulture) + 1;
        var squareAvg = (Tensor)state["square_avg"]!;
        var buf = o.Momentum > 0 ? (Tensor)state["momentum_buffer"]! : null;
        var gradAvg = o.Centered ? (Tensor)state["grad_avg"]! : null;
        if (!FusedStep.TryRun(param, grad, squareAvg, buf, gradAvg, new FusedRule<float>(o), new FusedRule<double>(o)))
            UpdateWithTensorOps(o, param, grad, squareAvg, buf, gradAvg);
    }

    private readonly struct Options(ParamGroup group)
    {
        public readonly double Lr = group.Lr, Alpha = group.GetDouble("alpha"), Eps = group.GetDouble("eps");
        public readonly double WeightDecay = group.GetDouble("weight_decay"), Momentum = group.GetDouble("momentum");
        public readonly bool Centered = group.GetBool("centered"), Maximize = group.GetBool("maximize");
    }

    // PyTorch 1.13's _single_tensor_rmsprop, op by op: the reference the fused rule reproduces.
    private static void UpdateWithTensorOps(in Options o, Tensor param, Tensor grad, Tensor squareAvg, Tensor? buf, Tensor? gradAvg)
    {
        if (o.Maximize) grad = -grad;
        if (o.WeightDecay != 0) grad = grad.Add(param, o.WeightDecay);
        squareAvg.Mul_(o.Alpha).Addcmul_(grad, grad, 1 - o.Alpha);
        Tensor avg;
        if (gradAvg is not null)
        {
            gradAvg.Mul_(o.Alpha).Add_(grad, 1 - o.Alpha);
            avg = squareAvg.Clone().Addcmul_(gradAvg, gradAvg, -1).Sqrt();
        }
        else avg = squareAvg.Sqrt();
        avg.Add_(o.Eps);
        if (buf is not null)
        {
            buf.Mul_(o.Momentum).Addcdiv_(grad, avg);
            param.Add_(buf, -o.Lr);
        }
        else param.Addcdiv_(grad, avg, -o.Lr);
    }

    private readonly struct FusedRule<T>(in Options o) : IFusedRule<T> where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly Vector256<T> _alpha = Lanes.Of<T>(o.Alpha), _oneMinusAlpha = Lanes.Of<T>(1 - o.Alpha), _eps = Lanes.Of<T>(o.Eps);
        private readonly Vector256<T> _weightDecay = Lanes.Of<T>(o.WeightDecay), _momentum = Lanes.Of<T>(o.Momentum), _negativeLr = Lanes.Of<T>(-o.Lr);
        private readonly Vector256<T> _minusOne = Lanes.Of<T>(-1);
        private readonly bool _maximize = o.Maximize, _weightDecays = o.WeightDecay != 0, _hasMomentum = o.Momentum > 0, _centered = o.Centered;

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Apply(ref Vector256<T> param, Vector256<T> grad, ref Vector256<T> squareAvg, ref Vector256<T> buf, ref Vector256<T> gradAvg)
        {
            if (_maximize) grad = Lanes.Negate(grad);
            if (_weightDecays) grad += param * _weightDecay;
            squareAvg = squareAvg * _alpha + grad * _oneMinusAlpha * grad;
            Vector256<T> avg;
            if (_centered)
            {
                gradAvg = gradAvg * _alpha + grad * _oneMinusAlpha;
                avg = Vector256.Sqrt(squareAvg + gradAvg * _minusOne * gradAvg);  // addcmul_ with value -1
            }
            else avg = Vector256.Sqrt(squareAvg);
            avg += _eps;
            if (_hasMomentum)
            {
                buf = buf * _momentum + grad / avg;  // addcdiv_ with value 1: the product by 1 is exact
                param += buf * _negativeLr;
            }
            else param += grad * _negativeLr / avg;
        }
    }
}
