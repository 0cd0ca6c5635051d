using System.Numerics;
using Nabla.Autograd;
using Nabla.Kernels;
using Nabla.Tracing;

namespace Nabla.NN;

// Batch, layer and group normalisation: statistics and the affine map in Kernels/Normalization.cs, the backward
// written with tensor ops around one rule for x̂ = (x − μ)·rstd.
public static partial class Functional
{
    /// <summary>
    /// Batch normalisation over dim 1 of an [N, C, *] input (<c>F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)</c>).
    /// In training the batch statistics are used and, when given, the running statistics are updated in place:
    /// <c>running = (1 − momentum)·running + momentum·batch</c>, with the unbiased variance for <c>running_var</c>.
    /// In evaluation the running statistics are used. (A null momentum, i.e. a cumulative average, is the module's business: see <see cref="BatchNorm1d"/>.)
    /// </summary>
    public static Tensor BatchNorm(Tensor input, Tensor? runningMean, Tensor? runningVar, Tensor? weight = null, Tensor? bias = null,
        bool training = false, double momentum = 0.1, double eps = 1e-5)
    {
        if (input.Dim < 2) throw new ArgumentException($"batch_norm: expected an input with at least 2 dims, got {Shapes.Format(input._shape)}");
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"batch_norm: expected a floating point input, got {input.DType.TorchName()}");
        long channels = input._shape[1];
        CheckPerChannel("running_mean", runningMean, channels);
        CheckPerChannel("running_var", runningVar, channels);
        CheckPerChannel("weight", weight, channels);
        CheckPerChannel("bias", bias, channels);
        int batch = (int)input._shape[0], inner = (int)(input.Numel() / Math.Max(1, batch * channels));
        long count = (long)batch * inner;
        if (training && count <= 1)
            throw new ArgumentException($"Expected more than 1 value per channel when training, got input size {input.Size()}");
        if (!training && (runningMean is null || runningVar is null))
            throw new ArgumentException("batch_norm: running_mean and running_var must be defined in evaluation mode");

        var statShape = Enumerable.Range(0, input.Dim).Select(i => i == 1 ? channels : 1L).ToArray();
        var mean = Tensor.Empty(statShape, input.DType);
        var invstd = Tensor.Empty(statShape, input.DType);
        var output = Tensor.Empty(input._shape, input.DType);
        if (input.DType == DType.Float32) Run<float>();
        else Run<double>();

        var inputs = new List<Tensor> { input };
        if (weight is not null) inputs.Add(weight);
        if (bias is not null) inputs.Add(bias);
        var dims = Enumerable.Range(0, input.Dim).Where(i => i != 1).ToArray();
        if (Graph.Needs(inputs.ToArray()))
            Graph.Record("NativeBatchNormBackward0", output, [.. inputs], g =>
            {
                if (GradMode.IsEnabled)
                    return DoubleBackward.Recompute([.. inputs], g, t =>
                    {
                        var (m, v) = training ? Moments(t[0], dims) : (runningMean!.Reshape(statShape), runningVar!.Reshape(statShape));
                        var y = (t[0] - m) / (v + eps).Sqrt();
                        if (weight is not null) y = y * t[1].Reshape(statShape);
                        return bias is null ? y : y + t[^1].Reshape(statShape);
                    });
                var xHat = (input.Detach() - mean) * invstd;
                var gHat = weight is null ? g : g * weight.Detach().Reshape(statShape);
                var gx = input.RequiresGrad ? (training ? NormalizedGrad(gHat, xHat, invstd, dims) : gHat * invstd) : null;
                var grads = new List<Tensor?> { gx };
                if (weight is not null) grads.Add(weight.RequiresGrad ? (g * xHat).Sum(dims).Reshape(weight._shape) : null);
                if (bias is not null) grads.Add(bias.RequiresGrad ? g.Sum(dims).Reshape(bias._shape) : null);
                return [.. grads];
            }, [.. inputs]);
        if (Trace.Active)
        {
            Tensor?[] stats = [runningMean, runningVar];
            Trace.Record("batch_norm", [.. inputs, .. stats.OfType<Tensor>()], output, new Dictionary<string, object>
            {
                ["training"] = training,
                ["momentum"] = momentum,
                ["eps"] = eps,
                ["has_weight"] = weight is not null,
                ["has_bias"] = bias is not null,
                ["has_running_stats"] = runningMean is not null,
            });
        }
        return output;

        void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = input.ContiguousRaw().Span<T>();
            var m = mean.MutableSpan<T>();
            var s = invstd.MutableSpan<T>();
            int c = (int)channels;
            if (training)
            {
                var deviations = new double[c];
                Normalization.Moments(x, batch, c, inner, m, deviations);
                // As PyTorch: the deviation sum is rounded to T before the division, the inverse std is taken in double.
                var biased = new T[c];
                for (int i = 0; i < c; i++)
                {
                    biased[i] = T.CreateTruncating(deviations[i]) / T.CreateTruncating(count);
                    s[i] = T.CreateTruncating(1.0 / Math.Sqrt(double.CreateTruncating(biased[i]) + eps));
                }
                if (runningMean is not null || runningVar is not null)
                    UpdateRunningStats(runningMean, runningVar, m.ToArray(), deviations, count, momentum);
            }
            else
            {
                runningMean!.CastRaw(input.DType).Span<T>().CopyTo(m);
                var rv = runningVar!.CastRaw(input.DType).Span<T>();
                T e = T.CreateTruncating(eps);
                for (int i = 0; i < c; i++) s[i] = T.One / T.Sqrt(rv[i] + e);
            }
            // y = x·alpha + beta with alpha = invstd·w, beta = b − mean·alpha, as PyTorch's CPU kernel.
            var alpha = new T[c];
            var beta = new T[c];
            var w = weight is null ? default : weight.CastRaw(input.DType).Span<T>();
            var b = bias is null ? default : bias.CastRaw(input.DType).Span<T>();
            for (int i = 0; i < c; i++)
            {
                alpha[i] = s[i] * (w.IsEmpty ? T.One : w[i]);
                beta[i] = (b.IsEmpty ? T.Zero : b[i]) - m[i] * alpha[i];
            }
            Normalization.ChannelAffine(x, batch, c, inner, alpha, beta, output.MutableSpan<T>());
        }
    }

    // running = momentum·batch + (1 − momentum)·running in the running tensor's dtype, the variance unbiased, as PyTorch's update.
    private static void UpdateRunningStats<T>(Tensor? runningMean, Tensor? runningVar, T[] mean, double[] deviations, long count, double momentum)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T mom = T.CreateTruncating(momentum);
        if (runningMean is not null)
        {
            var old = runningMean.CastRaw(DTypeInfo.FromClr(typeof(T))).Span<T>();
            var updated = new T[mean.Length];
            for (int i = 0; i < updated.Length; i++) updated[i] = mom * mean[i] + (T.One - mom) * old[i];
            WriteStat(runningMean, updated);
        }
        if (runningVar is not null)
        {
            var old = runningVar.CastRaw(DTypeInfo.FromClr(typeof(T))).Span<T>();
            var updated = new T[mean.Length];
            for (int i = 0; i < updated.Length; i++)
            {
                double unbiased = double.CreateTruncating(T.CreateTruncating(deviations[i]) / T.CreateTruncating(count - 1));
                updated[i] = T.CreateTruncating(double.CreateTruncating(mom) * unbiased + double.CreateTruncating((T.One - mom) * old[i]));
            }
            WriteStat(runningVar, updated);
        }
    }

    private static void WriteStat<T>(Tensor target, T[] values)
    {
        target.CopyRaw(Tensor.FromArray(values, target.Shape));
        target.BumpVersion();
    }

    private static void CheckPerChannel(string name, Tensor? t, long channels)
    {
        if (t is not null && t.Numel() != channels)
            throw new ArgumentException($"{name} should contain {channels} elements not {t.Numel()}");
    }

    /// <summary>
    /// Layer normalisation over the trailing <paramref name="normalizedShape"/> dims (<c>F.layer_norm(input, normalized_shape, weight, bias, eps)</c>):
    /// (x − mean)/sqrt(var + eps) with the biased variance, then elementwise weight and bias of shape normalized_shape.
    /// </summary>
    public static Tensor LayerNorm(Tensor input, IntOrTuple normalizedShape, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        var shape = normalizedShape.Values.ToArray();
        int k = shape.Length;
        if (k == 0 || input.Dim < k || !input._shape[^k..].SequenceEqual(shape))
            throw new ArgumentException(
                $"Given normalized_shape={Shapes.Format(shape)}, expected input with shape [*, {string.Join(", ", shape)}], but got input of size{Shapes.Format(input._shape)}");
        foreach (var (name, t) in new[] { ("weight", weight), ("bias", bias) })
            if (t is not null && !t._shape.SequenceEqual(shape))
                throw new ArgumentException($"Expected {name} to be of same shape as normalized_shape, but got {name} of shape {Shapes.Format(t._shape)} and normalized_shape = {Shapes.Format(shape)}");
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"layer_norm: expected a floating point input, got {input.DType.TorchName()}");
        int d = (int)Shapes.Numel(shape);
        int rows = (int)(input.Numel() / Math.Max(1, d));
        long[] statShape = [.. input._shape[..^k], .. Enumerable.Repeat(1L, k)];
        // Weight and bias of the input's dtype are applied in the same pass as the normalisation (the same roundings as
        // x̂ · weight + bias one after another); others promote as the separate ops do.
        bool fused = (weight is null || weight.DType == input.DType) && (bias is null || bias.DType == input.DType);
        var (xHat, mean, rstd) = Normalize(input, 1, rows, d, statShape, eps, fused ? weight : null, fused ? bias : null);
        Tensor output = xHat;
        if (!fused)
            using (GradMode.Set(false))
            using (Trace.Suspend())
            {
                if (weight is not null) output = output * weight;
                if (bias is not null) output = output + bias;
            }
        var dims = Enumerable.Range(input.Dim - k, k).ToArray();
        var lead = Enumerable.Range(0, input.Dim - k).ToArray();
        RecordAffineNorm("layer_norm", "NativeLayerNormBackward0", input, weight, bias, output, mean, rstd,
            (g, w) => w is null ? g : g * w, dims, lead, view: null,
            new Dictionary<string, object> { ["normalized_shape"] = shape, ["eps"] = eps });
        return output;
    }

    /// <summary>
    /// Group normalisation (<c>F.group_norm(input, num_groups, weight, bias, eps)</c>): the C channels of an [N, C, *] input in
    /// <paramref name="numGroups"/> groups, each group of each sample normalised, then a per-channel weight and bias.
    /// </summary>
    public static Tensor GroupNorm(Tensor input, long numGroups, Tensor? weight = null, Tensor? bias = null, double eps = 1e-5)
    {
        if (input.Dim < 2) throw new ArgumentException($"group_norm: expected an input with at least 2 dims, got {Shapes.Format(input._shape)}");
        long n = input._shape[0], c = input._shape[1];
        if (numGroups <= 0 || c % numGroups != 0)
            throw new ArgumentException($"Expected number of channels in input to be divisible by num_groups, but got input of shape {Shapes.Format(input._shape)} and num_groups={numGroups}");
        CheckPerChannel("weight", weight, c);
        CheckPerChannel("bias", bias, c);
        if (!input.DType.IsFloatingPoint()) throw new ArgumentException($"group_norm: expected a floating point input, got {input.DType.TorchName()}");
        int inner = (int)(input.Numel() / Math.Max(1, n * c));
        int groupSize = (int)(c / numGroups) * inner;
        long[] grouped = [n, numGroups, groupSize];
        var (xHat, mean, rstd) = Normalize(input, 1, (int)(n * numGroups), groupSize, [n, numGroups, 1], eps);
        long[] channelShape = [c, .. Enumerable.Repeat(1L, input.Dim - 2)];
        Tensor output;
        using (GradMode.Set(false))
        using (Trace.Suspend())
        {
            output = xHat;
            if (weight is not null) output = output * weight.Reshape(channelShape);
            if (bias is not null) output = output + bias.Reshape(channelShape);
        }
        var channelDims = Enumerable.Range(0, input.Dim).Where(i => i != 1).ToArray();
        RecordAffineNorm("group_norm", "NativeGroupNormBackward0", input, weight, bias, output, mean, rstd,
            (g, w) => w is null ? g : g * w.Reshape(channelShape), [2], channelDims, view: grouped,
            new Dictionary<string, object> { ["num_groups"] = numGroups, ["eps"] = eps });
        return output;
    }

    // x̂ = (x − mean)·rstd over `inner` elements of each of `channels` rows; mean and rstd shaped `statShape`. With a
    // weight or bias of `inner` elements (layer norm's), x̂ · weight + bias in the same pass.
    private static (Tensor XHat, Tensor Mean, Tensor Rstd) Normalize(Tensor input, int outer, int channels, int inner, long[] statShape, double eps,
        Tensor? weight = null, Tensor? bias = null)
    {
        var mean = Tensor.Empty(statShape, input.DType);
        var rstd = Tensor.Empty(statShape, input.DType);
        var xHat = Tensor.Empty(input._shape, input.DType);
        if (input.DType == DType.Float32) Run<float>();
        else Run<double>();
        return (xHat, mean, rstd);

        void Run<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            var x = input.ContiguousRaw().Span<T>();
            var m = mean.MutableSpan<T>();
            var r = rstd.MutableSpan<T>();
            var deviations = new double[channels];
            Normalization.Moments(x, outer, channels, inner, m, deviations);
            var shift = new T[channels];
            for (int i = 0; i < channels; i++)
            {
                r[i] = T.CreateTruncating(1.0 / Math.Sqrt(deviations[i] / ((long)outer * inner) + eps));
                shift[i] = -m[i] * r[i];
            }
            var gamma = weight is null ? default : weight.ContiguousRaw().Span<T>();
            var delta = bias is null ? default : bias.ContiguousRaw().Span<T>();
            Normalization.ChannelAffine(x, outer, channels, inner, r, shift, xHat.MutableSpan<T>(), gamma, delta);
        }
    }

    // Records the backward of weight·x̂ + bias where x̂ normalises `input` (viewed as `view` when given) over `normDims`;
    // weight and bias gradients sum over `affineDims` of the input's shape.
    private static void RecordAffineNorm(string kind, string name, Tensor input, Tensor? weight, Tensor? bias, Tensor output, Tensor mean, Tensor rstd,
        Func<Tensor, Tensor?, Tensor> applyWeight, int[] normDims, int[] affineDims, long[]? view, Dictionary<string, object> attributes)
    {
        var inputs = new List<Tensor> { input };
        if (weight is not null) inputs.Add(weight);
        if (bias is not null) inputs.Add(bias);
        if (Graph.Needs(inputs.ToArray()))
            Graph.Record(name, output, [.. inputs], g =>
            {
                if (GradMode.IsEnabled)
                    return DoubleBackward.Recompute([.. inputs], g, t =>
                    {
                        var x = view is null ? t[0] : t[0].Reshape(view);
                        var (m, v) = Moments(x, normDims);
                        var y = ((x - m) / (v + (double)attributes["eps"]).Sqrt()).Reshape(input._shape);
                        y = applyWeight(y, weight is null ? null : t[1]);
                        return bias is null ? y : y + (view is null ? t[^1] : t[^1].Reshape([bias._shape[0], .. Enumerable.Repeat(1L, input.Dim - 2)]));
                    });
                var x = view is null ? input.Detach() : input.Detach().Reshape(view);
                var xHat = (x - mean) * rstd;
                var gHat = applyWeight(g, weight?.Detach());
                var grads = new List<Tensor?>();
                grads.Add(input.RequiresGrad ? NormalizedGrad(view is null ? gHat : gHat.Reshape(view), xHat, rstd, normDims).Reshape(input._shape) : null);
                var byPosition = affineDims.Length == 0 ? (Func<Tensor, Tensor>)(t => t) : t => t.Sum(affineDims);
                if (weight is not null) grads.Add(weight.RequiresGrad ? byPosition(g * xHat.Reshape(input._shape)).Reshape(weight._shape) : null);
                if (bias is not null) grads.Add(bias.RequiresGrad ? byPosition(g).Reshape(bias._shape) : null);
                return [.. grads];
            }, [.. inputs]);
        if (Trace.Active)
        {
            attributes["has_weight"] = weight is not null;
            attributes["has_bias"] = bias is not null;
            Trace.Record(kind, [.. inputs], output, attributes);
        }
    }

    // Mean and biased variance over `dims`, kept, written with differentiable ops (the createGraph form of the norms).
    private static (Tensor Mean, Tensor Var) Moments(Tensor x, int[] dims)
    {
        var mean = x.Mean(dims, keepdim: true);
        return (mean, (x - mean).Pow(2).Mean(dims, keepdim: true));
    }

    // ∂L/∂x for x̂ = (x − μ)·rstd with μ and rstd taken over `dims`, given ĝ = ∂L/∂x̂: rstd·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)).
    private static Tensor NormalizedGrad(Tensor gHat, Tensor xHat, Tensor rstd, int[] dims)
        => rstd * (gHat - gHat.Mean(dims, keepdim: true) - xHat * (gHat * xHat).Mean(dims, keepdim: true));
}
