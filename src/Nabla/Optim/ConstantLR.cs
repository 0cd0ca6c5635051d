namespace Nabla.Optim;

/// <summary>Scales each group's rate by <c>factor</c> until epoch <c>totalIters</c>, then restores it (<c>torch.optim.lr_scheduler.ConstantLR</c>).</summary>
public sealed class ConstantLR : LRScheduler
{
    private double _factor;
    private int _totalIters;

    /// <summary><paramref name="factor"/> must lie in [0, 1].</summary>
    public ConstantLR(Optimizer optimizer, double factor = 1.0 / 3, int totalIters = 5, int lastEpoch = -1) : base(optimizer)
    {
        if (factor > 1.0 || factor < 0) throw new ArgumentException("Constant multiplicative factor expected to be between 0 and 1.");
        _factor = factor;
        _totalIters = totalIters;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0) return lrs.Select(lr => lr * _factor).ToArray();
        if (LastEpoch != _totalIters) return lrs;
        return lrs.Select(lr => lr * (1.0 / _factor)).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr()
        => BaseLrs.Select(b => b * (_factor + (LastEpoch >= _totalIters ? 1 : 0) * (1 - _factor))).ToArray();

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["factor"] = _factor;
        sd["total_iters"] = (long)_totalIters;
        base.WriteState(sd);
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        base.ReadState(sd);
        if (sd.TryGetValue("factor", out var f)) _factor = Double(f);
        if (sd.TryGetValue("total_iters", out var t)) _totalIters = (int)Long(t);
    }
}
