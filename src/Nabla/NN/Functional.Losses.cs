using System.Numerics;
using Nabla.Autograd;
using Nabla.Tracing;
using static Nabla.Torch;

namespace Nabla.NN;

// Losses with PyTorch's options. Composite losses are composed as PyTorch composes them, so their grad_fn matches.
public static partial class Functional
{
    /// <summary>
    /// Negative log-likelihood of log-probabilities (<c>F.nll_loss(input, target, weight, ignore_index=-100, reduction)</c>).
    /// Input [C], [N, C] or [N, C, d1, ...]; int64 target [], [N] or [N, d1, ...] of class indices. Entries equal to
    /// <paramref name="ignoreIndex"/> count for nothing; "mean" divides by the sum of the weights of the counted entries.
    /// Node <c>NllLossBackward0</c> (<c>NllLoss2DBackward0</c> for inputs of 3 or more dimensions).
    /// </summary>
    public static Tensor NllLoss(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean")
    {
        CheckReduction(reduction);
        if (input.Dim < 1) throw new ArgumentException($"Expected 1 or more dimensions (got {input.Dim})");
        if (input.Dim != 1 && (target.Dim == 0 || input._shape[0] != target._shape[0]))
            throw new ArgumentException($"Expected input batch_size ({input._shape[0]}) to match target batch_size ({(target.Dim == 0 ? 1 : target._shape[0])}).");
        if (target.DType != DType.Int64) throw new ArgumentException($"expected scalar type Long but found {Tensor.ScalarTypeName(target.DType)}");
        if (input.Dim <= 2)
        {
            if (target.Dim > 1) throw new ArgumentException("0D or 1D target tensor expected, multi-target not supported");
            if (input.Dim == 1 && target.Dim != 0) throw new ArgumentException($"Expected target to be 0D when input is 1D, but got target.dim ={target.Dim}");
        }
        else if (!Shapes.SameShape(target._shape, [input._shape[0], .. input._shape[2..]]))
            throw new ArgumentException($"Expected target size {Shapes.Format([input._shape[0], .. input._shape[2..]])}, got {Shapes.Format(target._shape)}");
        long classes = input.Dim == 1 ? input._shape[0] : input._shape[1];
        if (weight is not null && (weight.Dim != 1 || weight.Numel() != classes))
            throw new ArgumentException($"weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {Shapes.Format(weight._shape)}");
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"\"nll_loss_out_frame\" not implemented for '{Tensor.ScalarTypeName(input.DType)}'");

        // Positions as [N, C, S]: element (n, t, s) of the input, entry (n, s) of the target.
        long n = input.Dim == 1 ? 1 : input._shape[0], spatial = input.Dim <= 2 ? 1 : Shapes.Numel(input._shape[2..]);
        var t = target.Span<long>();
        var w = weight?.ToArray<double>();
        var x = input.ContiguousRaw();
        float[]? xf = x.DType == DType.Float32 ? x.Compact<float>() : null;
        double[]? xd = x.DType == DType.Float64 ? x.Compact<double>() : null;
        var positions = new long[t.Length];
        var coefficients = new double[t.Length];
        var perEntry = new double[t.Length];
        double total = 0, totalWeight = 0;
        for (int i = 0; i < t.Length; i++)
        {
            long cls = t[i];
            positions[i] = -1;
            if (cls == ignoreIndex) continue;
            if (cls < 0 || cls >= classes) throw new IndexOutOfRangeException($"Target {cls} is out of bounds.");
            long at = (i / spatial * classes + cls) * spatial + i % spatial;
            double wc = w is null ? 1 : w[cls];
            perEntry[i] = -(xf is not null ? xf[at] : xd![at]) * wc;
            positions[i] = at;
            coefficients[i] = -wc;
            total += perEntry[i];
            totalWeight += wc;
        }
        bool none = reduction == "none";
        // Only counted entries are scaled: with every entry ignored, "mean" is NaN but the gradient stays 0.
        if (reduction == "mean") for (int i = 0; i < coefficients.Length; i++) coefficients[i] /= totalWeight;
        // Input of 3 or 5+ dims with "none": PyTorch's 2-D kernel output is viewed back to the target's shape.
        bool viewed = none && (input.Dim == 3 || input.Dim > 4);
        long[] nodeShape = !none || input.Dim == 1 ? [] : viewed ? [n, 1, spatial] : target._shape;
        var r = Tensor.FromArray(none ? perEntry : [reduction == "mean" ? total / totalWeight : total], nodeShape).CastRaw(input.DType);
        if (Graph.Needs(input))
            Graph.Record(input.Dim <= 2 ? "NllLossBackward0" : "NllLoss2DBackward0", r, [input], g =>
            {
                // d loss / d input: -w[t] (over the total weight for "mean") at each counted target position.
                if (!none && !Graph.Needs(g) && g.DType is DType.Float32 or DType.Float64)
                    return [NllLossGradient(input._shape, positions, coefficients, g)];
                var coefficient = new double[input.Numel()];
                for (int i = 0; i < positions.Length; i++) if (positions[i] >= 0) coefficient[positions[i]] = coefficients[i];
                var coef = Tensor.FromArray(coefficient, input._shape).CastRaw(g.DType);
                return [none && input.Dim > 1 ? coef * g.Reshape([.. target._shape]).Unsqueeze(1) : coef * g];
            });
        if (viewed)
            using (Trace.Suspend()) r = r.View(target._shape);
        if (Trace.Active)
            Trace.Record("nll_loss", weight is null ? [input, target] : [input, target, weight], r,
                new Dictionary<string, object> { ["reduction"] = reduction, ["ignore_index"] = ignoreIndex });
        return r;
    }

    // The reduced loss's gradient straight into the input's shape: coefficient · g at each counted position and 0 · g
    // elsewhere (so a non-finite g spreads as it does through the composite), with the composite's roundings: the
    // coefficient rounded to g's dtype, then one product.
    private static Tensor NllLossGradient(long[] shape, long[] positions, double[] coefficients, Tensor g)
    {
        var grad = Tensor.Empty(shape, g.DType);
        if (g.DType == DType.Float32) Scatter(grad.MutableSpan<float>(), g.Span<float>()[0]);
        else Scatter(grad.MutableSpan<double>(), g.Span<double>()[0]);
        return grad;

        void Scatter<T>(Span<T> d, T gv) where T : unmanaged, IFloatingPointIeee754<T>
        {
            d.Fill(T.Zero * gv);
            for (int i = 0; i < positions.Length; i++)
                if (positions[i] >= 0) d[(int)positions[i]] = T.CreateTruncating(coefficients[i]) * gv;
        }
    }

    /// <summary>
    /// Cross entropy of logits (<c>F.cross_entropy(input, target, weight, ignore_index=-100, reduction, label_smoothing=0.0)</c>):
    /// log_softmax over the class dimension (1, or 0 for a 1-D input) then <see cref="NllLoss"/> for int64 class
    /// indices, or the weighted sum of -target * log_softmax when the target has the input's shape (class probabilities).
    /// <paramref name="labelSmoothing"/> in [0, 1] mixes the target with the uniform distribution.
    /// </summary>
    public static Tensor CrossEntropy(Tensor input, Tensor target, Tensor? weight = null, long ignoreIndex = -100, string reduction = "mean", double labelSmoothing = 0.0)
    {
        CheckReduction(reduction);
        int classDim = input.Dim == 1 ? 0 : 1;
        if (labelSmoothing > 1.0 || labelSmoothing < 0.0)
            throw new ArgumentException($"label_smoothing must be between 0.0 and 1.0. Got: {PythonFloatRepr.Format(labelSmoothing)}");
        if (Shapes.SameShape(input._shape, target._shape))
            return CrossEntropyProbabilities(input, target, weight, reduction, labelSmoothing, classDim, ignoreIndex);
        if (labelSmoothing > 0.0)
            return CrossEntropySmoothed(input, target, weight, ignoreIndex, reduction, labelSmoothing, classDim);
        return NllLoss(LogSoftmax(input, classDim), target, weight, ignoreIndex, reduction);
    }

    private static Tensor CrossEntropyProbabilities(Tensor input, Tensor target, Tensor? weight, string reduction, double labelSmoothing, int classDim, long ignoreIndex)
    {
        if (!target.DType.IsFloatingPoint())
            throw new ArgumentException($"Expected floating point type for target with class probabilities, got {Tensor.ScalarTypeName(target.DType)}");
        if (ignoreIndex >= 0) throw new ArgumentException("ignore_index is not supported for floating point target");
        long classes = input._shape[classDim];
        var weightView = ClassWeightView(input, weight, classDim, "cross_entropy: ");
        var logp = LogSoftmax(input, classDim);
        var t = labelSmoothing > 0.0 ? target * (1 - labelSmoothing) + labelSmoothing / classes : target;
        var product = logp * t;
        if (weightView is not null) product = product * weightView;
        return reduction switch
        {
            "mean" => (-product.Sum()).DivByScalar(input.Numel() / classes),
            "sum" => -product.Sum(),
            _ => -product.Sum(classDim),
        };
    }

    private static Tensor CrossEntropySmoothed(Tensor input, Tensor target, Tensor? weight, long ignoreIndex, string reduction, double labelSmoothing, int classDim)
    {
        var logp = LogSoftmax(input, classDim);
        var nll = NllLoss(logp, target, weight, ignoreIndex, reduction);
        long classes = input._shape[classDim];
        var weightView = ClassWeightView(input, weight, classDim, "");
        var smooth = weightView is null ? -logp.Sum(classDim) : -(logp * weightView).Sum(classDim);
        var ignored = target.Eq(ignoreIndex);
        smooth = smooth.MaskedFill(ignored, 0.0);
        var ret = reduction switch
        {
            "mean" => weight is null
                ? smooth.Sum() / (!ignored).Sum()
                : smooth.Sum() / weight.IndexSelect(0, target[!ignored].Flatten()).Sum(),
            "sum" => smooth.Sum(),
            _ => smooth,
        };
        return (1 - labelSmoothing) * nll + ret * (labelSmoothing / classes);
    }

    // The class weight viewed as [1, C, 1, ...] to broadcast against the input.
    private static Tensor? ClassWeightView(Tensor input, Tensor? weight, int classDim, string prefix)
    {
        if (weight is null) return null;
        long classes = input._shape[classDim];
        if (weight.Dim != 1 || weight.Numel() != classes)
            throw new ArgumentException($"{prefix}weight tensor should be defined either for all {classes} classes or no classes but got weight tensor of shape: {Shapes.Format(weight._shape)}");
        if (input.Dim <= 1) return weight;
        var shape = Enumerable.Repeat(1L, input.Dim).ToArray();
        shape[1] = classes;
        return weight.View(shape);
    }

    /// <summary>Mean absolute error (<c>F.l1_loss(input, target, reduction)</c>): |input - target| reduced; broadcasts as PyTorch does.</summary>
    public static Tensor L1Loss(Tensor input, Tensor target, string reduction = "mean")
    {
        CheckReduction(reduction);
        return Reduce((input - target).Abs(), reduction);
    }

    /// <summary>
    /// Smooth L1 (<c>F.smooth_l1_loss(input, target, reduction, beta=1.0)</c>): 0.5 d² / beta where |d| &lt; beta, else
    /// |d| - 0.5 beta, with d = input - target (beta 0 gives |d|). Node <c>SmoothL1LossBackward0</c>.
    /// </summary>
    public static Tensor SmoothL1Loss(Tensor input, Tensor target, string reduction = "mean", double beta = 1.0)
    {
        CheckReduction(reduction);
        if (beta < 0) throw new ArgumentException("smooth_l1_loss does not support negative values for beta.");
        return PointwiseLoss("smooth_l1_loss", "SmoothL1LossBackward0", input, target, reduction,
            d =>
            {
                var z = d.Abs();
                return Tensor.Where(z < beta, 0.5 * z * z / beta, z - 0.5 * beta);
            },
            // With beta 0 the quadratic branch is never taken; d / 0 there would make its (unused) second derivative NaN.
            d => Tensor.Where(d <= -beta, FullLike(d, -1), Tensor.Where(d >= beta, OnesLike(d), beta == 0 ? ZerosLike(d) : d / beta)),
            new Dictionary<string, object> { ["reduction"] = reduction, ["beta"] = beta });
    }

    /// <summary>
    /// Huber loss (<c>F.huber_loss(input, target, reduction, delta=1.0)</c>): 0.5 d² where |d| &lt; delta, else
    /// delta (|d| - 0.5 delta). Node <c>HuberLossBackward0</c>.
    /// </summary>
    public static Tensor HuberLoss(Tensor input, Tensor target, string reduction = "mean", double delta = 1.0)
    {
        CheckReduction(reduction);
        if (delta <= 0) throw new ArgumentException("huber_loss does not support non-positive values for delta.");
        return PointwiseLoss("huber_loss", "HuberLossBackward0", input, target, reduction,
            d =>
            {
                var z = d.Abs();
                return Tensor.Where(z < delta, 0.5 * z * z, delta * (z - 0.5 * delta));
            },
            d => Tensor.Where(d <= -delta, FullLike(d, -delta), Tensor.Where(d >= delta, FullLike(d, delta), d)),
            new Dictionary<string, object> { ["reduction"] = reduction, ["delta"] = delta });
    }

    // A loss of d = input - target with its own node: value(d) reduced; the gradient is derivative(d) times the incoming one.
    private static Tensor PointwiseLoss(string kind, string gradFn, Tensor input, Tensor target, string reduction,
        Func<Tensor, Tensor> value, Func<Tensor, Tensor> derivative, Dictionary<string, object> attributes)
    {
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
            r = Reduce(value(input - target), reduction);
        if (Graph.Needs(input, target))
            Graph.Record(gradFn, r, [input, target], g =>
            {
                var d = input - target;
                var gd = derivative(d) * (reduction == "none" ? g : g.Expand(d._shape));
                if (reduction == "mean") gd = gd / (double)d.Numel();
                return [input.RequiresGrad ? gd.SumTo(input) : null, target.RequiresGrad ? (-gd).SumTo(target) : null];
            }, input, target);
        if (Trace.Active) Trace.Record(kind, [input, target], r, attributes);
        return r;
    }

    /// <summary>
    /// Binary cross entropy of probabilities (<c>F.binary_cross_entropy(input, target, weight, reduction)</c>):
    /// -w (t log x + (1 - t) log(1 - x)) with each log clamped at -100. Input and target must have the same shape
    /// and the input must lie in [0, 1]. Node <c>BinaryCrossEntropyBackward0</c>.
    /// </summary>
    public static Tensor BinaryCrossEntropy(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean")
    {
        CheckReduction(reduction);
        if (!Shapes.SameShape(input._shape, target._shape))
            throw new ArgumentException($"Using a target size ({target.Size()}) that is different to the input size ({input.Size()}) is deprecated. Please ensure they have the same size.");
        var w = weight?.Expand(Shapes.Broadcast(target._shape, weight._shape));
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
        {
            foreach (var v in input.CastRaw(DType.Float64).Span<double>())
                if (!(v >= 0 && v <= 1)) throw new ArgumentException("all elements of input should be between 0 and 1");
            var loss = (target - 1.0) * (1.0 - input).Log().Clamp(min: -100) - target * input.Log().Clamp(min: -100);
            if (w is not null) loss = loss * w;
            r = Reduce(loss, reduction);
        }
        if (Graph.Needs(input, target))
            Graph.Record("BinaryCrossEntropyBackward0", r, [input, target], g =>
            {
                var scale = reduction == "none" ? g : g.Expand(input._shape);
                if (reduction == "mean") scale = scale / (double)input.Numel();
                if (w is not null) scale = scale * w;
                return
                [
                    input.RequiresGrad ? scale * (input - target) / ((1.0 - input) * input).Clamp(min: 1e-12) : null,
                    target.RequiresGrad ? scale * ((1.0 - input).Log() - input.Log()) : null,
                ];
            }, input, target);
        if (Trace.Active)
            Trace.Record("binary_cross_entropy", w is null ? [input, target] : [input, target, w], r, new Dictionary<string, object> { ["reduction"] = reduction });
        return r;
    }

    /// <summary>
    /// Binary cross entropy of logits, computed stably (<c>F.binary_cross_entropy_with_logits(input, target, weight, reduction, pos_weight)</c>):
    /// (1 - t) x + (1 + (p - 1) t) log(1 + e^-x) with p = <paramref name="posWeight"/> (broadcast over the last
    /// dimension). Node <c>BinaryCrossEntropyWithLogitsBackward0</c>.
    /// </summary>
    public static Tensor BinaryCrossEntropyWithLogits(Tensor input, Tensor target, Tensor? weight = null, string reduction = "mean", Tensor? posWeight = null)
    {
        CheckReduction(reduction);
        if (!Shapes.SameShape(input._shape, target._shape))
            throw new ArgumentException($"Target size ({target.Size()}) must be the same as input size ({input.Size()})");
        Tensor r;
        using (GradMode.Set(false))
        using (Trace.Suspend())
        {
            // PyTorch's operation order: max_val = clamp_min(-x, 0), log(exp(-max_val) + exp(-x - max_val)) + max_val.
            var maxVal = (-input).Clamp(min: 0);
            var logTerm = ((-maxVal).Exp() + (-input - maxVal).Exp()).Log();
            Tensor loss = posWeight is null
                ? (1.0 - target) * input + maxVal + logTerm
                : (1.0 - target) * input + ((posWeight - 1.0) * target + 1.0) * (logTerm + maxVal);
            if (weight is not null) loss = loss * weight;
            r = Reduce(loss, reduction);
        }
        var inputs = new List<Tensor> { input, target };
        if (Graph.Needs(input, target))
            Graph.Record("BinaryCrossEntropyWithLogitsBackward0", r, [input, target], g =>
            {
                var scale = reduction == "none" ? g : g.Expand(input._shape);
                if (reduction == "mean") scale = scale / (double)input.Numel();
                if (weight is not null) scale = scale * weight;
                Tensor? gi = null, gt = null;
                if (input.RequiresGrad)
                {
                    Tensor dx;
                    if (posWeight is null) dx = input.Sigmoid() - target;
                    else
                    {
                        var pt = posWeight * target;
                        dx = (pt + 1.0 - target) * input.Sigmoid() - pt;
                    }
                    gi = (scale * dx).SumTo(input);
                }
                if (target.RequiresGrad)
                    gt = (scale * (posWeight is null ? -input : LogSigmoid(-input) - LogSigmoid(input) * posWeight)).SumTo(target);
                return [gi, gt];
            }, input, target);
        if (Trace.Active)
        {
            if (weight is not null) inputs.Add(weight);
            if (posWeight is not null) inputs.Add(posWeight);
            Trace.Record("binary_cross_entropy_with_logits", [.. inputs], r, new Dictionary<string, object>
            {
                ["reduction"] = reduction,
                ["has_weight"] = weight is not null,
                ["has_pos_weight"] = posWeight is not null,
            });
        }
        return r;
    }

    // log(sigmoid(z)) without overflow: min(z, 0) - log1p(exp(-|z|)).
    private static Tensor LogSigmoid(Tensor z) => z.Clamp(max: 0) - (-z.Abs()).Exp().Log1p();

    /// <summary>
    /// Kullback-Leibler divergence of log-probabilities <paramref name="input"/> from <paramref name="target"/>
    /// (<c>F.kl_div(input, target, reduction='mean', log_target=False)</c>): target (log target - input), summed and
    /// then divided by the batch size for "batchmean" (the true KL divergence) or by the element count for "mean".
    /// </summary>
    public static Tensor KlDiv(Tensor input, Tensor target, string reduction = "mean", bool logTarget = false)
    {
        if (reduction != "batchmean") CheckReduction(reduction);
        var pointwise = logTarget ? target.Exp() * (target - input) : target.Xlogy(target) - target * input;
        if (reduction == "batchmean") return input.Dim == 0 ? pointwise.Sum() : pointwise.Sum() / (double)input._shape[0];
        return Reduce(pointwise, reduction);
    }
}
