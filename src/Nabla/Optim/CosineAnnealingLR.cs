namespace Nabla.Optim;

/// <summary>
/// Cosine annealing from each group's initial rate down to <c>etaMin</c> over <c>tMax</c> epochs, and back up after
/// (<c>torch.optim.lr_scheduler.CosineAnnealingLR</c>, the recursive form PyTorch's <c>step()</c> uses).
/// </summary>
public sealed class CosineAnnealingLR : LRScheduler
{
    private int _tMax;
    private double _etaMin;

    /// <summary>Anneals over <paramref name="tMax"/> epochs to <paramref name="etaMin"/>.</summary>
    public CosineAnnealingLR(Optimizer optimizer, int tMax, double etaMin = 0, int lastEpoch = -1) : base(optimizer)
    {
        _tMax = tMax;
        _etaMin = etaMin;
        Initialize(lastEpoch);
    }

    /// <inheritdoc/>
    protected override double[] GetLr()
    {
        var lrs = GroupLrs();
        if (LastEpoch == 0) return lrs;
        if (StepCount == 1 && LastEpoch > 0)
            return BaseLrs.Select(b => _etaMin + (b - _etaMin) * (1 + Math.Cos(LastEpoch * Math.PI / _tMax)) / 2).ToArray();
        if ((LastEpoch - 1 - _tMax) % (2 * _tMax) == 0)
            return lrs.Select((lr, i) => lr + (BaseLrs[i] - _etaMin) * (1 - Math.Cos(Math.PI / _tMax)) / 2).ToArray();
        return lrs.Select(lr => (1 + Math.Cos(Math.PI * LastEpoch / _tMax)) / (1 + Math.Cos(Math.PI * (LastEpoch - 1) / _tMax))
            * (lr - _etaMin) + _etaMin).ToArray();
    }

    /// <inheritdoc/>
    protected override double[]? ClosedFormLr()
        => BaseLrs.Select(b => _etaMin + (b - _etaMin) * (1 + Math.Cos(Math.PI * LastEpoch / _tMax)) / 2).ToArray();

    /// <inheritdoc/>
    protected override void WriteState(Dictionary<string, object?> sd)
    {
        sd["T_max"] = (long)_tMax;
        sd["eta_min"] = _etaMin;
        base.WriteState(sd);
    }

    /// <inheritdoc/>
    protected override void ReadState(IReadOnlyDictionary<string, object?> sd)
    {
        base.ReadState(sd);
        if (sd.TryGetValue("T_max", out var t)) _tMax = (int)Long(t);
        if (sd.TryGetValue("eta_min", out var e)) _etaMin = Double(e);
    }
}
