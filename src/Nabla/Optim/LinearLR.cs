namespace Nabla.Optim;

/// <summary>
/// Scales each group's rate by a factor moving linearly from <c>startFactor</c> to <c>endFactor</c> over <c>totalIters</c> epochs,
/// then holds it (<c>torch.optim.lr_scheduler.LinearLR</c>); a common warm-up.
/// </summary>
public sealed class LinearLR : LRScheduler
{
    private double _startFactor, _endFactor;
    private int _totalIters;

    /// <summary>Factors must lie in [0, 1]; the defaults warm up from a third of the rate over 5 epochs.</summary>
    public LinearLR(Optimizer optimizer, double startFactor = 1.0 / 3, double endFactor = 1.0, int totalIters = 5, int lastEpoch = -1) : base(optimizer)
    {
        if (startFactor > 1.0 || startFactor < 0) throw new ArgumentException("Starting multiplicative factor expected to be between 0 and 1.");
        if (endFactor > 1.0 || endFactor < 0) throw new ArgumentException("Ending multiplicative factor expected to be between 0 and 1.");
        _startFactor = startFactor;
        _endFactor = endFactor;
        _totalIters = totalIters;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0) return lrs.Select(lr => lr * _startFactor).ToArray();
        if (LastEpoch > _totalIters) return lrs;
        return lrs.Select(lr => lr * (1.0 + (_endFactor - _startFactor)
            / (_totalIters * _startFactor + (LastEpoch - 1) * (_endFactor - _startFactor)))).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr()
        => BaseLrs.Select(b => b * (_startFactor + (_endFactor - _startFactor) * Math.Min(_totalIters, LastEpoch) / _totalIters)).ToArray();

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["start_factor"] = _startFactor;
        sd["end_factor"] = _endFactor;
        sd["total_iters"] = (long)_totalIters;
        base.WriteState(sd);
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        base.ReadState(sd);
        if (sd.TryGetValue("start_factor", out var s)) _startFactor = Double(s);
        if (sd.TryGetValue("end_factor", out var e)) _endFactor = Double(e);
        if (sd.TryGetValue("total_iters", out var t)) _totalIters = (int)Long(t);
    }
}
