namespace Nabla.NN;

/// <summary>
/// What BatchNorm1d and BatchNorm2d share (<c>torch.nn.modules.batchnorm._BatchNorm</c>): weight (ones) and bias (zeros) when
/// affine; running_mean (zeros), running_var (ones) and num_batches_tracked (0-d int64) buffers when tracking running stats.
/// A null <see cref="Momentum"/> makes the running statistics a cumulative average over the batches seen.
/// </summary>
public abstract class BatchNormBase : Module
{
    /// <summary>Scale γ (state key <c>weight</c>), null unless affine.</summary>
    [StateName("weight")] public Parameter? Weight;

    /// <summary>Shift β (state key <c>bias</c>), null unless affine.</summary>
    [StateName("bias")] public Parameter? Bias;

    /// <summary>Channels (C of an [N, C, ...] input).</summary>
    public long NumFeatures { get; }

    /// <summary>Added to the variance for stability.</summary>
    public double Eps { get; set; }

    /// <summary>Weight of the current batch in the running statistics; null for a cumulative average.</summary>
    public double? Momentum { get; set; }

    /// <summary>Whether the layer has a learnable weight and bias.</summary>
    public bool Affine { get; }

    /// <summary>Whether running statistics are kept (and used in evaluation).</summary>
    public bool TrackRunningStats { get; }

    private protected BatchNormBase(long numFeatures, double eps, double? momentum, bool affine, bool trackRunningStats, DType dtype)
    {
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        if (affine)
        {
            Weight = new Parameter(Torch.Ones([numFeatures], dtype));
            Bias = new Parameter(Torch.Zeros([numFeatures], dtype));
        }
        RegisterBuffer("running_mean", trackRunningStats ? Torch.Zeros([numFeatures], dtype) : null);
        RegisterBuffer("running_var", trackRunningStats ? Torch.Ones([numFeatures], dtype) : null);
        RegisterBuffer("num_batches_tracked", trackRunningStats ? Torch.Tensor(0L) : null);
    }

    /// <summary>Running mean of each channel (buffer <c>running_mean</c>), or null.</summary>
    public Tensor? RunningMean => GetBuffer("running_mean");

    /// <summary>Running (unbiased) variance of each channel (buffer <c>running_var</c>), or null.</summary>
    public Tensor? RunningVar => GetBuffer("running_var");

    /// <summary>Training batches seen (buffer <c>num_batches_tracked</c>, 0-d int64), or null.</summary>
    public Tensor? NumBatchesTracked => GetBuffer("num_batches_tracked");

    /// <summary>Resets running_mean to 0, running_var to 1 and num_batches_tracked to 0 (<c>reset_running_stats()</c>).</summary>
    public void ResetRunningStats()
    {
        using (Torch.NoGrad())
        {
            RunningMean?.Zero_();
            RunningVar?.Fill_(1);
            NumBatchesTracked?.Zero_();
        }
    }

    /// <summary>Resets the running statistics, the weight to 1 and the bias to 0 (<c>reset_parameters()</c>).</summary>
    public void ResetParameters()
    {
        ResetRunningStats();
        using (Torch.NoGrad())
        {
            Weight?.Fill_(1);
            Bias?.Zero_();
        }
    }

    /// <summary>Throws PyTorch's message when the input has the wrong number of dims.</summary>
    private protected abstract void CheckInputDim(Tensor input);

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input)
    {
        CheckInputDim(input);
        double factor = Momentum ?? 0.0;
        if (Training && TrackRunningStats && NumBatchesTracked is { } tracked)
        {
            // Bookkeeping, not part of the traced computation.
            using (Torch.NoGrad())
            using (Tracing.Trace.Suspend())
                tracked.Add_(Torch.Tensor(1L));
            if (Momentum is null) factor = 1.0 / tracked.Item<long>();
        }
        // Batch statistics in training, and in evaluation when no running statistics are kept.
        bool useBatchStats = Training || (RunningMean is null && RunningVar is null);
        bool passRunning = !Training || TrackRunningStats;
        return Functional.BatchNorm(input, passRunning ? RunningMean : null, passRunning ? RunningVar : null, Weight, Bias, useBatchStats, factor, Eps);
    }

    /// <inheritdoc/>
    public override string ExtraRepr()
        => $"{NumFeatures}, eps={PythonRepr.Float(Eps)}, momentum={(Momentum is { } m ? PythonRepr.Float(m) : "None")}, affine={PythonRepr.Bool(Affine)}, track_running_stats={PythonRepr.Bool(TrackRunningStats)}";
}

/// <summary>Batch normalisation of [N, C] or [N, C, L] inputs (<c>torch.nn.BatchNorm1d</c>).</summary>
public class BatchNorm1d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    private protected override void CheckInputDim(Tensor input)
    {
        if (input.Dim is not (2 or 3)) throw new ArgumentException($"expected 2D or 3D input (got {input.Dim}D input)");
    }
}

/// <summary>Batch normalisation of [N, C, H, W] inputs (<c>torch.nn.BatchNorm2d</c>).</summary>
public class BatchNorm2d(long numFeatures, double eps = 1e-5, double? momentum = 0.1, bool affine = true, bool trackRunningStats = true, DType dtype = DType.Float32)
    : BatchNormBase(numFeatures, eps, momentum, affine, trackRunningStats, dtype)
{
    private protected override void CheckInputDim(Tensor input)
    {
        if (input.Dim != 4) throw new ArgumentException($"expected 4D input (got {input.Dim}D input)");
    }
}
